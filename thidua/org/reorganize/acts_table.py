"""The official table's shape for `thidua reorganize`: rows `act, act_date, old_code,
new_code` (as the statistics office publishes a reform), grouped into acts by act number
and date, applied through `thidua.org.acts` (ADR 0009). Optional columns: `level`,
`new_name`, `new_parent`, `new_kind` (a new successor's name, parent and kind) and `staff`
(`x` on the row whose successor receives a split unit's staff). A second file may place
people one by one (`person,new_code`)."""

import csv
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from thidua.org.acts import ActResult, ActRow, Placement, run_acts
from thidua.org.choices import UnitKind
from thidua.org.reorganize.reading import Problem, _csv_table, _text, _xlsx_table
from thidua.vietnamese import parse_date

ACT_REQUIRED = ("act", "act_date", "old_code", "new_code")
ACT_OPTIONAL = ("level", "new_name", "new_parent", "new_kind", "staff")
PLACEMENT_COLUMNS = ("person", "new_code")


def _table(path) -> tuple[list | None, list[Problem]]:
    path = Path(path)
    try:
        if path.suffix.lower() == ".xlsx":
            return _xlsx_table(path), []
        return _csv_table(path), []
    except (OSError, UnicodeDecodeError, csv.Error, zipfile.BadZipFile, KeyError, ValueError) as e:
        message = _("Cannot read %(file)s: %(error)s") % {"file": path.name, "error": e}
        return None, [Problem(None, None, message)]


def _records(table, required, optional, problems):
    """(line, {column: text}) for each non-blank row, once the header is checked."""
    header = None
    for line, values in table:
        cells = [_text(v) for v in values]
        if not any(cells):
            continue
        if header is None:
            header = [c.lower().replace(" ", "_") for c in cells]
            for column in required:
                if column not in header:
                    problems.append(Problem(line, column, _("This column is missing.")))
            for column in header:
                if column not in required + optional:
                    problems.append(
                        Problem(
                            line,
                            column or None,
                            _("Unknown column; the columns are %(columns)s.")
                            % {"columns": ", ".join(required + optional)},
                        )
                    )
            if problems:
                return
            continue
        yield line, dict(zip(header, cells, strict=False))


def is_act_table(path) -> bool:
    """Whether the file's header is the official table's (it has `act` and `act_date`)."""
    table, _problems = _table(path)
    for _line, values in table or []:
        cells = [_text(v).lower() for v in values]
        if any(cells):
            return "act" in cells and "act_date" in cells
    return False


def read_act_table(path) -> tuple[list[ActRow], list[Problem]]:
    table, problems = _table(path)
    rows = []
    for line, record in _records(table or [], ACT_REQUIRED, ACT_OPTIONAL, problems):
        day = parse_date(record["act_date"])
        if day is None:
            problems.append(
                Problem(
                    line,
                    "act_date",
                    _("“%(value)s” is not a date; write dd/mm/yyyy.")
                    % {"value": record["act_date"]},
                )
            )
        for column in ("act", "old_code"):
            if not record.get(column):
                problems.append(Problem(line, column, _("This cell is required.")))
        kind = record.get("new_kind", "")
        if kind and kind not in UnitKind.values:
            problems.append(
                Problem(
                    line,
                    "new_kind",
                    _("Unknown kind “%(value)s”; the kinds are %(kinds)s.")
                    % {"value": kind, "kinds": ", ".join(UnitKind.values)},
                )
            )
        rows.append(
            ActRow(
                line,
                record["act"],
                day,
                record["old_code"],
                record["new_code"],
                new_name=record.get("new_name", ""),
                new_parent=record.get("new_parent", ""),
                new_kind=kind,
                staff=bool(record.get("staff", "")),
            )
        )
    return rows, problems


def read_placements(path) -> tuple[list[Placement], list[Problem]]:
    table, problems = _table(path)
    placements = []
    for line, record in _records(table or [], PLACEMENT_COLUMNS, (), problems):
        placements.append(Placement(line, record["person"], record["new_code"]))
    return placements, problems


def reorganize_acts(path, *, staff=None, dry_run=False, actor) -> ActResult:
    """Read, check and (unless `dry_run`, and only without problems) apply an act table."""
    rows, problems = read_act_table(path)
    placements, more = read_placements(staff) if staff else ([], [])
    problems += more
    if problems:
        return ActResult(problems=problems)
    return run_acts(rows, placements=placements, dry_run=dry_run, actor=actor)


def province_summary(result: ActResult) -> list[str]:
    """One line per province: the units it received, created, kept and ended."""
    lines = []
    for province, counts in sorted(result.by_province.items()):
        lines.append(
            _(
                "%(province)s: %(communes)s communes from %(before)s (%(new)s new, "
                "%(kept)s continued, %(absorbed)s absorbing); %(districts)s districts ended"
            )
            % {
                "province": province,
                "communes": sum(counts[f"commune:{how}"] for how in ("new", "continue", "absorb")),
                "before": counts["commune:predecessors"],
                "new": counts["commune:new"],
                "kept": counts["commune:continue"],
                "absorbed": counts["commune:absorb"],
                "districts": counts["district:ended"],
            }
        )
    return lines


__all__ = ["is_act_table", "province_summary", "read_placements", "reorganize_acts"]
