"""The dashboard's charts as PNG images, for the .docx report.

The geometry is the dashboard's own (`thidua.reports.charts`: bars, row labels, values,
the 100 % or zero mark, the legend), computed once from the summary; this module only
paints it with Pillow, at `SCALE` times the SVG's pixel size so that the picture stays
sharp when printed at 15 cm. The texts are the chart's, already formatted the
Vietnamese way (`thidua.vietnamese`); build the chart under the language it should be
written in (the report uses `translation.override("vi")`).

The font must have the Vietnamese letters (ả, ệ, ố…): DejaVu Sans or Liberation Sans
where the system has them, else whatever sans font fontconfig offers for Vietnamese.
Pillow's bundled font (Aileron, `ImageFont.load_default`) has no Vietnamese letters —
it draws a box for each — so it is not a fallback: without a Vietnamese font there are
no pictures (`available()` is false) and the report keeps its tables only.
"""

import functools
import io
import logging
import shutil
import subprocess
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from thidua.reports.charts import BAR, Chart

SCALE = 2  # pixels per SVG pixel
FONT_SIZE = 12  # SVG pixels, as the dashboard's `font-size="12"`
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
)
INK = "#1c2430"
MARK_INK = "#5a6472"
MARGIN = 4  # SVG pixels kept free at the left edge for the longest row label
LEGEND_ROW = 20
LEGEND_SWATCH = 12
LEGEND_GAP = 16
EMPTY_HEIGHT = 40


logger = logging.getLogger(__name__)


def has_vietnamese(face: ImageFont.FreeTypeFont) -> bool:
    """Whether the font draws "ệ" as an e with its marks (above and below), not as the
    box a font draws for a letter it lacks."""
    plain, marked = face.getbbox("e"), face.getbbox("ệ")
    return marked[1] < plain[1] and marked[3] > plain[3]


def _fontconfig() -> list[str]:
    """The file fontconfig offers for a Vietnamese sans font, if fontconfig is there."""
    program = shutil.which("fc-match")
    if program is None:
        return []
    try:
        found = subprocess.run(
            [program, "--format=%{file}", "sans-serif:lang=vi"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return []
    return [found] if found else []


@functools.cache
def font(size: int) -> ImageFont.FreeTypeFont | None:
    """A scalable font with Vietnamese glyphs, `size` pixels high; None if the system has
    none (logged once)."""
    for path in (*FONT_FILES, *_fontconfig()):
        if Path(path).is_file():
            face = ImageFont.truetype(path, size)
            if has_vietnamese(face):
                return face
    logger.warning("No font with Vietnamese letters found (install fonts-dejavu-core)")
    return None


def available() -> bool:
    """Whether charts can be drawn here (a font with the Vietnamese letters exists)."""
    return font(FONT_SIZE * SCALE) is not None


def _legend(chart: Chart, face) -> tuple[list[tuple[float, float, str, str]], int]:
    """The legend's items laid out left to right under the plot, wrapping at the chart's
    width: ([(x, y, fill, label)], height), in SVG pixels (y is the row's top)."""
    items, x, y = [], 8.0, 0.0
    for fill, label in chart.legend:
        width = LEGEND_SWATCH + 4 + face.getlength(str(label)) / SCALE
        if x > 8 and x + width > chart.width - 8:
            x, y = 8.0, y + LEGEND_ROW
        items.append((x, y, fill, str(label)))
        x += width + LEGEND_GAP
    return items, (int(y) + LEGEND_ROW + 8 if items else 0)


def image_size(chart: Chart) -> tuple[int, int]:
    """The picture's size in pixels: the SVG's width and height (plus the legend's rows)
    times `SCALE`."""
    if chart.empty:
        return chart.width * SCALE, EMPTY_HEIGHT * SCALE
    _items, legend = _legend(chart, font(FONT_SIZE * SCALE))
    return chart.width * SCALE, (chart.height + legend) * SCALE


def _fit(face, text: str, room: float) -> str:
    """`text` shortened with "…" until it is at most `room` pixels wide."""
    if face.getlength(text) <= room:
        return text
    while text and face.getlength(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def render_png(chart: Chart) -> bytes:
    """The chart as PNG bytes of `image_size(chart)`, white background. A chart without
    rows is a strip saying there is nothing to draw, never an error. Call only where
    `available()`: without a Vietnamese font it raises RuntimeError."""
    face = font(FONT_SIZE * SCALE)
    if face is None:
        raise RuntimeError("No font with Vietnamese letters to draw the chart with")
    width, height = image_size(chart)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)

    def px(value: float) -> int:
        return round(value * SCALE)

    if chart.empty:
        draw.text((width / 2, height / 2), _("No figures to draw."), INK, face, anchor="mm")
        return _png(image)

    for mark in chart.marks:
        for top in range(12, chart.height, 6):  # dashed 3 on, 3 off like the SVG
            draw.line(
                [(px(mark.x), px(top)), (px(mark.x), px(min(top + 3, chart.height)))],
                MARK_INK,
                SCALE,
            )
        draw.text((px(mark.x), px(10)), mark.label, MARK_INK, face, anchor="ms")
    for label in chart.row_labels:
        # The whole name, shortened to the room there is in this font (the SVG cuts at a
        # fixed number of characters and shows the rest as a tooltip, which paper lacks).
        text = _fit(face, label.title or label.text, px(label.x - MARGIN))
        draw.text((px(label.x), px(label.y)), text, INK, face, anchor="rs")
    for bar in chart.bars:
        if bar.width > 0:
            draw.rectangle(
                _box(px(bar.x), px(bar.y), px(bar.x + bar.width), px(bar.y + BAR)), bar.fill
            )
    for value in chart.values:
        draw.text((px(value.x), px(value.y)), value.text, INK, face, anchor="ls")
    items, _height = _legend(chart, face)
    for x, y, fill, label in items:
        top = chart.height + y + 4
        draw.rectangle(_box(px(x), px(top), px(x + LEGEND_SWATCH), px(top + LEGEND_SWATCH)), fill)
        draw.text((px(x + LEGEND_SWATCH + 4), px(top + LEGEND_SWATCH / 2)), label, INK, face, "lm")
    return _png(image)


def _box(x0: int, y0: int, x1: int, y1: int) -> list[int]:
    """A rectangle's inclusive pixel box from its edges: at least one pixel wide and high,
    however thin the bar (a bar under half a pixel rounds to no width at all)."""
    return [x0, y0, max(x0, x1 - 1), max(y0, y1 - 1)]


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(96 * SCALE, 96 * SCALE))
    return out.getvalue()
