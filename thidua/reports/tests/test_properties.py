"""Property-based tests (hypothesis) of the report's renderers over any figures: negative,
zero, missing, tiny, over 1.000 %, for every direction and target kind.

- the charts' geometry is finite and inside the picture; the SVG renders; the PNG is
  drawn without error at the size it announces;
- the Markdown and the .docx render, and a reference met reads "đạt" / ≥ 100 % in the
  sentence, the table and the JSON alike (one computation, `plans.assessment`).
"""

import datetime
import io
import json
import math
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.plans.assessment import assess, growth
from thidua.plans.choices import Direction, Measure, TargetKind
from thidua.records.choices import RatingLevel
from thidua.reports import chart_images, charts
from thidua.reports import wording as w
from thidua.reports.document import render_docx
from thidua.reports.markdown import indicator_sentence, render_markdown
from thidua.reports.render import render
from thidua.reports.summary import (
    BlockSection,
    Distribution,
    IndicatorLine,
    ReferenceLine,
    Summary,
    UnitRef,
)

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
figures = st.one_of(
    st.none(),
    st.just(Decimal(0)),
    st.decimals(min_value=-(10**7), max_value=10**9, places=2, allow_nan=False),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.5"), places=2),
)
positive = st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2)
KINDS = ["province_estimate", "local_estimate", "council_target"]


@st.composite
def indicator_lines(draw, n=0):
    measure = draw(st.sampled_from([Measure.BILLION_VND, Measure.PERCENT, Measure.PEOPLE]))
    direction = draw(st.sampled_from(list(Direction)))
    target_kind = draw(st.sampled_from(list(TargetKind)))
    value, last_year = draw(figures), draw(figures)
    references = []
    for kind in draw(st.lists(st.sampled_from(KINDS), unique=True, max_size=3)):
        reference = draw(st.one_of(positive, figures.filter(lambda v: v is not None)))
        verdict = assess(value, reference, target_kind)
        references.append(ReferenceLine(kind, reference, verdict.achievement, verdict.met))
    change = value - last_year if value is not None and last_year is not None else None
    return IndicatorLine(
        code=f"I{n}",
        name=draw(st.sampled_from(["Tổng thu ngân sách", "Tỷ lệ hộ nghèo", "Lượt khách du lịch"])),
        measure=measure,
        direction=direction,
        target_kind=target_kind,
        decimals=draw(st.integers(0, 2)),
        value=value,
        version=None if value is None else "final",
        aggregated_from=0,
        last_year=last_year,
        growth=growth(value, last_year),
        change=change,
        references=references,
    ).settle()


def _distribution():
    return Distribution(0, dict.fromkeys(RatingLevel, 0), 0, 0, 0, None)


def summary_of(lines) -> Summary:
    unit = UnitRef("KB", "Huyện Kim Bảng", "district")
    return Summary(
        unit=unit,
        parent=UnitRef("HNA", "Tỉnh Hà Nam", "province"),
        year=2020,
        computed_on=datetime.date(2021, 1, 12),
        tasks=[],
        indicators=lines,
        unit_ratings=_distribution(),
        staff_ratings=_distribution(),
        block=BlockSection(True, []),
        awards_received=[],
        awards_given=[],
        awards_within=[],
        goals=[],
        targets=[],
    )


summaries = st.lists(indicator_lines(), min_size=0, max_size=6).map(summary_of)


def _finite_inside(chart):
    for bar in chart.bars:
        assert all(math.isfinite(v) for v in (bar.x, bar.y, bar.width))
        assert bar.width >= 0 and 0 <= bar.x <= chart.width + 1e-6
        assert bar.x + bar.width <= chart.width + 1e-6
    for text in [*chart.values, *chart.row_labels]:
        assert math.isfinite(text.x) and math.isfinite(text.y)
    for mark in chart.marks:
        assert math.isfinite(mark.x)


@PROPERTY
@given(summaries)
def test_the_charts_draw_any_figures_in_svg_and_png(summary):
    for chart in (charts.achievement_chart(summary), charts.growth_chart(summary)):
        _finite_inside(chart)
        svg = render_to_string("reports/_chart.html", {"chart": chart, "id": "c"})
        assert "nan" not in svg.lower() and "inf" not in svg.lower()
        if chart_images.available():
            png = chart_images.render_png(chart)
            assert png.startswith(b"\x89PNG")
            from PIL import Image

            assert Image.open(io.BytesIO(png)).size == chart_images.image_size(chart)


@PROPERTY
@given(summaries)
def test_markdown_json_and_docx_render_any_figures(summary):
    text = render_markdown(summary)
    assert "None" not in text and "NaN" not in text
    data = json.loads(render(summary, "json").content)
    assert len(data["indicators"]) == len(summary.indicators)
    document = Document(io.BytesIO(render_docx(summary, day=datetime.date(2021, 1, 12))))
    assert document.paragraphs


@PROPERTY
@given(indicator_lines())
def test_met_reads_the_same_in_the_sentence_the_table_and_the_json(line):
    summary = summary_of([line])
    sentence = indicator_sentence(line, summary)
    data = json.loads(render(summary, "json").content)["indicators"][0]
    for ref, stored in zip(line.references, data["references"], strict=True):
        assert stored["met"] == ref.met
        cell = w.achievement_cell(ref)
        name = w.reference_name(ref.kind, summary.parent)
        if ref.achievement is not None and ref.met is not None:
            # 100 % or more exactly when met (to the rounding of the percentage).
            if ref.met:
                assert ref.achievement >= 100
            else:
                assert ref.achievement < 100 or ref.achievement.quantize(Decimal(1)) <= 100
        if line.value is None:
            continue
        if f"{cell} {name}" not in sentence:  # the sentence says met / not met in words
            assert (f"chưa đạt {name}" in sentence) is (ref.met is False)


@pytest.fixture(autouse=True)
def _no_db():
    """These tests need no database: the summary is built in memory."""
    yield
