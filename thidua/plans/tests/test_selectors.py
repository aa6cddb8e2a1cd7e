"""Computed figures: completion, overdue flags, the most final version, aggregation
along the tree, achievement and growth never capped."""

import datetime
from decimal import Decimal

from thidua.accounts.system import SYSTEM
from thidua.org.tests.factories import UnitFactory
from thidua.plans import selectors, services
from thidua.plans.choices import Aggregation, Measure, ReferenceKind, TaskStatus, Version

D = datetime.date


def _final(indicator, unit, year, value, version=Version.FINAL):
    services.record_actual(
        indicator, unit, year, value, version=version, reported_on=D(year + 1, 1, 20), actor=SYSTEM
    )


def test_completion_counts_on_time_late_open_and_overdue(tree):
    kb = tree["district"]
    tasks = [
        services.assign_task(
            assigned_by=tree["province"],
            year=2020,
            title=f"Nhiệm vụ {n}",
            source_number=f"{n}/KH-UBND",
            source_date=D(2020, 2, 1),
            source_issuer="UBND tỉnh",
            deadline=D(2020, 6, 30),
            units=[kb],
            actor=SYSTEM,
        )
        for n in range(5)
    ]
    rows = [t.assignments.get() for t in tasks]
    rows[0] = services.complete_task(rows[0], D(2020, 6, 1), actor=SYSTEM)
    rows[1] = services.complete_task(rows[1], D(2020, 7, 15), actor=SYSTEM)  # late
    rows[2] = services.set_status(rows[2], TaskStatus.IN_PROGRESS, actor=SYSTEM)
    rows[3] = services.set_status(rows[3], TaskStatus.WITHDRAWN, actor=SYSTEM)
    (completion,) = selectors.completion_by_assigner(kb, 2020, today=D(2020, 12, 31))
    assert completion.assigned_by == tree["province"]
    assert (completion.assigned, completion.completed, completion.on_time) == (4, 2, 1)
    assert (completion.open, completion.overdue, completion.withdrawn) == (2, 2, 1)
    assert completion.rate == Decimal("50.00") and not completion.all_done
    assert selectors.is_overdue(rows[1], D(2020, 12, 31))  # completed late
    assert not selectors.is_overdue(rows[0], D(2020, 12, 31))
    overdue, soon = selectors.reminders([kb.pk], D(2020, 6, 20))
    assert overdue == [] and {a.pk for a in soon} == {rows[2].pk, rows[4].pk}
    overdue, _soon = selectors.reminders([kb.pk], D(2020, 7, 1))
    assert [a.pk for a in overdue] == [rows[2].pk, rows[4].pk]
    # The unit's record as the rating and awards see it.
    assert selectors.completion_by_unit(2020, [kb.pk], D(2021, 1, 1))[kb.pk].completed == 2


def test_the_most_final_version_wins_and_achievement_is_not_capped(revenue, tree):
    kb = tree["district"]
    _final(revenue, kb, 2019, 1100)
    _final(revenue, kb, 2020, 1300, Version.ESTIMATE)
    _final(revenue, kb, 2020, 1372, Version.PRELIMINARY)
    services.set_reference(revenue, kb, 2020, ReferenceKind.PROVINCE_ESTIMATE, 590, actor=SYSTEM)
    services.set_reference(revenue, kb, 2020, ReferenceKind.LOCAL_ESTIMATE, 686, actor=SYSTEM)
    (row,) = selectors.indicator_table(kb, 2020)
    assert row.actual.value == 1372 and row.actual.version == Version.PRELIMINARY
    _final(revenue, kb, 2020, 1386)
    (row,) = selectors.indicator_table(kb, 2020)
    assert row.actual.value == 1386 and row.actual.version == Version.FINAL
    assert row.reference(ReferenceKind.PROVINCE_ESTIMATE).achievement == Decimal("234.92")
    assert row.reference(ReferenceKind.LOCAL_ESTIMATE).achievement == Decimal("202.04")
    last = row.reference(ReferenceKind.LAST_YEAR_ACTUAL)
    assert last.computed and last.value == 1100
    assert row.growth == Decimal("26.00")


def test_a_fall_is_a_negative_growth_and_lower_is_better_is_met_below(poverty, tree):
    kb = tree["district"]
    _final(poverty, kb, 2019, "2.10")
    _final(poverty, kb, 2020, "1.60")
    services.set_reference(poverty, kb, 2020, ReferenceKind.COUNCIL_TARGET, "1.80", actor=SYSTEM)
    (row,) = selectors.indicator_table(kb, 2020)
    assert row.growth == Decimal("-23.81")
    target = row.reference(ReferenceKind.COUNCIL_TARGET)
    # "At most 1,80 %": met, and the achievement says so too (1,80 ÷ 1,60 = 112,5 %, not
    # the 88,89 % of a plain ratio that would read as a shortfall).
    assert target.met is True and target.achievement == Decimal("112.50")


def test_a_unit_without_its_own_figure_sums_its_communes(tree):
    value = services.define_indicator(
        code="GTSX", name="Giá trị sản xuất", measure=Measure.BILLION_VND, actor=SYSTEM
    )
    mean = services.define_indicator(
        code="TL", name="Tỷ lệ", measure=Measure.PERCENT, aggregation=Aggregation.MEAN, actor=SYSTEM
    )
    kb = tree["district"]
    village = UnitFactory(code="KB-TL-T1", name="Thôn 1", parent=tree["commune"])
    _final(value, tree["commune"], 2020, 100)  # its own figure: the village is not added
    _final(value, village, 2020, 999)
    _final(value, tree["commune2"], 2020, 50, Version.PRELIMINARY)
    _final(mean, tree["commune"], 2020, 80)
    _final(mean, tree["commune2"], 2020, 90)
    rows = {r.indicator.code: r for r in selectors.indicator_table(kb, 2020)}
    assert rows["GTSX"].actual.value == 150 and rows["GTSX"].actual.parts == 2
    assert rows["GTSX"].actual.version == Version.PRELIMINARY  # the least final part
    assert rows["TL"].actual.value == 85
    assert selectors.indicator_table(tree["other"], 2020) == []


def test_the_stored_last_year_actual_is_used_only_without_actuals(revenue, tree):
    kb = tree["district"]
    _final(revenue, kb, 2020, 1386)
    services.set_reference(revenue, kb, 2020, ReferenceKind.LAST_YEAR_ACTUAL, 1000, actor=SYSTEM)
    (row,) = selectors.indicator_table(kb, 2020)
    assert row.last_year == 1000 and not row.reference(ReferenceKind.LAST_YEAR_ACTUAL).computed
    _final(revenue, kb, 2019, 1200)
    (row,) = selectors.indicator_table(kb, 2020)
    assert row.last_year == 1200 and row.growth == Decimal("15.50")
