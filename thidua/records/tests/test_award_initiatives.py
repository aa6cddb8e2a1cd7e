"""One initiative, one award: the award ↔ initiative link and its single-use check."""

import pytest

from thidua.accounts.system import SYSTEM
from thidua.records.tests.test_rating_rules import D, make_person, make_unit

pytestmark = pytest.mark.django_db


def test_one_initiative_one_award():
    """Official letter 5007/BNV-TĐKT (docs/legal/titles.md): an initiative a form relied on
    serves no other award; titles may share one."""
    from django.core.exceptions import ValidationError

    from thidua.audit.models import AuditEntry
    from thidua.org.tests.factories import AwardFactory
    from thidua.records.models import Initiative, InitiativeAuthor
    from thidua.records.services import link_initiatives

    person = make_person(make_unit())
    initiative = Initiative.objects.create(
        code="SK1",
        kind="initiative",
        title="Sáng kiến",
        scope="co_so",
        recognised_on=D("2024-06-01"),
    )
    InitiativeAuthor.objects.create(initiative=initiative, person=person)

    def award(code, year):
        return AwardFactory(
            person=person,
            award_code=code,
            period_start=D(f"{year}-01-01"),
            period_end=D(f"{year}-12-31"),
            decision_number=f"{code}/{year}",
        )

    cstdcs_2024, cstdcs_2025, bk = (
        award("CSTDCS", 2024),
        award("CSTDCS", 2025),
        award("BK_TINH", 2025),
    )
    link_initiatives(cstdcs_2024, [initiative], actor=SYSTEM)
    link_initiatives(cstdcs_2025, [initiative], actor=SYSTEM)  # successive titles may share it
    with pytest.raises(ValidationError) as refused:
        link_initiatives(bk, [initiative], actor=SYSTEM)
    assert "SK1" in str(refused.value)
    assert not bk.initiatives.exists()
    assert AuditEntry.objects.filter(action="records.award.initiatives").count() == 2
    stranger = make_person(make_unit())
    other = AwardFactory(person=stranger, award_code="LDTT")
    with pytest.raises(ValidationError):
        link_initiatives(other, [initiative], actor=SYSTEM)  # not an author
