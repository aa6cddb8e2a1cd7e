"""Final scores and the ranking: means of cross-scores, caps, trimming, the methods, the
declared tie-breaks, the matrix, the rotation suggestion, and the engine's fact."""

import datetime
import random
from decimal import Decimal

import pytest

from thidua.accounts.system import SYSTEM
from thidua.emulation import selectors, services
from thidua.emulation.choices import ScoreKind, ScoringMethod
from thidua.emulation.models import ScoreTally
from thidua.emulation.ranking import rank_covenant, rank_covenants, score_matrix
from thidua.emulation.tests.factories import (
    AFTER,
    cross_score_all,
    full,
    make_block,
    make_covenant,
    score,
)
from thidua.rules import sources

D = datetime.date


def table(ranking):
    return [(s.unit.code, s.rank, s.final) for s in ranking.standings]


def test_the_final_score_is_the_mean_of_the_other_members_sheets(world, members, covenant):
    kb, tl, pl = world["KB"], world["TL"], world["PL"]
    score(covenant, tl, kb, full(10, 20, 30))
    score(covenant, pl, kb, full(8, 18, 26))
    score(covenant, kb, kb, full(10, 20, 30))  # the self-score does not count
    ranking = rank_covenant(covenant)
    standing = next(s for s in ranking.standings if s.unit == kb)
    assert standing.final == Decimal("56.00")  # (60 + 52) / 2
    assert standing.self_total == Decimal("60.00")
    assert standing.scorers == 2 and standing.complete
    assert standing.percent == Decimal("93.33")
    others = [s for s in ranking.standings if s.unit != kb]
    assert all(s.final == 0 and not s.complete and not s.scored for s in others)


def test_bonus_and_penalty_are_capped(world, covenant):
    kb, tl = world["KB"], world["TL"]
    score(covenant, tl, kb, full(10, 20, 30, c1=3, c2=3, d1=-3, d2=-4))
    standing = next(s for s in rank_covenant(covenant).standings if s.unit == kb)
    assert (standing.totals.base, standing.totals.bonus, standing.totals.penalty) == (
        Decimal(60),
        Decimal(5),
        Decimal(-5),
    )
    assert standing.final == Decimal("60.00")


def test_missing_criteria_count_zero_and_mark_the_member_incomplete(world, covenant):
    score(covenant, world["TL"], world["KB"], {"A1": 10})
    standing = next(s for s in rank_covenant(covenant).standings if s.unit == world["KB"])
    assert standing.final == Decimal("10.00")
    assert standing.missing == 6 and not standing.complete


def test_trimming_drops_the_highest_and_lowest_cross_score(world, members, block):
    covenant = make_covenant(block, trim_extremes=True)
    kb = world["KB"]
    given = {"PL": 2, "DT": 6, "TL": 7, "BL": 8, "LN": 10}
    for code, points in given.items():
        score(covenant, world[code], kb, {"A1": points})
    standing = next(s for s in rank_covenant(covenant).standings if s.unit == kb)
    assert standing.final == Decimal("7.00")  # (6 + 7 + 8) / 3, not 6.6


def test_the_leaders_review_method(world, block):
    covenant = make_covenant(block, method=ScoringMethod.CROSS_AND_LEADER)
    kb, tl, pl = world["KB"], world["TL"], world["PL"]
    services.name_block_roles(
        block,
        leader=kb,
        deputies=[tl],
        decision_number="1/QĐ",
        decision_date=D(2020, 1, 5),
        actor=SYSTEM,
    )
    score(covenant, tl, pl, {"A1": 6})  # cross
    score(covenant, kb, pl, {"A1": 6})  # cross, by the leader too
    score(covenant, kb, pl, {"A1": 10}, kind=ScoreKind.REVIEW)
    standing = next(s for s in rank_covenant(covenant).standings if s.unit == pl)
    assert standing.final == Decimal("8.00")  # mean of cross 6 and review 10


def test_ties_are_broken_by_the_declared_rules_in_order(world, members, block):
    covenant = make_covenant(block, tie_breaks=["base", "penalty"])
    quality = {u.code: full(5, 10, 15) for u in members}
    quality["KB"] = full(10, 20, 28, c1=2)  # 60: 58 + 2 bonus
    quality["TL"] = full(10, 20, 30)  # 60: all on the criteria
    quality["PL"] = full(10, 20, 30, c1=2, d1=-2)  # 60: as TL on the criteria, but penalised
    quality["DT"] = full(10, 20, 30, c1=2, d1=-2)  # exactly as PL
    cross_score_all(covenant, members, quality)
    ranking = rank_covenant(covenant)
    assert table(ranking)[:4] == [
        ("TL", 1, Decimal("60.00")),
        ("PL", 2, Decimal("60.00")),  # tied: listed alphabetically
        ("DT", 2, Decimal("60.00")),
        ("KB", 4, Decimal("60.00")),
    ]
    notes = {s.unit.code: s.tie_note for s in ranking.standings}
    assert notes["TL"] == "Placed by: Fewer points deducted"
    assert notes["PL"] == notes["DT"] == "Tied after every tie-break rule"
    assert notes["KB"] == "Placed by: More points on the criteria (bonus and penalty left out)"
    assert [s.unit.code for s in ranking.leaders] == ["TL"]


def test_a_group_rule_and_a_shared_first_place(world, members, block):
    covenant = make_covenant(block, tie_breaks=["group:B"])
    quality = {u.code: full(1, 1, 1) for u in members}
    quality["KB"] = full(10, 20, 30)
    quality["TL"] = full(10, 20, 30)
    cross_score_all(covenant, members, quality)
    ranking = rank_covenant(covenant)
    assert [s.unit.code for s in ranking.leaders] == ["KB", "TL"]
    leads = services.publish_results(covenant, today=AFTER, actor=SYSTEM)
    assert sorted(lead.unit.code for lead in leads) == ["KB", "TL"]


def test_ranking_many_blocks_takes_three_queries(world, members, django_assert_num_queries):
    covenants = []
    for year in (2020, 2021, 2022):
        covenant = make_covenant(make_block(world["province"], members, year=year))
        cross_score_all(
            covenant,
            members,
            {u.code: full(i, 10, 10) for i, u in enumerate(members)},
            today=D(year, 6, 1),
        )
        covenants.append(covenant)
    covenants = [type(c).objects.select_related("block").get(pk=c.pk) for c in covenants]
    with django_assert_num_queries(3):
        rankings = rank_covenants(covenants)
    assert all(r.standings[0].unit.code == "LN" for r in rankings.values())


def test_the_tallies_always_match_the_scores(world, members, covenant):
    """Whatever the sequence of saves, updates and clears, the tallies the ranking reads
    are those a fresh recount gives."""
    rng = random.Random(4)
    codes = list(covenant.criteria.values_list("code", flat=True))
    for _ in range(60):
        scorer, target = rng.sample(members, 2)
        points = {code: rng.choice(["", 0, 1, "2,5"]) for code in rng.sample(codes, 3)}
        points = {
            c: (p if not c.startswith("D") or p in ("", 0) else -1) for c, p in points.items()
        }
        score(covenant, scorer, target, points)
    fields = ("target_id", "criterion_id", *ScoreTally.COUNTS)
    kept = sorted(ScoreTally.objects.filter(covenant=covenant).values_list(*fields))
    services.rebuild_tallies(covenant)
    recounted = sorted(ScoreTally.objects.filter(covenant=covenant).values_list(*fields))
    assert kept == recounted and kept


def test_the_matrix_shows_who_scored_whom(world, members, covenant):
    kb, tl, pl = world["KB"], world["TL"], world["PL"]
    score(covenant, kb, tl, full(10, 20, 30, c1=3, c2=3))  # 66 entered, bonus capped at 5
    score(covenant, kb, kb, {"A1": 9})
    matrix = score_matrix(covenant)
    assert matrix.cell(kb.pk, tl.pk).total == Decimal("65.00")
    assert matrix.cell(kb.pk, tl.pk).scored == 7
    assert matrix.cell(kb.pk, kb.pk).total == Decimal("9.00")
    assert matrix.cell(tl.pk, kb.pk) is None and matrix.cell(pl.pk, tl.pk) is None
    assert matrix.criteria_count == 7
    assert [u.code for u in matrix.units] == ["BL", "KB", "LN", "TL", "PL", "DT"]


def test_rotation_promotes_last_years_deputy_then_the_longest_without_a_role(world, members):
    past = make_block(world["province"], members, year=2019)
    services.name_block_roles(
        past,
        leader=world["KB"],
        deputies=[world["TL"]],
        decision_number="1/QĐ",
        decision_date=D(2019, 1, 5),
        actor=SYSTEM,
    )
    older = make_block(world["province"], members, year=2018)
    services.name_block_roles(
        older,
        leader=world["BL"],
        deputies=[world["DT"]],
        decision_number="1/QĐ",
        decision_date=D(2018, 1, 5),
        actor=SYSTEM,
    )
    block = make_block(world["province"], members, year=2020)
    suggestion = selectors.suggest_rotation(block)
    assert suggestion.leader == world["TL"]
    assert suggestion.deputy == world["LN"]  # never held a role; LN before PL alphabetically
    assert suggestion.reasons[0] == "Huyện Thanh Liêm was deputy leader in 2019."

    # Without a deputy last year: whoever led least recently (never first).
    later = make_block(world["province"], members, year=2022)
    assert selectors.suggest_rotation(later).leader == world["LN"]


def test_block_leaders_and_the_engines_fact(world, members, covenant, django_assert_num_queries):
    quality = {u.code: full(5, 10, 15) for u in members}
    quality["KB"] = full(10, 20, 30)
    cross_score_all(covenant, members, quality)
    ids = [u.pk for u in members] + [world["commune"].pk]
    assert sources.ask("leads_block", ids, 2020) == {}  # nothing published yet: unknown
    services.publish_results(covenant, today=AFTER, actor=SYSTEM)

    with django_assert_num_queries(1):
        leaders = selectors.block_leaders(2020, ids)
    assert list(leaders) == [world["KB"].pk]
    assert leaders[world["KB"].pk].block.organiser == world["province"]

    with django_assert_num_queries(2):
        facts = sources.ask("leads_block", ids, 2020)
    assert facts[world["KB"].pk].value is True
    assert "rank 1, 60,00 points" in facts[world["KB"].pk].evidence
    assert facts[world["TL"].pk].value is False
    assert world["commune"].pk not in facts  # not a member: unknown, never guessed
    assert sources.ask("leads_block", ids, 2021) == {}


def test_a_block_organised_below_the_province_does_not_count_for_the_flag(world):
    communes_block = make_block(world["KB"], [world["commune"]], code="KHOI-XA")
    covenant = make_covenant(communes_block, method=ScoringMethod.LEADER)
    services.name_block_roles(
        communes_block,
        leader=world["commune"],
        decision_number="1",
        decision_date=D(2020, 1, 5),
        actor=SYSTEM,
    )
    assert covenant.method == ScoringMethod.LEADER
    # A one-member block cannot be reviewed; what matters is where the lead is recorded.
    assert selectors.block_leaders(2020, [world["commune"].pk]) == {}


@pytest.mark.parametrize("method", [ScoringMethod.CROSS, ScoringMethod.LEADER])
def test_scores_of_the_wrong_kind_never_count(world, block, method):
    covenant = make_covenant(block, method=method)
    services.name_block_roles(
        block, leader=world["KB"], decision_number="1", decision_date=D(2020, 1, 5), actor=SYSTEM
    )
    kind = ScoreKind.REVIEW if method == ScoringMethod.LEADER else ScoreKind.PEER
    score(covenant, world["KB"], world["TL"], {"A1": 10}, kind=kind)
    standing = next(s for s in rank_covenant(covenant).standings if s.unit == world["TL"])
    assert standing.final == Decimal("10.00")
