"""The organisation verbs: history only grows, every change is audited, and a user
without the change right on the unit changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.org import services
from thidua.org.choices import LineageKind, UnitKind
from thidua.org.models import Employment, LineageEdge, LineageEvent, Person, Unit, UnitVersion
from thidua.org.tests.factories import EmploymentFactory, PersonFactory, UnitFactory, UserFactory

D2019 = datetime.date(2019, 12, 31)
D2020 = datetime.date(2020, 1, 1)
BEFORE_REFORM = datetime.date(2025, 6, 30)
REFORM = datetime.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in the source language, whatever the catalog holds."""
    with translation.override("en"):
        yield


def names_on(day, parent=None):
    """Names of the units in force on `day` (beneath `parent`, when given)."""
    versions = UnitVersion.objects.on(day)
    if parent is not None:
        versions = versions.filter(parent=parent)
    return sorted(versions.values_list("name", flat=True))


def counts():
    """Row counts of everything a verb could write."""
    return {
        model.__name__: model.objects.count()
        for model in (Unit, UnitVersion, LineageEvent, LineageEdge, Person, Employment, AuditEntry)
    }


def version_rows():
    return {v.pk: (v.unit_id, v.name, v.parent_id, v.valid_from) for v in UnitVersion.objects.all()}


def test_rename_shows_the_old_name_before_the_date_and_the_new_one_from_it(tree):
    commune = tree["commune"]

    services.rename_unit(commune, "Xã Thanh Sơn Mới", D2020, decision="12/NQ-HĐND", actor=SYSTEM)

    assert names_on(D2019, tree["district"]) == ["Xã Nhật Tân", "Xã Thanh Sơn"]
    assert names_on(D2020, tree["district"]) == ["Xã Nhật Tân", "Xã Thanh Sơn Mới"]
    commune.refresh_from_db()
    assert (commune.name, commune.search_name) == ("Xã Thanh Sơn Mới", "xa thanh son moi")
    old, new = commune.versions.order_by("valid_from")
    assert (old.valid_to, new.valid_from, new.valid_to) == (D2020, D2020, None)
    event = LineageEvent.objects.get()
    assert (event.kind, event.decision) == (LineageKind.RENAME, "12/NQ-HĐND")
    assert list(event.edges.values_list("predecessor", "successor")) == [(commune.pk, commune.pk)]


def test_reparent_moves_the_unit_from_the_date_only(tree):
    commune, province = tree["commune"], tree["province"]

    services.reparent_unit(commune, province, REFORM, actor=SYSTEM)

    assert "Xã Thanh Sơn" in names_on(BEFORE_REFORM, tree["district"])
    assert "Xã Thanh Sơn" not in names_on(BEFORE_REFORM, province)
    assert "Xã Thanh Sơn" not in names_on(REFORM, tree["district"])
    assert "Xã Thanh Sơn" in names_on(REFORM, province)
    assert LineageEvent.objects.get().kind == LineageKind.REPARENT


def test_rename_and_move_on_one_day_make_one_version_and_two_events(tree):
    commune = tree["commune"]

    events = services.change_unit(
        commune, REFORM, name="Phường Thanh Sơn", parent=tree["province"], actor=SYSTEM
    )

    assert [e.kind for e in events] == [LineageKind.RENAME, LineageKind.REPARENT]
    assert names_on(REFORM, tree["province"]) == [
        "Huyện Kim Bảng",
        "Huyện Thanh Liêm",
        "Phường Thanh Sơn",
    ]
    assert commune.versions.count() == 2


def test_merge_into_a_new_unit_dissolves_the_predecessors_and_records_edges(tree):
    communes = [tree["commune"], tree["commune2"]]
    before = version_rows()

    successor, event = services.merge_into_new_unit(
        communes,
        REFORM,
        code="KB-NEW",
        kind=UnitKind.COMMUNE,
        name="Xã Kim Bảng",
        parent=tree["province"],
        decision="1674/NQ-UBTVQH15",
        actor=SYSTEM,
    )

    assert names_on(BEFORE_REFORM, tree["district"]) == ["Xã Nhật Tân", "Xã Thanh Sơn"]
    assert names_on(REFORM, tree["district"]) == []
    assert "Xã Kim Bảng" in names_on(REFORM, tree["province"])
    assert event.kind == LineageKind.MERGE
    assert set(event.edges.values_list("predecessor", "successor")) == {
        (communes[0].pk, successor.pk),
        (communes[1].pk, successor.pk),
    }
    for commune in communes:
        commune.refresh_from_db()
        assert commune.dissolved_on == REFORM
        assert commune.versions.get().valid_to == REFORM
    # Nothing deleted, nothing rewritten but the closing day.
    after = version_rows()
    assert before.keys() <= after.keys()
    assert all(after[pk] == row for pk, row in before.items())
    assert successor.versions.get().valid_from == REFORM


def test_merge_into_one_of_the_predecessors_keeps_it(tree):
    absorbing, absorbed = tree["commune"], tree["commune2"]

    services.merge_units([absorbing, absorbed], absorbing, REFORM, actor=SYSTEM)

    absorbing.refresh_from_db()
    absorbed.refresh_from_db()
    assert absorbing.dissolved_on is None
    assert absorbed.dissolved_on == REFORM
    assert names_on(REFORM, tree["district"]) == ["Xã Thanh Sơn"]


def test_split_dissolves_the_old_unit_and_links_both_successors(tree):
    old = tree["commune"]
    a = services.create_unit(
        code="A",
        kind=UnitKind.COMMUNE,
        name="Xã A",
        parent=tree["district"],
        established_on=REFORM,
        actor=SYSTEM,
    )
    b = services.create_unit(
        code="B",
        kind=UnitKind.COMMUNE,
        name="Xã B",
        parent=tree["district"],
        established_on=REFORM,
        actor=SYSTEM,
    )

    event = services.split_unit(old, [a, b], REFORM, actor=SYSTEM)

    assert names_on(REFORM, tree["district"]) == ["Xã A", "Xã B", "Xã Nhật Tân"]
    assert set(event.edges.values_list("successor", flat=True)) == {a.pk, b.pk}
    old.refresh_from_db()
    assert old.dissolved_on == REFORM


def test_dissolve_closes_the_version_and_keeps_it(tree):
    commune = tree["commune"]

    services.dissolve_unit(commune, REFORM, actor=SYSTEM)

    commune.refresh_from_db()
    assert commune.dissolved_on == REFORM
    assert commune.versions.get().valid_to == REFORM
    assert Unit.objects.active_on(REFORM).filter(pk=commune.pk).count() == 0
    assert Unit.objects.active_on(BEFORE_REFORM).filter(pk=commune.pk).count() == 1
    assert list(LineageEdge.objects.values_list("predecessor", "successor")) == [(commune.pk, None)]


@pytest.mark.parametrize(
    "change",
    [
        lambda t: services.rename_unit(
            t["commune"], "Tên khác", datetime.date(2010, 1, 1), actor=SYSTEM
        ),
        lambda t: services.reparent_unit(
            t["commune"], t["other"], datetime.date(2010, 1, 1), actor=SYSTEM
        ),
        lambda t: services.dissolve_unit(t["commune"], datetime.date(2010, 1, 1), actor=SYSTEM),
    ],
    ids=["rename", "reparent", "dissolve"],
)
def test_a_change_dated_before_a_later_change_is_refused(tree, change):
    services.rename_unit(tree["commune"], "Xã Thanh Sơn Mới", D2020, actor=SYSTEM)
    before = counts(), version_rows()

    with pytest.raises(ValidationError, match="history is not rewritten"):
        change(tree)

    assert (counts(), version_rows()) == before


def test_a_change_before_a_recorded_dissolution_does_not_bring_the_unit_back(tree):
    services.dissolve_unit(tree["commune"], REFORM, actor=SYSTEM)

    with pytest.raises(ValidationError, match="history is not rewritten"):
        services.rename_unit(tree["commune"], "Tên khác", D2020, actor=SYSTEM)
    assert (
        UnitVersion.objects.on(datetime.date(2026, 1, 1)).filter(unit=tree["commune"]).count() == 0
    )


def test_a_change_of_a_dissolved_unit_or_before_it_existed_is_refused(tree):
    services.dissolve_unit(tree["commune"], REFORM, actor=SYSTEM)

    with pytest.raises(ValidationError, match="does not exist on 01/01/2026"):
        services.rename_unit(tree["commune"], "Tên khác", datetime.date(2026, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError, match="does not exist on 01/01/1999"):
        services.rename_unit(tree["commune2"], "Tên khác", datetime.date(1999, 1, 1), actor=SYSTEM)


def test_a_change_that_changes_nothing_is_refused(tree):
    with pytest.raises(ValidationError, match="already has this name and parent"):
        services.reparent_unit(tree["commune"], tree["district"], D2020, actor=SYSTEM)
    assert UnitVersion.objects.filter(unit=tree["commune"]).count() == 1


def test_a_unit_cannot_be_moved_beneath_its_own_descendant(tree):
    with pytest.raises(ValidationError, match="lies beneath it"):
        services.reparent_unit(tree["district"], tree["commune"], D2020, actor=SYSTEM)
    with pytest.raises(ValidationError, match="lies beneath it"):
        services.reparent_unit(tree["district"], tree["district"], D2020, actor=SYSTEM)


def test_a_parent_must_exist_on_the_day(tree):
    late = UnitFactory(code="LATE", established_on=datetime.date(2024, 1, 1))

    with pytest.raises(ValidationError, match="LATE does not exist on 01/01/2020"):
        services.reparent_unit(tree["commune"], late, D2020, actor=SYSTEM)
    with pytest.raises(ValidationError, match="LATE does not exist"):
        services.create_unit(
            code="NEW",
            kind=UnitKind.VILLAGE,
            name="Thôn Mới",
            parent=late,
            established_on=D2020,
            actor=SYSTEM,
        )
    assert not Unit.objects.filter(code="NEW").exists()


def test_a_unit_cannot_end_on_the_day_it_starts(tree):
    new = services.create_unit(
        code="NEW",
        kind=UnitKind.COMMUNE,
        name="Xã Mới",
        parent=tree["district"],
        established_on=REFORM,
        actor=SYSTEM,
    )
    with pytest.raises(ValidationError, match="already changed on 01/07/2025"):
        services.dissolve_unit(new, REFORM, actor=SYSTEM)


def test_a_code_is_never_reused(tree):
    with pytest.raises(ValidationError) as refused:
        services.create_unit(
            code="KB",
            kind=UnitKind.DISTRICT,
            name="Huyện khác",
            parent=tree["province"],
            established_on=REFORM,
            actor=SYSTEM,
        )
    assert "code" in refused.value.message_dict


def test_transfer_ends_the_current_employment_the_day_the_new_one_starts(tree):
    person = PersonFactory()
    old = EmploymentFactory(person=person, unit=tree["commune"], start=datetime.date(2010, 1, 1))

    new = services.transfer_person(
        person, tree["commune2"], REFORM, position="Chủ tịch", actor=SYSTEM
    )

    old.refresh_from_db()
    assert old.end == REFORM
    assert (new.unit, new.start, new.end, new.position) == (
        tree["commune2"],
        REFORM,
        None,
        "Chủ tịch",
    )
    on_day = Employment.objects.filter(person=person).overlapping(
        REFORM, REFORM + datetime.timedelta(days=1)
    )
    assert list(on_day) == [new]


def test_overlapping_employment_is_refused(tree):
    person = PersonFactory()
    EmploymentFactory(
        person=person,
        unit=tree["commune"],
        start=datetime.date(2010, 1, 1),
        end=datetime.date(2020, 1, 1),
    )

    with pytest.raises(ValidationError, match="overlapping 01/06/2019"):
        services.start_employment(person, tree["commune2"], datetime.date(2019, 6, 1), actor=SYSTEM)
    assert Employment.objects.filter(person=person).count() == 1
    # Half-open: the day the first one ends is free.
    services.start_employment(person, tree["commune2"], datetime.date(2020, 1, 1), actor=SYSTEM)


def test_an_employment_must_end_after_it_starts_in_a_unit_existing_then(tree):
    person = PersonFactory()
    with pytest.raises(ValidationError, match="end must be after"):
        services.start_employment(person, tree["commune"], D2020, end=D2020, actor=SYSTEM)
    services.dissolve_unit(tree["commune2"], REFORM, actor=SYSTEM)
    with pytest.raises(ValidationError, match="does not exist on 01/01/2026"):
        services.start_employment(person, tree["commune2"], datetime.date(2026, 1, 1), actor=SYSTEM)
    assert not Employment.objects.exists()


# -- audit: every verb leaves an entry with the state before and after


def _person_in(unit):
    person = PersonFactory()
    EmploymentFactory(person=person, unit=unit)
    return person


VERBS = {
    "create": (
        lambda t, actor: services.create_unit(
            code="NEW",
            kind=UnitKind.VILLAGE,
            name="Thôn Mới",
            parent=t["commune"],
            established_on=D2020,
            actor=actor,
        ),
        "org.unit.create",
    ),
    "rename": (
        lambda t, actor: services.rename_unit(t["commune"], "Xã Mới", D2020, actor=actor),
        "org.unit.rename",
    ),
    "reparent": (
        lambda t, actor: services.reparent_unit(t["commune"], t["commune2"], D2020, actor=actor),
        "org.unit.reparent",
    ),
    "merge": (
        lambda t, actor: services.merge_units(
            [t["commune"], t["commune2"]], t["commune"], REFORM, actor=actor
        ),
        "org.unit.merge",
    ),
    "split": (
        lambda t, actor: services.split_unit(
            t["commune"], [t["commune"], t["commune2"]], REFORM, actor=actor
        ),
        "org.unit.split",
    ),
    "dissolve": (
        lambda t, actor: services.dissolve_unit(t["commune"], REFORM, actor=actor),
        "org.unit.dissolve",
    ),
    "add_person": (
        lambda t, actor: services.add_person(
            actor=actor,
            unit=t["commune"],
            code="P-NEW",
            family_name="Lê",
            given_name="Hoa",
            gender="F",
        ),
        "org.person.create",
    ),
    "start_employment": (
        lambda t, actor: services.start_employment(
            Person.objects.create(code="P-X", family_name="Lê", given_name="Hoa", gender="F"),
            t["commune"],
            D2020,
            actor=actor,
        ),
        "org.employment.create",
    ),
    "transfer": (
        lambda t, actor: services.transfer_person(
            _person_in(t["commune2"]), t["commune"], REFORM, actor=actor
        ),
        "org.employment.create",
    ),
}


@pytest.mark.parametrize("verb", VERBS)
def test_each_verb_writes_an_audit_entry_naming_the_actor(tree, users, verb):
    run, action = VERBS[verb]
    officer = users["officer"]

    run(tree, officer)

    entry = AuditEntry.objects.filter(action=action).latest("id")
    assert entry.actor == officer
    assert entry.after
    if verb in ("rename", "reparent", "dissolve"):
        assert entry.before and entry.before != entry.after


def test_audit_of_a_rename_holds_the_old_and_new_name(tree):
    services.rename_unit(tree["commune"], "Xã Mới", D2020, actor=SYSTEM)

    entry = AuditEntry.objects.get(action="org.unit.rename")
    assert (entry.before["name"], entry.after["name"]) == ("Xã Thanh Sơn", "Xã Mới")
    assert entry.actor is None and entry.actor_label == "hệ thống"


def test_audit_of_a_merge_lists_the_dissolved_predecessors(tree):
    services.merge_units([tree["commune"], tree["commune2"]], tree["commune"], REFORM, actor=SYSTEM)

    merge = AuditEntry.objects.get(action="org.unit.merge")
    assert merge.target_id == str(tree["commune"].pk)
    assert merge.after["dissolved"] == ["KB-NK"]
    dissolved = AuditEntry.objects.get(action="org.unit.dissolve")
    assert (dissolved.before["dissolved_on"], dissolved.after["dissolved_on"]) == (
        None,
        "2025-07-01",
    )


def test_audit_of_a_transfer_shows_the_old_employment_ended(tree):
    person = _person_in(tree["commune"])

    services.transfer_person(person, tree["commune2"], REFORM, actor=SYSTEM)

    ended = AuditEntry.objects.get(action="org.employment.end")
    assert (ended.before["end"], ended.after["end"]) == (None, "2025-07-01")


# -- permission: out of scope, nothing changes (no rows, no audit)


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("who", ["other_unit", "viewer", "no_role"])
def test_an_actor_without_change_scope_changes_nothing(tree, users, verb, who):
    run, _action = VERBS[verb]
    before = counts(), version_rows(), list(Unit.objects.values_list("name", "dissolved_on"))

    with pytest.raises(PermissionDenied):
        run(tree, users[who])

    # People made by the test itself (for the employment verbs) are not the verb's doing.
    after = counts(), version_rows(), list(Unit.objects.values_list("name", "dissolved_on"))
    assert after[0]["AuditEntry"] == before[0]["AuditEntry"]
    assert {k: v for k, v in after[0].items() if k not in ("Person", "Employment")} == {
        k: v for k, v in before[0].items() if k not in ("Person", "Employment")
    }
    assert after[1:] == before[1:]
    assert Employment.objects.filter(unit=tree["commune"]).count() == 0
    assert not Employment.objects.filter(end__isnull=False).exists()


def test_an_inactive_officer_changes_nothing(tree, users):
    officer = users["officer"]
    officer.is_active = False
    officer.save()

    with pytest.raises(PermissionDenied):
        services.rename_unit(tree["commune"], "Xã Mới", D2020, actor=officer)
    assert not AuditEntry.objects.exists()


def test_only_an_administrator_creates_a_top_level_unit(tree, users):
    with pytest.raises(PermissionDenied):
        services.create_unit(
            code="ROOT",
            kind=UnitKind.PROVINCE,
            name="Tỉnh Mới",
            established_on=REFORM,
            actor=users["officer"],
        )
    admin = UserFactory(is_superuser=True)
    services.create_unit(
        code="ROOT", kind=UnitKind.PROVINCE, name="Tỉnh Mới", established_on=REFORM, actor=admin
    )
    assert UnitVersion.objects.get(unit__code="ROOT").parent is None


def test_an_officer_may_merge_into_a_unit_created_in_the_same_call(tree, users):
    """The officer's scope is recomputed after the new unit is made beneath the district."""
    officer = users["officer"]

    successor, _event = services.merge_into_new_unit(
        [tree["commune"], tree["commune2"]],
        REFORM,
        code="KB-NEW",
        kind=UnitKind.COMMUNE,
        name="Xã Kim Bảng",
        parent=tree["district"],
        actor=officer,
    )

    assert successor.versions.get().parent == tree["district"]


def test_an_officer_cannot_move_a_unit_into_another_officers_subtree(tree, users):
    with pytest.raises(PermissionDenied):
        services.reparent_unit(tree["commune"], tree["other"], D2020, actor=users["officer"])
    assert tree["commune"].versions.count() == 1


def test_an_officer_cannot_employ_someone_working_outside_their_scope(tree, users):
    stranger = _person_in(tree["other"])

    with pytest.raises(PermissionDenied):
        services.start_employment(stranger, tree["commune"], REFORM, actor=users["officer"])
    assert stranger.employments.count() == 1


def test_an_officer_adds_a_person_for_a_unit_of_theirs_only(tree, users):
    fields = {"code": "P-NEW", "family_name": "Lê", "given_name": "Hoa", "gender": "F"}
    with pytest.raises(PermissionDenied):
        services.add_person(actor=users["officer"], **fields)
    with pytest.raises(PermissionDenied):
        services.add_person(actor=users["officer"], unit=tree["other"], **fields)
    person = services.add_person(actor=users["officer"], unit=tree["commune"], **fields)
    assert person.full_name == "Lê Hoa"
    assert person.search_name == " le hoa"
