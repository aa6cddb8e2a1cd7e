"""What a load tells its caller: the problems found, or how many rows were created."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# A file with a systematic mistake (a wrong column) can have one problem per row; past this
# many the rest are only counted, so that the error stays readable and memory stays small.
MAX_PROBLEMS = 10_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located by section (sheet), row and field.

    `section` is empty for the file as a whole, `row` is None for a whole section (a sheet
    header problem uses row 1). `message` is translated and names the offending value.
    """

    section: str
    row: int | None
    field: str
    message: str

    def __str__(self):
        place = {"section": self.section, "row": self.row, "field": self.field}
        if self.section and self.row is not None and self.field:
            where = _("%(section)s row %(row)s, %(field)s") % place
        elif self.section and self.row is not None:
            where = _("%(section)s row %(row)s") % place
        elif self.section and self.field:
            where = _("%(section)s, %(field)s") % place
        else:
            where = self.section or self.field
        return f"{where}: {self.message}" if where else self.message


class DatasetError(Exception):
    """The dataset was refused; nothing was written. `problems` lists what is wrong (at most
    MAX_PROBLEMS of them), `total` counts them all."""

    def __init__(self, problems, total: int | None = None):
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        super().__init__(self.summary())

    def summary(self) -> str:
        return _("%(count)s problem(s) in the dataset; nothing was loaded.") % {"count": self.total}

    def lines(self) -> list[str]:
        """Every problem as a line, and a last line counting those not kept, if any."""
        lines = [str(p) for p in self.problems]
        if self.total > len(self.problems):
            lines.append(
                _("… and %(count)s more problem(s).") % {"count": self.total - len(self.problems)}
            )
        return lines


@dataclass
class LoadReport:
    """A successful load: rows created per section (every section, in load order)."""

    counts: dict[str, int] = field(default_factory=dict)
    sha256: str = ""
    # Rows loaded that call for attention (a rating that cannot stand), located like problems.
    warnings: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class ProblemList:
    """Problems collected during validation, capped at MAX_PROBLEMS kept."""

    def __init__(self, limit: int = MAX_PROBLEMS):
        self.kept: list[Problem] = []
        self.total = 0
        self.limit = limit

    def add(self, section: str, row: int | None, field_name: str, message: str) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(Problem(section, row, field_name, str(message)))

    def extend(self, problems) -> None:
        for p in problems:
            self.add(p.section, p.row, p.field, p.message)

    def __bool__(self):
        return self.total > 0
