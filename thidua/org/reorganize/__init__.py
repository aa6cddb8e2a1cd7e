"""Bulk reorganisation of the unit tree from a mapping file (`thidua reorganize FILE`).

The format is documented in `docs/reorganize-format.md`: one row per old → new code,
kinds `merge`, `split`, `rename`, `reparent` and `dissolve`; merge rows with the same
(new_code, date) form one merge, split rows with the same (old_code, date) one split.

It works in three steps, so that a file is either applied whole or not at all:

1. **read** the CSV or XLSX rows, keeping the line numbers the user sees;
2. **plan**: load every unit the file names (with their versions, ancestors and the
   children of the units that end) in a fixed number of queries, then replay the file
   day by day in memory, collecting *every* problem with its line and column, and the
   warnings (a dissolved unit that still has children or staff);
3. **apply** the planned steps in one transaction through `thidua.org.services`, whose
   verbs check the same rules again and write the audit entries.

The package follows those steps: `reading` (rows and problems), `events` (rows grouped
into events), `world` (the units loaded once), `steps` (the plan), `planner` and
`changes` (the replay, one method per kind of event), `apply` (the transaction).
"""

from thidua.org.reorganize.apply import apply_plan, reorganize
from thidua.org.reorganize.events import group_events
from thidua.org.reorganize.planner import plan_reorganization
from thidua.org.reorganize.reading import (
    COLUMNS,
    KINDS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    Problem,
    ReorganizeError,
    Row,
    parse_table,
    read_mapping,
)
from thidua.org.reorganize.steps import Plan, Step
from thidua.org.reorganize.world import load_world

__all__ = [
    "COLUMNS",
    "KINDS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "Plan",
    "Problem",
    "ReorganizeError",
    "Row",
    "Step",
    "apply_plan",
    "group_events",
    "load_world",
    "parse_table",
    "plan_reorganization",
    "read_mapping",
    "reorganize",
]
