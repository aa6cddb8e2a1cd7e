"""The dashboard's charts as pictures in the .docx report: drawn from the same geometry
at twice its size, with Vietnamese labels, numbered under their sections, and nothing
drawn (nor any error) for a unit without figures."""

import datetime
import io

from django.utils import translation
from docx import Document
from PIL import Image, ImageFont

from thidua.accounts.system import SYSTEM
from thidua.org.models import Unit
from thidua.org.tests.factories import UnitFactory
from thidua.reports import chart_images, charts
from thidua.reports.chart_images import SCALE, font, has_vietnamese, image_size, render_png
from thidua.reports.document import render_docx
from thidua.reports.summary import build_summary

CONFERENCE = datetime.date(2021, 1, 12)
PNG = b"\x89PNG\r\n\x1a\n"


def _kb_summary():
    return build_summary(Unit.objects.get(code="KB"), 2020, today=CONFERENCE, user=SYSTEM)


def _image(png: bytes) -> Image.Image:
    assert png.startswith(PNG)
    return Image.open(io.BytesIO(png)).convert("RGB")


def _rgb(fill: str) -> tuple[int, int, int]:
    return tuple(int(fill[i : i + 2], 16) for i in (1, 3, 5))


def test_the_report_carries_the_task_achievement_and_rating_charts(loaded):
    summary = _kb_summary()
    document = Document(io.BytesIO(render_docx(summary, day=CONFERENCE)))

    shapes = document.inline_shapes
    assert len(shapes) == 3
    with translation.override("vi"):
        expected = [charts.tasks_chart(summary), charts.ratings_chart(summary)]
    sizes = []
    for shape in shapes:
        blob = shape._inline.graphic.graphicData.pic.blipFill.blip
        part = document.part.related_parts[blob.embed]
        assert part.content_type == "image/png"
        sizes.append(_image(part.blob).size)
        assert shape.width <= 15 * 360000  # 15 cm in EMU, inside the margins
    assert sizes[0] == image_size(expected[0]) and sizes[2] == image_size(expected[1])

    texts = [p.text for p in document.paragraphs]
    captions = [t for t in texts if t.startswith("Biểu đồ ")]
    assert captions == [
        "Biểu đồ 1: Tình hình thực hiện nhiệm vụ cấp trên giao",
        "Biểu đồ 2: Tỷ lệ thực hiện chỉ tiêu so với dự toán, chỉ tiêu được giao",
        "Biểu đồ 3: Xếp loại mức độ hoàn thành nhiệm vụ",
    ]
    # Each figure lies in its own section, after the heading of that section.
    order = [texts.index(t) for t in ("1. Thực hiện nhiệm vụ cấp trên giao", captions[0])]
    order += [texts.index(t) for t in ("2. Kết quả thực hiện các chỉ tiêu kinh tế - xã hội",)]
    order += [texts.index(captions[1]), texts.index("3. Xếp loại mức độ hoàn thành nhiệm vụ")]
    order += [texts.index(captions[2]), texts.index("4. Kết quả thi đua trong khối")]
    assert order == sorted(order)
    # The figures stay in the tables as text.
    cells = {c.text for table in document.tables for row in table.rows for c in row.cells}
    assert {"157", "100%"} <= cells


def test_a_chart_is_drawn_at_twice_its_size_where_its_geometry_says(loaded):
    summary = _kb_summary()
    with translation.override("vi"):
        chart = charts.ratings_chart(summary)
        image = _image(render_png(chart))

    width, height = image.size
    assert width == chart.width * SCALE == 1440
    assert height > chart.height * SCALE  # the legend's rows below the plot
    assert image.getpixel((width - 1, height - 1)) == (255, 255, 255)
    for bar in chart.bars:
        middle = ((bar.x + bar.width / 2) * SCALE, (bar.y + charts.BAR / 2) * SCALE)
        assert image.getpixel(middle) == _rgb(bar.fill)
    # Labels and values are painted left of and after the bars.
    label = chart.row_labels[0]
    strip = image.crop((0, int((label.y - 12) * SCALE), int(label.x * SCALE), int(label.y * SCALE)))
    assert strip.getextrema() != ((255, 255), (255, 255), (255, 255))


def test_the_font_has_the_vietnamese_marks():
    """The font used draws ệ, ố, Ệ with their marks; Pillow's bundled font, which draws a
    box for each, is rightly refused."""
    face = font(24)
    assert face is not None and has_vietnamese(face)
    for plain, marked in (("e", "ệ"), ("o", "ố"), ("E", "Ệ")):
        assert face.getbbox(marked)[1] < face.getbbox(plain)[1], marked
    assert not has_vietnamese(ImageFont.load_default(size=24))


def test_without_a_vietnamese_font_the_report_keeps_its_tables(loaded, monkeypatch):
    monkeypatch.setattr(chart_images, "FONT_FILES", ())
    monkeypatch.setattr(chart_images, "_fontconfig", lambda: [])
    chart_images.font.cache_clear()
    try:
        document = Document(io.BytesIO(render_docx(_kb_summary(), day=CONFERENCE)))
    finally:
        chart_images.font.cache_clear()
    assert len(document.inline_shapes) == 0
    cells = {c.text for table in document.tables for row in table.rows for c in row.cells}
    assert "157" in cells


def _empty_summary():
    """A new commune of Kim Bảng: no tasks, no indicators, no units, no staff."""
    commune = UnitFactory(code="KB-MOI", name="Xã Mới", parent=Unit.objects.get(code="KB"))
    return build_summary(commune, 2020, today=CONFERENCE, user=SYSTEM)


def test_a_unit_without_figures_gets_no_pictures_and_no_error(loaded):
    summary = _empty_summary()
    document = Document(io.BytesIO(render_docx(summary, day=CONFERENCE)))

    assert len(document.inline_shapes) == 0
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Không có nhiệm vụ cấp trên giao trong năm." in text
    assert "Biểu đồ" not in text


def test_an_empty_chart_is_a_strip_saying_so(loaded):
    summary = _empty_summary()
    with translation.override("vi"):
        chart = charts.tasks_chart(summary)
        image = _image(render_png(chart))
    assert chart.empty
    assert image.size == image_size(chart) == (1440, 80)
    assert image.getextrema() != ((255, 255), (255, 255), (255, 255))  # the sentence
