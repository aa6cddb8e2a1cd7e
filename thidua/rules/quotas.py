"""Set-level checks of a run: quotas per unit and one achievement → one award. Split from
`engine.py`, which re-exports these names."""

import operator
from collections import Counter
from itertools import compress, repeat

from thidua.rules import primitives
from thidua.rules.definitions import COLL, IND
from thidua.rules.facts import LEVEL_RANK
from thidua.rules.primitives import ELIGIBLE, NEEDS_ATTESTATION

# The awards the set-level quotas count, evaluated for the whole population.
QUOTA_CODES = ("LDTT", "CSTDCS")


def quota_report(engine, results=None) -> list[dict]:
    """Per unit (the unit where each person worked longest in the year), over the whole
    evaluated population whatever awards the run was asked for (docs/legal/ratings.md,
    docs/legal/titles.md):
    - CSTĐ cơ sở at most a share of the unit's LĐTT count (2017 regime: 15 %, Decree
      91/2017 Điều 9(3); the 2022 regime has none unless the province sets one);
    - people rated HTXS at most 20 % of those rated HTT (25 % when the unit is rated
      HTXS), from the rating year set by the deployment (Decree 335/2025).
    Counts use the awards recorded and, where none are recorded yet, the candidates
    (verdict eligible or needing only attestation), asked of the engine for every person
    (memoised: free when the run evaluated that award). A unit with no one in the base
    group (no LĐTT, no one rated HTT) has no quota to exceed: `no_base`, not `exceeded`."""
    facts, year, params = engine.facts, engine.year, engine.params
    share = (
        params["cstdcs_quota_share_2017"]
        if engine.effective.id == "2017"
        else params["cstdcs_quota_share"]
    )
    home = facts.home_units(year)
    per_unit = _quota_counts(engine, home)
    candidates = _quota_candidates(engine, home) if share is not None else {}
    report = []
    htxs_applies = year >= params["htxs_quota_from_year"]
    for uid, (held_ldtt, held_cstdcs, rated_htxs, rated_htt) in sorted(per_unit.items()):
        unit = facts.units.get(uid)
        if unit is None:
            continue
        row = {"unit_id": uid, "unit_code": unit.code, "unit_name": unit.name}
        if share is not None:
            ldtt = held_ldtt or candidates["LDTT"][uid]
            cstdcs = held_cstdcs or candidates["CSTDCS"][uid]
            cap = int(ldtt * share + 1e-9)
            row["cstdcs"] = {
                "share": share,
                "ldtt": ldtt,
                "ldtt_basis": "awards" if held_ldtt else "candidates",
                "cstdcs": cstdcs,
                "cstdcs_basis": "awards" if held_cstdcs else "candidates",
                "cap": cap,
                "no_base": ldtt == 0,
                "exceeded": ldtt > 0 and cstdcs > cap,
            }
        unit_rank = facts.unit_ratings.get(uid, {}).get(year)
        htxs_share = (
            params["htxs_quota_share_unit_htxs"]
            if unit_rank == LEVEL_RANK["HTXS"]
            else params["htxs_quota_share"]
        )
        cap = int(rated_htt * htxs_share + 1e-9)
        row["htxs"] = {
            "share": htxs_share,
            "htt": rated_htt,
            "htxs": rated_htxs,
            "cap": cap,
            "applies": htxs_applies,
            "no_base": rated_htt == 0,
            "exceeded": htxs_applies and rated_htt > 0 and rated_htxs > cap,
        }
        report.append(row)
    return report


def _quota_counts(engine, home: dict) -> dict[int, list[int]]:
    """unit id → [LĐTT held, CSTĐCS held, rated HTXS, rated HTT] for the year, over
    everyone of the population employed in the year (counted with C iterators: the
    population is a province's)."""
    facts, year = engine.facts, engine.year
    population = facts.population
    units = list(map(home.get, population))  # the home unit of each, None: not employed
    per_unit: dict[int, list[int]] = {unit: [0, 0, 0, 0] for unit in set(units) - {None}}
    ranks = list(map(facts.person_ratings.get(year, primitives.EMPTY).get, population))
    for i, level in ((2, "HTXS"), (3, "HTT")):
        rated = compress(units, map(operator.eq, ranks, repeat(LEVEL_RANK[level])))
        for unit, count in Counter(rated).items():
            if unit is not None:
                per_unit[unit][i] = count
    person_awards = facts.person_awards
    holders = compress(
        zip(population, units, strict=True), map(person_awards.__contains__, population)
    )
    for pid, unit in holders:
        if unit is None:
            continue
        awards, counts = person_awards[pid], per_unit[unit]
        for i, code in ((0, "LDTT"), (1, "CSTDCS")):
            for a in awards.get(code, ()):
                if a.first_year <= year <= a.last_year:
                    counts[i] += 1
                    break
    return per_unit


def _candidate(verdict) -> bool:
    return verdict[0] == ELIGIBLE or (verdict[0] == NEEDS_ATTESTATION and bool(verdict[1]))


def _quota_candidates(engine, home: dict) -> dict[str, Counter]:
    """Candidates for LĐTT and CSTĐCS per unit: everyone of the population whose verdict is
    eligible or needs only the council's judgement, whatever awards the run asked for."""
    candidates: dict[str, Counter] = {"LDTT": Counter(), "CSTDCS": Counter()}
    people = engine.facts.people.among(engine.facts.population)
    units = None
    for code, counter in candidates.items():
        if code not in engine.definitions.awards:
            continue
        verdicts = engine.verdicts(code, IND, people)
        # the few distinct verdicts, each judged once
        chosen = {verdict: _candidate(verdict) for verdict in set(verdicts)}
        if units is None:
            units = list(map(home.get, people))
        counter.update(compress(units, map(chosen.__getitem__, verdicts)))
    return candidates


def duplicate_awards(engine, unit_ids) -> list[dict]:
    """One achievement → one award (Law Điều 5(2)(c)): a subject with two valid awards of
    the same code for the evaluated year is flagged."""
    year = engine.year
    found = []
    repeated = engine.facts.repeated_awards
    for kind, source, ids in (
        (IND, engine.facts.person_awards, engine.facts.population),
        (COLL, engine.facts.unit_awards, unit_ids),
    ):
        if repeated is not None:  # only they can hold two of one code
            ids = list(filter(repeated[kind].__contains__, ids))
        for sid in ids:
            by_code = source.get(sid)
            if not by_code:
                continue
            for code, awards in by_code.items():
                if len(awards) < 2:
                    continue
                covering = [a for a in awards if a.first_year <= year <= a.last_year]
                if len(covering) > 1:
                    found.append(
                        {
                            "subject_kind": kind,
                            "subject_id": sid,
                            "award": code,
                            "year": year,
                            "decisions": [a.decision_number for a in covering],
                        }
                    )
    return found
