"""Eligibility results as JSON, a text table or an XLSX workbook (for the CLI, and later
for page downloads). Formatting only: the results come from `engine.run`."""

import io
import json

from django.utils.translation import gettext as _

from thidua.rules.engine import Evaluation
from thidua.rules.messages import OUTCOME_LABELS, VERDICT_LABELS


def as_json(evaluation: Evaluation) -> str:
    """One object per subject × award in `results`, with the set-level checks beside."""
    return _json_text(evaluation, [r.as_dict() for r in evaluation.results])


def partitioned_json(partitioned) -> str:
    """`as_json` of a run partitioned over processes (`partition.run` with
    `render=result_dict`): the same document."""
    return _json_text(partitioned, partitioned.rendered, rule_sets_as_ids=True)


def result_dict(result) -> dict:
    """A result as `as_json` writes it (run in a partition's worker)."""
    return result.as_dict()


def _json_text(run, results: list, *, rule_sets_as_ids=False) -> str:
    data = {
        "year": run.year,
        "dossier_date": run.dossier_date.isoformat(),
        "rule_set": run.rule_set if rule_sets_as_ids else run.rule_set.id,
        "evaluated_under": run.evaluated_under if rule_sets_as_ids else run.evaluated_under.id,
        "notes": [str(n) for n in run.notes],
        "parameters": {
            k: list(v) if isinstance(v, tuple) else v for k, v in run.parameters.items()
        },
        "results": results,
        "quotas": run.quotas,
        "duplicates": run.duplicates,
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _missing(result) -> str:
    """The criteria that are not met or unknown, by id."""
    return _open(result.criteria)


def _open(criteria) -> str:
    return ", ".join(
        f"{c.id} ({OUTCOME_LABELS[c.outcome]})" for c in criteria if c.outcome != "met"
    )


def table_row(result) -> list:
    """A result as `as_table` shows it (also run in a partition's worker)."""
    return [
        result.subject_code,
        result.subject_name,
        result.award_code,
        str(VERDICT_LABELS[result.verdict]),
        result.evaluated_under,
        _missing(result),
    ]


def as_table(evaluation: Evaluation) -> str:
    return _table_text(evaluation, [table_row(r) for r in evaluation.results])


def partitioned_table(partitioned) -> str:
    """`as_table` of a run partitioned over processes (`render=table_row`)."""
    return _table_text(partitioned, partitioned.rendered)


def _table_text(run, rows: list) -> str:
    headers = [_("Code"), _("Name"), _("Award"), _("Verdict"), _("Rule set"), _("Open criteria")]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    widths[-1] = 0  # the last column is not padded
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=False))]
    lines += ["  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=False)) for row in rows]
    lines += [""] + [str(n) for n in run.notes]
    lines += quota_notes(run.quotas)
    for dup in run.duplicates:
        lines.append(
            _(
                "One achievement, one award: %(award)s for %(year)s is conferred twice (%(decisions)s)."
            )
            % {"award": dup["award"], "year": dup["year"], "decisions": ", ".join(dup["decisions"])}
        )
    return "\n".join(lines).rstrip() + "\n"


def as_xlsx(evaluation: Evaluation, results=None) -> bytes:
    """A workbook with a results sheet (one row per subject × award) and a criteria sheet
    (one row per criterion, with its explanation and article) — of `results` (a selection
    of the evaluation's, e.g. one verdict) or of all — and the quotas of the run.

    Written in openpyxl's write-only mode (rows streamed, constant memory per row); each
    result is explained once."""
    from openpyxl import Workbook

    from thidua.spreadsheet import safe_row

    results = evaluation.results if results is None else results
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Results"))
    criteria = book.create_sheet(_("Criteria"))
    sheet.append(
        [
            _("Kind"),
            _("Code"),
            _("Name"),
            _("Award"),
            _("Year"),
            _("Rule set"),
            _("Evaluated under"),
            _("Verdict"),
            _("Open criteria"),
        ]
    )
    criteria.append(
        [
            _("Code"),
            _("Award"),
            _("Criterion"),
            _("Outcome"),
            _("Explanation"),
            _("Legal basis"),
            _("Confidence"),
        ]
    )
    for r in results:
        explained = r.criteria
        sheet.append(
            safe_row(
                sheet,
                [
                    r.subject_kind,
                    r.subject_code,
                    r.subject_name,
                    r.award_code,
                    r.year,
                    r.rule_set,
                    r.evaluated_under,
                    str(VERDICT_LABELS[r.verdict]),
                    _open(explained),
                ],
            )
        )
        for c in explained:
            criteria.append(
                safe_row(
                    criteria,
                    [
                        r.subject_code,
                        r.award_code,
                        c.id,
                        str(OUTCOME_LABELS[c.outcome]),
                        c.explanation,
                        c.article,
                        c.confidence,
                    ],
                )
            )
    quotas = book.create_sheet(_("Quotas"))
    quotas.append(
        [
            _("Unit"),
            _("LĐTT"),
            _("CSTĐ cơ sở"),
            _("CSTĐ cơ sở cap"),
            _("Rated HTT"),
            _("Rated HTXS"),
            _("HTXS cap"),
            _("HTXS quota applies"),
        ]
    )
    for row in evaluation.quotas:
        cstdcs = row.get("cstdcs") or {}
        quotas.append(
            [
                row["unit_code"],
                cstdcs.get("ldtt"),
                cstdcs.get("cstdcs"),
                cstdcs.get("cap"),
                row["htxs"]["htt"],
                row["htxs"]["htxs"],
                row["htxs"]["cap"],
                row["htxs"]["applies"],
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def quota_notes(quotas) -> list[str]:
    """The sentences a quota report calls for, by unit name: a quota exceeded, or a quota
    without base (no one in the group it is a share of, so nothing to exceed)."""
    notes = []
    for row in quotas:
        unit = row.get("unit_name") or row["unit_code"]
        quota = row.get("cstdcs")
        if quota and quota["exceeded"]:
            notes.append(
                _(
                    "%(unit)s: %(count)s Chiến sĩ thi đua cơ sở for %(ldtt)s Lao động tiên "
                    "tiến, above the cap of %(cap)s."
                )
                % {
                    "unit": unit,
                    "count": quota["cstdcs"],
                    "ldtt": quota["ldtt"],
                    "cap": quota["cap"],
                }
            )
        elif quota and quota["no_base"] and quota["cstdcs"]:
            notes.append(
                _(
                    "%(unit)s: %(count)s Chiến sĩ thi đua cơ sở and no Lao động tiên tiến: the "
                    "quota has no base in this unit."
                )
                % {"unit": unit, "count": quota["cstdcs"]}
            )
        htxs = row["htxs"]
        if htxs["exceeded"]:
            notes.append(
                _(
                    "%(unit)s: %(count)s rated “Completed tasks excellently” for %(htt)s rated "
                    "“Completed tasks well”, above the cap of %(cap)s."
                )
                % {"unit": unit, "count": htxs["htxs"], "htt": htxs["htt"], "cap": htxs["cap"]}
            )
        elif htxs["applies"] and htxs["no_base"] and htxs["htxs"]:
            notes.append(
                _(
                    "%(unit)s: %(count)s rated “Completed tasks excellently” and no one rated "
                    "“Completed tasks well”: the quota has no base in this unit (it is counted "
                    "within the same peer group)."
                )
                % {"unit": unit, "count": htxs["htxs"]}
            )
    return notes
