"""Rounds, dossiers and nominees: what may be proposed, by whom, all or nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.audit.models import AuditEntry
from thidua.nominations import services
from thidua.nominations.choices import RoundKind
from thidua.nominations.models import Nominee
from thidua.nominations.tests.conftest import DAY, spec


def test_open_round_needs_the_organising_units_officer(world, users):
    with pytest.raises(PermissionDenied):
        services.open_round(
            world["province"],
            year=2020,
            kind=RoundKind.ANNUAL,
            name="X",
            deadline=datetime.date(2020, 12, 10),
            actor=users["kb"],
            today=DAY,
        )


def test_dossier_only_below_the_organising_unit(round_, world, users):
    with pytest.raises(ValidationError) as exc:
        services.start_dossier(round_, world["province"], actor=users["province"], today=DAY)
    assert "not under" in str(exc.value)
    services.start_dossier(round_, world["kb"], actor=users["kb"], today=DAY)
    with pytest.raises(ValidationError, match="already has a dossier"):
        services.start_dossier(round_, world["kb"], actor=users["kb"], today=DAY)


def test_add_person_and_unit(dossier, world, users):
    added = services.add_nominees(
        dossier,
        [spec(person=world["an"]), spec("TTLDXS", unit=world["office"])],
        actor=users["kb"],
    )
    assert [n.award_code for n in added] == ["BK_TINH", "TTLDXS"]
    assert added[0].period_start == datetime.date(2020, 1, 1)
    assert AuditEntry.objects.filter(action="nominations.nominee.add").count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"award": "BK_TINH", "who": "elsewhere"}, "does not work in Huyện Kim Bảng"),
        ({"award": "GK", "who": "an"}, "may not propose Certificate of Commendation"),
        ({"award": "CO_TD_TINH", "who": "an"}, "not given to this kind of recipient"),
        ({"award": "NOPE", "who": "an"}, "not an award of the catalog"),
    ],
)
def test_refused_nominee_names_the_problem_and_writes_nothing(
    dossier, world, users, kwargs, message
):
    good = spec(person=world["binh"])
    bad = spec(kwargs["award"], person=world[kwargs["who"]])
    with pytest.raises(ValidationError) as exc:
        services.add_nominees(dossier, [good, bad], actor=users["kb"])
    assert any(message in m and m.startswith("Nominee 2") for m in exc.value.messages), (
        exc.value.messages
    )
    assert not Nominee.objects.exists()
    refused = AuditEntry.objects.get(action="nominations.nominee.refused")
    assert refused.actor_label == "kb" and kwargs["award"] in str(refused.after)


def test_unit_outside_the_subtree_is_refused(dossier, world, users):
    with pytest.raises(ValidationError) as exc:
        services.add_nominee(dossier, spec("TTLDXS", unit=world["tl"]), actor=users["kb"])
    assert "recipient" in exc.value.message_dict


def test_duplicate_nominee_is_refused(dossier, world, users):
    services.add_nominee(dossier, spec(person=world["an"]), actor=users["kb"])
    with pytest.raises(ValidationError, match="already proposed"):
        services.add_nominee(dossier, spec(person=world["an"]), actor=users["kb"])


def test_only_the_proposing_units_officer_adds(dossier, world, users):
    for who in ("tl", "kb_viewer", "no_role"):
        with pytest.raises(PermissionDenied):
            services.add_nominee(dossier, spec(person=world["an"]), actor=users[who])
    assert not Nominee.objects.exists()


def test_initiatives_must_be_the_recipients(dossier, world, users):
    from thidua.records.models import Initiative

    theirs = Initiative.objects.create(
        code="X1", kind="initiative", title="Sáng kiến lạ", scope="co_so",
        recognised_on=datetime.date(2020, 5, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Sáng kiến lạ"):
        services.add_nominee(
            dossier, spec(person=world["an"], initiatives=[theirs]), actor=users["kb"]
        )
    mine = world["an"].initiatives.first()
    if mine is not None:
        n = services.add_nominee(
            dossier, spec(person=world["an"], initiatives=[mine]), actor=users["kb"]
        )
        assert list(n.initiatives.all()) == [mine]
