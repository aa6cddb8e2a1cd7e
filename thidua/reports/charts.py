"""Geometry of the dashboard's charts, drawn as inline SVG by the template
(`reports/_chart.html`): no chart library, no JavaScript. Only positions and sizes are
computed here; the texts are escaped by the template engine.

Nothing is capped: an achievement of 235 % draws a bar 2.35 times the length of the
100 % mark, and the axis grows to hold it; a fall draws to the left of zero.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from thidua.plans.choices import ReferenceKind
from thidua.records.choices import RatingLevel
from thidua.reports.summary import Summary
from thidua.vietnamese import format_number, format_percent

WIDTH = 720
LABEL_WIDTH = 300  # px for the row labels on the left
VALUE_WIDTH = 70  # px kept free on the right for the value text
ROW = 26
BAR = 16
TOP = 8
LABEL_CHARS = 44  # a longer row label is shortened (the full text is its tooltip)
# Fills with at least 3:1 contrast against the white card (WCAG non-text contrast).
COLOURS = {
    "good": "#1f6f43",
    "short": "#a11d2b",
    RatingLevel.HTXS: "#1f6f43",
    RatingLevel.HTT: "#4d8b31",
    RatingLevel.HT: "#8a5300",
    RatingLevel.KHT: "#a11d2b",
    "none": "#6b7280",
    "on_time": "#1f6f43",
    "late": "#8a5300",
    "open": "#1d4f91",
    "overdue": "#a11d2b",
}


@dataclass
class Bar:
    x: float
    y: float
    width: float
    fill: str
    title: str  # the tooltip: what the bar shows, with its figure


@dataclass
class Text:
    x: float
    y: float
    text: str
    title: str = ""


@dataclass
class Mark:
    """A vertical line across the plot (the 100 % mark, zero), labelled at the top."""

    x: float
    label: str


@dataclass
class Chart:
    title: str
    height: int
    width: int = WIDTH
    bars: list[Bar] = field(default_factory=list)
    row_labels: list[Text] = field(default_factory=list)  # right-aligned, left of the plot
    values: list[Text] = field(default_factory=list)  # after the bars
    marks: list[Mark] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (fill, label)

    @property
    def empty(self) -> bool:
        return not self.row_labels


def _new(title: str, rows: int) -> Chart:
    return Chart(title, TOP * 3 + ROW * max(rows, 1))


def _bar_y(n: int) -> float:
    return TOP * 2 + n * ROW + (ROW - BAR) / 2


def _text_y(n: int) -> float:
    return TOP * 2 + n * ROW + ROW / 2 + 5


def _row(chart: Chart, n: int, label: str) -> None:
    short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
    chart.row_labels.append(Text(LABEL_WIDTH - 8, _text_y(n), short, label))


PLOT = WIDTH - LABEL_WIDTH - VALUE_WIDTH


def achievement_chart(summary: Summary) -> Chart:
    """One bar per indicator and reference value (the estimates and the council's
    target): the actual over the reference, in percent, with the 100 % mark."""
    rows = [
        (line, ref)
        for line in summary.indicators
        for ref in line.references
        if ref.kind != ReferenceKind.LAST_YEAR_ACTUAL and ref.achievement is not None
    ]
    # Achievement is 100 % or more exactly when met, whatever the target kind
    # (`thidua.plans.assessment`), so the 100 % mark reads the same for every bar.
    top = max([Decimal(100), *(ref.achievement for _line, ref in rows)])
    scale = PLOT / float(top)
    chart = _new(_("Achievement against each reference value"), len(rows))
    for n, (line, ref) in enumerate(rows):
        label = f"{line.name} – {ReferenceKind(ref.kind).label}"
        width = float(max(ref.achievement, 0)) * scale
        value = format_percent(ref.achievement)
        _row(chart, n, label)
        fill = COLOURS["good" if ref.met else "short"]
        chart.bars.append(Bar(LABEL_WIDTH, _bar_y(n), width, fill, f"{label}: {value}"))
        chart.values.append(Text(LABEL_WIDTH + width + 4, _text_y(n), value))
    chart.marks.append(Mark(LABEL_WIDTH + 100 * scale, "100%"))
    chart.legend = [(COLOURS["good"], _("Reached")), (COLOURS["short"], _("Not reached"))]
    return chart


def growth_chart(summary: Summary) -> Chart:
    """One bar per indicator counted in an amount: the change on last year in percent,
    right of zero for a rise and left for a fall; green when the change is for the better
    (`IndicatorLine.better`, by the direction). Rates change by percentage points, not
    percent (the tables say so), and have no bar here."""
    rows = [
        line for line in summary.indicators if line.growth is not None and not line.change_in_points
    ]
    low = min([Decimal(0), *(line.growth for line in rows)])
    high = max([Decimal(0), *(line.growth for line in rows)])
    scale = PLOT / (float(high - low) or 1.0)
    zero = LABEL_WIDTH + float(-low) * scale
    chart = _new(_("Change on %(year)s") % {"year": summary.year - 1}, len(rows))
    for n, line in enumerate(rows):
        width = abs(float(line.growth)) * scale
        x = zero if line.growth >= 0 else zero - width
        value = format_percent(line.growth, signed=True)
        _row(chart, n, line.name)
        fill = COLOURS["good" if line.better is not False else "short"]
        chart.bars.append(Bar(x, _bar_y(n), width, fill, f"{line.name}: {value}"))
        chart.values.append(Text(max(zero, x + width) + 4, _text_y(n), value))
    chart.marks.append(Mark(zero, "0"))
    chart.legend = [(COLOURS["good"], _("Better")), (COLOURS["short"], _("Worse"))]
    return chart


def _stack(chart: Chart, n: int, parts: list[tuple[str, int, str]], total: int) -> None:
    """Row `n` as one bar of `total` split into parts (fill, count, name)."""
    x = float(LABEL_WIDTH)
    for fill, count, name in parts:
        if count and total:
            width = PLOT * count / total
            chart.bars.append(Bar(x, _bar_y(n), width, fill, f"{name}: {format_number(count)}"))
            x += width


def ratings_chart(summary: Summary) -> Chart:
    """The ratings of the units directly under the unit and of its staff, each a bar
    split by level (the unrated in grey), with the share rated HTT or better."""
    chart = _new(_("Ratings"), 2)
    rows = [
        (_("Units directly under it"), summary.unit_ratings),
        (_("Staff"), summary.staff_ratings),
    ]
    for n, (label, dist) in enumerate(rows):
        _row(chart, n, f"{label} ({format_number(dist.total)})")
        parts = [(COLOURS[lv], dist.counts[lv], RatingLevel(lv).label) for lv in RatingLevel]
        parts.append((COLOURS["none"], dist.not_rated, _("Not rated")))
        _stack(chart, n, parts, dist.total)
        if dist.share is not None:
            chart.values.append(
                Text(
                    LABEL_WIDTH + PLOT + 4,
                    _text_y(n),
                    format_percent(dist.share),
                    _("Rated “completed well” or better"),
                )
            )
    chart.legend = [(COLOURS[lv], RatingLevel(lv).label) for lv in RatingLevel]
    chart.legend.append((COLOURS["none"], _("Not rated")))
    return chart


def tasks_chart(summary: Summary) -> Chart:
    """Per assigning unit: completed on time, completed late, open, overdue."""
    chart = _new(_("Assigned tasks"), len(summary.tasks))
    for n, line in enumerate(summary.tasks):
        _row(chart, n, line.assigned_by.name)
        parts = [
            (COLOURS["on_time"], line.on_time, _("Completed on time")),
            (COLOURS["late"], line.completed - line.on_time, _("Completed late")),
            (COLOURS["open"], line.open - line.overdue, _("Open")),
            (COLOURS["overdue"], line.overdue, _("Overdue")),
        ]
        _stack(chart, n, parts, line.assigned)
        chart.values.append(
            Text(LABEL_WIDTH + PLOT + 4, _text_y(n), f"{line.completed}/{line.assigned}")
        )
    chart.legend = [
        (COLOURS["on_time"], _("Completed on time")),
        (COLOURS["late"], _("Completed late")),
        (COLOURS["open"], _("Open")),
        (COLOURS["overdue"], _("Overdue")),
    ]
    return chart


def dashboard_charts(summary: Summary) -> list[Chart]:
    return [
        tasks_chart(summary),
        achievement_chart(summary),
        growth_chart(summary),
        ratings_chart(summary),
    ]
