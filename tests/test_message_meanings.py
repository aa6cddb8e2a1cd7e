"""One English word, two meanings, two Vietnamese words: each meaning has its own
`pgettext` context, so a button does not read as a status, a growth column is not headed
"edit", and tourist visits are not counted in "cán bộ"."""

from django.template import Context, Template
from django.utils import translation

from thidua.accounts.choices import Action
from thidua.emulation.choices import CovenantStatus
from thidua.org.models import Person
from thidua.plans.choices import Measure
from thidua.plans.models import Indicator
from thidua.portal.choices import ArticleStatus
from thidua.portal.models import Category


def vi(text) -> str:
    with translation.override("vi"):
        return str(text)


def vi_template(source: str) -> str:
    with translation.override("vi"):
        return Template("{% load i18n %}" + source).render(Context())


def test_the_covenant_open_button_is_an_action_not_a_status():
    button = vi_template('{% translate "Open for signing and scoring" context "button" %}')
    assert button != vi(CovenantStatus.OPEN.label)
    assert button.startswith("Mở")


def test_the_growth_column_is_not_headed_edit():
    heading = vi_template('{% translate "Change" context "growth over the previous year" %}')
    assert heading != vi(Action.CHANGE.label)
    assert heading == "Tăng/giảm"


def test_people_counted_by_an_indicator_are_not_officials():
    assert vi(Measure.PEOPLE.label) != vi(Person._meta.verbose_name_plural)
    assert vi(Measure.PEOPLE.label) == "người"


def test_a_display_order_is_not_a_job_position():
    assert vi(Indicator._meta.get_field("position").verbose_name) == "thứ tự"
    assert vi(Category._meta.get_field("position").verbose_name) == "thứ tự"


def test_a_news_draft_is_not_a_draft_covenant():
    assert vi(ArticleStatus.DRAFT.label) == "Bản nháp"
    assert vi(CovenantStatus.DRAFT.label) == "Dự thảo"
