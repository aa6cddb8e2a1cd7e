"""Frozen eligibility: at each submission every nominee's verdict, criteria and the facts
they read are written into the dossier with a content hash; later they are compared with
what the records say now, and a difference flags the dossier "cần đối chiếu lại" — the
frozen content is never rewritten.

Both directions evaluate the whole dossier with ONE engine run (`rules.engine.run`, the
people and the units of the dossier, the awards it proposes), never one run per nominee.
The explanations are rendered in Vietnamese, the language of the dossier; comparisons use
the language-neutral part (each criterion's outcome and the facts it read).
"""

import datetime
import hashlib
import json

from django.db import connection
from django.utils import timezone, translation

from thidua.nominations.models import Dossier, Nominee
from thidua.rules.definitions import COLL, HH, IND
from thidua.rules.engine import Result, run


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _criterion(c) -> dict:
    return {
        "id": c.id,
        "outcome": c.outcome,
        "explanation": c.explanation,
        "article": c.article,
        "confidence": c.confidence,
        "facts": _jsonable(c.args),
        "alternatives": [_criterion(a) for a in c.alternatives],
    }


def content_hash(data) -> str:
    """SHA-256 of the canonical JSON of `data` (sorted keys, no spaces)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def neutral(criteria: list[dict]) -> list:
    """The language-neutral part of frozen criteria: ids, outcomes and facts."""
    return [[c["id"], c["outcome"], c["facts"], neutral(c["alternatives"])] for c in criteria]


def _run(dossier: Dossier, nominees: list[Nominee], day: datetime.date):
    """One engine run for the dossier: its people as individuals, its units as
    collectives (their members' facts loaded, not evaluated), the awards it proposes.
    In Vietnamese: some facts are texts the sources write in the active language."""
    with translation.override("vi"):
        return _run_engine(dossier, nominees, day)


def _run_engine(dossier, nominees, day):
    return run(
        dossier.round.year,
        people=sorted({n.person_id for n in nominees if n.person_id}),
        units=sorted({n.unit_id for n in nominees if n.unit_id}) or None,
        subtree=False,
        award_codes=sorted({n.award_code for n in nominees}),
        received_on=day,  # the day of submission picks the rule set, even before 10/12
        subjects=(IND, COLL, HH),
        households=sorted({n.household_id for n in nominees if n.household_id}),
    )


def _subject(n: Nominee) -> tuple[str, int]:
    if n.person_id:
        return IND, n.person_id
    if n.unit_id:
        return COLL, n.unit_id
    return HH, n.household_id


def evaluate(dossier: Dossier, nominees: list[Nominee], day: datetime.date) -> dict[int, dict]:
    """nominee id → its eligibility as frozen (verdict, criteria with the facts they
    read, rule set), under the rules in force on `day`: one engine run for all."""
    if not nominees:
        return {}
    found = {}
    evaluation = _run(dossier, nominees, day)
    engine = evaluation.engine
    with translation.override("vi"):
        for n in nominees:
            kind, sid = _subject(n)
            verdict, attest_only = engine.verdict(n.award_code, kind, sid)
            result = Result(engine, kind, sid, n.award_code, verdict, attest_only)
            found[n.pk] = {
                "award": n.award_code,
                "award_name": result.award.entry.name_vi,
                "subject": {"kind": kind, "code": result.subject_code, "name": result.subject_name},
                "year": evaluation.year,
                "as_of": day.isoformat(),
                "rule_set": evaluation.rule_set.id,
                "evaluated_under": evaluation.evaluated_under.id,
                "verdict": verdict,
                "attest_only": result.attest_only,
                "criteria": [_criterion(c) for c in result.criteria],
            }
    return found


def live_verdicts(dossier: Dossier, nominees: list[Nominee], day: datetime.date) -> dict:
    """nominee id → the verdict the records give now (one run, nothing explained): what a
    draft's page shows before anything is frozen."""
    if not nominees:
        return {}
    evaluation = _run(dossier, nominees, day)
    verdict = evaluation.engine.verdict
    return {n.pk: verdict(n.award_code, *_subject(n))[0] for n in nominees}


def freeze(dossier: Dossier, day: datetime.date) -> str:
    """Freeze every nominee's eligibility into the dossier (called by the submitting
    verbs, inside their transaction); returns the dossier's content hash (the hash of
    its nominees' hashes, in nominee order)."""
    nominees = list(dossier.nominees.select_related("household").order_by("pk"))
    frozen = evaluate(dossier, nominees, day)
    for n in nominees:
        n.frozen = frozen[n.pk]
        n.frozen_hash = content_hash(n.frozen)
        n.verdict = n.frozen["verdict"]
    _write_frozen(nominees)
    dossier.frozen_at = timezone.now()
    dossier.frozen_as_of = day
    dossier.frozen_rule_set = next(iter(frozen.values()))["rule_set"] if frozen else ""
    dossier.frozen_hash = content_hash([n.frozen_hash for n in nominees])
    dossier.needs_recheck = False
    dossier.checked_at = dossier.frozen_at
    return dossier.frozen_hash


def _write_frozen(nominees: list[Nominee]) -> None:
    """One UPDATE per nominee through `executemany`: Django's `bulk_update` builds a CASE
    expression per row and costs seconds for a province's dossier."""
    field = Nominee._meta.get_field("frozen")
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(Nominee._meta.db_table)} SET {quote('frozen')} = %s, "
        f"{quote('frozen_hash')} = %s, {quote('verdict')} = %s WHERE {quote('id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (field.get_db_prep_save(n.frozen, connection), n.frozen_hash, n.verdict, n.pk)
                for n in nominees
            ],
        )


def _flat(criteria, into=None, prefix=""):
    into = {} if into is None else into
    for c in criteria:
        key = f"{prefix}{c['id']}"
        into[key] = c
        _flat(c["alternatives"], into, key + "/")
    return into


def compare(dossier: Dossier) -> list[dict]:
    """What changed since the dossier was frozen: per nominee whose criteria now read
    differently, the frozen and the current verdict and each criterion that changed
    (its explanation then and now). Records the outcome on the dossier (the flag and
    the time), never the frozen content. Empty when nothing changed or nothing is frozen."""
    if dossier.frozen_as_of is None:
        return []
    nominees = [
        n
        for n in dossier.nominees.select_related("person", "unit", "household").order_by("pk")
        if n.frozen is not None
    ]
    current = evaluate(dossier, nominees, dossier.frozen_as_of)
    changes = []
    for n in nominees:
        then, now = n.frozen, current[n.pk]
        if then["verdict"] == now["verdict"] and neutral(then["criteria"]) == neutral(
            now["criteria"]
        ):
            continue
        before, after = _flat(then["criteria"]), _flat(now["criteria"])
        criteria = []
        for key in list(dict.fromkeys([*before, *after])):
            b, a = before.get(key), after.get(key)
            if b is not None and a is not None and neutral([b]) == neutral([a]):
                continue
            if b is not None and a is not None and "/" in key:
                continue  # the parent criterion's line already says it
            criteria.append(
                {
                    "id": key,
                    "before": b["explanation"] if b else "—",
                    "after": a["explanation"] if a else "—",
                }
            )
        changes.append(
            {
                "nominee": n,
                "frozen_verdict": then["verdict"],
                "current_verdict": now["verdict"],
                "criteria": criteria,
            }
        )
    flagged = bool(changes)
    Dossier.objects.filter(pk=dossier.pk).update(needs_recheck=flagged, checked_at=timezone.now())
    dossier.needs_recheck = flagged
    return changes
