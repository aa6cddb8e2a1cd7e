"""The emulation pages as users meet them: a permission matrix for every page and action
(denied requests change nothing), the scoring sheet with and without htmx, signing,
registering, the lock, and the dashboard's query budget."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from docx import Document

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.emulation import services
from thidua.emulation.choices import CovenantStatus, MovementKind
from thidua.emulation.models import BlockLead, Covenant, Registration, Score, Signature
from thidua.emulation.tests.factories import (
    AFTER,
    DURING,
    cross_score_all,
    full,
    make_block,
    make_covenant,
    make_movement,
)
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import UnitFactory

D = datetime.date


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Pages in English, the source language, so that messages compare whatever the
    catalog holds; `test_pages_are_vietnamese_by_default` checks the default."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def vi(text) -> str:
    """A source string as the (default) Vietnamese page shows it, translated or not."""
    with translation.override("vi"):
        return translation.gettext(str(text))


@pytest.fixture
def today(monkeypatch):
    """Pages use the local date; pin it (scoring open by default)."""
    state = {"day": DURING}
    monkeypatch.setattr("thidua.emulation.views.common.today", lambda: state["day"])
    monkeypatch.setattr(
        "thidua.emulation.services.common.today", lambda day=None: day or state["day"]
    )
    return state


def url(name, block, *args):
    return reverse(f"emulation:{name}", args=[block.year, block.code, *args])


def sheet_url(block, kind, scorer, target, name="sheet"):
    return url(name, block, kind, scorer, target)


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --------------------------------------------------------------------------- matrix

PAGE_CASES = [
    # (who, expected status): anonymous is sent to the login page.
    (None, 302),
    ("no_role", 404),
    ("other_unit", 404),
    ("kb", 200),
    ("province", 200),
]


@pytest.mark.parametrize("who, status", PAGE_CASES)
@pytest.mark.parametrize(
    "page",
    ["block", "covenant", "covenant_docx", "sheet_kb_tl", "sheet_xlsx_kb_tl"],
)
def test_who_sees_the_block_pages(client, people, covenant, today, who, status, page):
    block = covenant.block
    target = {
        "block": url("block", block),
        "covenant": url("covenant", block),
        "covenant_docx": url("covenant_docx", block),
        "sheet_kb_tl": sheet_url(block, "peer", "KB", "TL"),
        "sheet_xlsx_kb_tl": sheet_url(block, "peer", "KB", "TL", "sheet_xlsx"),
    }[page]
    response = login(client, people.get(who)).get(target)
    assert response.status_code == status
    if status == 302:
        assert "/dang-nhap/" in response["Location"]


def test_pages_are_vietnamese_by_default(client, settings, people, covenant, today):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    client.force_login(people["kb"])
    response = client.get(url("block", covenant.block))
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert f">{vi('Members and progress')}<" in page


@pytest.mark.parametrize("who, status", PAGE_CASES)
def test_who_sees_the_movement_and_the_index(client, people, world, members, today, who, status):
    movement = make_movement(world["province"], year=2020, name="Phong trào thi đua năm 2020")
    make_block(world["province"], members, movement=movement)
    client = login(client, people.get(who))
    response = client.get(reverse("emulation:movement", args=[movement.code]))
    assert response.status_code == status
    index = client.get(reverse("emulation:index"))
    if who is None:
        assert index.status_code == 302
    else:
        listed = [b.code for b in index.context["blocks"]]
        assert listed == (["KHOI-HUYEN"] if status == 200 else [])


def test_a_member_sees_only_its_own_sheets_until_the_results(client, people, covenant, today):
    block = covenant.block
    client.force_login(people["kb"])
    assert client.get(sheet_url(block, "peer", "KB", "TL")).status_code == 200
    assert client.get(sheet_url(block, "self", "KB", "KB")).status_code == 200
    assert client.get(sheet_url(block, "peer", "TL", "KB")).status_code == 404  # not its own
    assert client.get(sheet_url(block, "peer", "KB", "KB")).status_code == 404  # no such sheet
    assert client.get(url("matrix", block)).status_code == 404
    page = client.get(url("block", block)).content.decode()
    assert "The ranking is shown to the members once the results are published." in page


def test_the_block_leader_sees_every_sheet(client, people, world, covenant, today):
    block = covenant.block
    services.name_block_roles(
        block, leader=world["KB"], decision_number="1", decision_date=DURING, actor=SYSTEM
    )
    client.force_login(people["kb"])
    assert client.get(sheet_url(block, "peer", "TL", "PL")).status_code == 200
    assert client.get(url("matrix", block)).status_code == 200
    client.force_login(people["tl"])
    assert client.get(url("matrix", block)).status_code == 404


@pytest.mark.parametrize(
    "who, status", [(None, 302), ("no_role", 404), ("other_unit", 404), ("kb", 403)]
)
@pytest.mark.parametrize("action", ["lock", "publish", "reopen"])
def test_only_the_organiser_locks_publishes_and_reopens(
    client, people, covenant, today, who, status, action
):
    block = covenant.block
    if action != "lock":
        services.lock_scoring(covenant, actor=SYSTEM)
    before = Covenant.objects.get(pk=covenant.pk).status
    response = login(client, people.get(who)).post(
        url(action, block), {"reason": "x", "new_deadline": "2020-12-31"}
    )
    assert response.status_code == status
    assert Covenant.objects.get(pk=covenant.pk).status == before
    assert not BlockLead.objects.exists()


def test_the_organiser_locks_reopens_and_publishes(client, people, members, covenant, today):
    block = covenant.block
    cross_score_all(
        covenant, members, {u.code: full(5, 10, 15) for u in members} | {"KB": full(10, 20, 30)}
    )
    client.force_login(people["province"])
    assert client.post(url("lock", block)).status_code == 302
    assert Covenant.objects.get(pk=covenant.pk).status == CovenantStatus.LOCKED
    client.post(url("reopen", block), {"reason": "Bổ sung", "new_deadline": "2020-06-30"})
    assert Covenant.objects.get(pk=covenant.pk).status == CovenantStatus.OPEN
    assert AuditEntry.objects.filter(action="emulation.covenant.open", message="Bổ sung").exists()
    today["day"] = D(2020, 7, 1)  # past the new deadline: locked by itself
    response = client.post(url("publish", block), follow=True)
    assert "Huyện Kim Bảng" in response.content.decode()
    assert list(BlockLead.objects.values_list("unit__code", flat=True)) == ["KB"]
    # Published: every member now sees the ranking and the matrix.
    client.force_login(people["tl"])
    page = client.get(url("block", block)).content.decode()
    assert "<svg" in page and "Huyện Kim Bảng" in page
    assert client.get(url("matrix", block)).status_code == 200


# --------------------------------------------------------------------------- scoring sheet


def test_the_plain_form_saves_the_whole_sheet(client, people, world, covenant, today):
    block = covenant.block
    client.force_login(people["kb"])
    crit = {c.code: c.pk for c in covenant.criteria.all()}
    response = client.post(
        sheet_url(block, "peer", "KB", "TL"),
        {
            f"points-{crit['A1']}": "7,5",
            f"evidence-{crit['A1']}": "Báo cáo",
            f"points-{crit['D1']}": "-1",
        },
    )
    assert response.status_code == 302
    saved = dict(Score.objects.values_list("criterion__code", "points"))
    assert saved == {"A1": Decimal("7.50"), "D1": Decimal("-1.00")}


def test_a_bad_row_is_shown_on_its_row_and_nothing_is_saved(client, people, covenant, today):
    block = covenant.block
    client.force_login(people["kb"])
    crit = {c.code: c.pk for c in covenant.criteria.all()}
    response = client.post(
        sheet_url(block, "peer", "KB", "TL"),
        {f"points-{crit['A1']}": "7", f"points-{crit['A2']}": "25"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'aria-invalid="true" aria-describedby="error-{crit["A2"]}"' in html
    assert "Criterion A2: 25 is above the maximum of 20." in html
    assert not Score.objects.exists()


def test_htmx_saves_one_criterion_and_answers_its_row(client, people, covenant, today):
    block = covenant.block
    client.force_login(people["kb"])
    a1 = covenant.criteria.get(code="A1").pk
    cell = sheet_url(block, "peer", "KB", "TL", "sheet_cell")
    response = client.post(
        cell,
        {"criterion": "A1", f"points-{a1}": "8", f"evidence-{a1}": "x"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith(f'<tr id="row-{a1}"')
    assert "Saved" in html
    assert Score.objects.get().points == Decimal("8.00")
    response = client.post(cell, {"criterion": "A1", f"points-{a1}": "80"}, HTTP_HX_REQUEST="true")
    assert "Criterion A1: 80 is above the maximum of 10." in response.content.decode()
    assert Score.objects.get().points == Decimal("8.00")


def test_a_viewer_cannot_post_a_sheet(client, people, covenant, today):
    block = covenant.block
    client.force_login(people["kb_viewer"])
    a1 = covenant.criteria.get(code="A1").pk
    page = client.get(sheet_url(block, "peer", "KB", "TL")).content.decode()
    assert "disabled" in page and "hx-post" not in page
    response = client.post(sheet_url(block, "peer", "KB", "TL"), {f"points-{a1}": "8"})
    assert response.status_code == 403
    assert not Score.objects.exists()


def test_an_edit_after_the_deadline_is_refused_on_the_page_and_audited(
    client, people, covenant, today
):
    block = covenant.block
    today["day"] = AFTER
    client.force_login(people["kb"])
    a1 = covenant.criteria.get(code="A1").pk
    response = client.post(
        sheet_url(block, "peer", "KB", "TL", "sheet_cell"), {"criterion": "A1", f"points-{a1}": "8"}
    )
    assert "has passed" in response.content.decode()
    assert not Score.objects.exists()
    assert AuditEntry.objects.filter(action="emulation.score.refused", actor=people["kb"]).exists()


# --------------------------------------------------------------------------- xlsx


def test_the_xlsx_template_writes_evidence_starting_with_equals_as_text(
    client, people, covenant, today
):
    """Formula injection: evidence typed as `=cmd|…` stays text in the template."""
    from openpyxl import load_workbook

    block = covenant.block
    client.force_login(people["kb"])
    evidence = "=cmd|' /C calc'!A0"
    services.save_scores(
        covenant,
        scorer=people["kb"].unit_roles.get().unit,
        target=block.memberships.get(unit__code="TL").unit,
        kind="peer",
        entries=[services.ScoreEntry("A1", 5, evidence)],
        today=DURING,
        actor=SYSTEM,
    )
    template = client.get(sheet_url(block, "peer", "KB", "TL", "sheet_xlsx"))
    ws = load_workbook(io.BytesIO(template.content)).worksheets[0]
    cells = [cell for row in ws.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert evidence in [cell.value for cell in cells]


def test_the_xlsx_round_trip(client, people, covenant, today):
    from openpyxl import load_workbook

    block = covenant.block
    client.force_login(people["kb"])
    services.save_scores(
        covenant,
        scorer=people["kb"].unit_roles.get().unit,
        target=block.memberships.get(unit__code="TL").unit,
        kind="peer",
        entries=[services.ScoreEntry("A1", 5, "cũ")],
        today=DURING,
        actor=SYSTEM,
    )
    template = client.get(sheet_url(block, "peer", "KB", "TL", "sheet_xlsx"))
    wb = load_workbook(io.BytesIO(template.content))
    ws = wb.worksheets[0]
    rows = {ws.cell(row=r, column=1).value: r for r in range(8, 15)}
    assert ws.cell(row=rows["A1"], column=6).value == 5  # pre-filled
    ws.cell(row=rows["A1"], column=6, value=9.5)
    ws.cell(row=rows["B1"], column=6, value=31)  # above its maximum
    ws.cell(row=rows["D2"], column=6, value=-2)
    upload = io.BytesIO()
    wb.save(upload)
    upload.seek(0)
    upload.name = "sheet.xlsx"
    preview = client.post(sheet_url(block, "peer", "KB", "TL", "sheet_upload"), {"file": upload})
    html = preview.content.decode()
    assert preview.status_code == 400
    assert (
        f"Row {rows['B1']}, column Points (F): Criterion B1: 31 is above the maximum of 30." in html
    )
    assert Score.objects.get().points == Decimal("5.00")  # nothing saved

    ws.cell(row=rows["B1"], column=6, value=28)
    upload = io.BytesIO()
    wb.save(upload)
    upload.seek(0)
    upload.name = "sheet.xlsx"
    preview = client.post(sheet_url(block, "peer", "KB", "TL", "sheet_upload"), {"file": upload})
    assert preview.status_code == 200
    token = preview.context["preview"].token
    commit = client.post(
        sheet_url(block, "peer", "KB", "TL", "sheet_upload"), {"commit": "1", "token": token}
    )
    assert commit.status_code == 302
    saved = dict(Score.objects.values_list("criterion__code", "points"))
    assert saved == {"A1": Decimal("9.50"), "B1": Decimal("28.00"), "D2": Decimal("-2.00")}


def test_an_upload_for_another_sheet_is_refused(client, people, covenant, today):
    block = covenant.block
    client.force_login(people["province"])
    template = client.get(sheet_url(block, "peer", "KB", "TL", "sheet_xlsx")).content
    upload = io.BytesIO(template)
    upload.name = "sheet.xlsx"
    response = client.post(sheet_url(block, "peer", "PL", "TL", "sheet_upload"), {"file": upload})
    assert "template of another sheet (KB → TL)" in response.content.decode()
    bad = io.BytesIO(b"not a workbook")
    bad.name = "sheet.xlsx"
    response = client.post(sheet_url(block, "peer", "PL", "TL", "sheet_upload"), {"file": bad})
    assert "cannot be read as an .xlsx workbook" in response.content.decode()
    assert not Score.objects.exists()


# --------------------------------------------------------------------------- covenant


def test_signing_on_the_page(client, people, world, covenant, today):
    block = covenant.block
    client.force_login(people["kb"])
    page = client.get(url("covenant", block))
    assert list(dict(page.context["form"].fields["unit"].choices)) == ["KB"]
    response = client.post(
        url("covenant", block),
        {"unit": "TL", "signer_name": "X", "signed_on": "2020-02-20"},
    )
    assert response.status_code == 400 and not Signature.objects.exists()
    response = client.post(
        url("covenant", block),
        {
            "unit": "KB",
            "signer_name": "Nguyễn Văn Hải",
            "signer_position": "Chủ tịch",
            "signed_on": "20/02/2020",
        },
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.unit.code, signature.signed_on, signature.recorded_by) == (
        "KB",
        D(2020, 2, 20),
        people["kb"],
    )
    assert client.post(url("covenant", block), {"unit": "KB"}).status_code == 403


def test_the_covenant_docx_is_in_the_state_layout(client, people, world, covenant, today):
    services.sign_covenant(
        covenant,
        world["KB"],
        signer_name="Nguyễn Văn Hải",
        signer_position="Chủ tịch UBND huyện",
        signed_on=D(2020, 2, 5),
        actor=SYSTEM,
    )
    client.force_login(people["kb"])
    response = client.get(url("covenant_docx", covenant.block))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(response.content))
    header = [p.text for cell in doc.tables[0].rows[0].cells for p in cell.paragraphs]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Độc lập - Tự do - Hạnh phúc" in header
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "GIAO ƯỚC THI ĐUA" in body
    criteria = doc.tables[1]
    assert [c.text for c in criteria.rows[0].cells] == ["Mã", "Nội dung tiêu chí", "Điểm tối đa"]
    assert any(r.cells[0].text == "D2" and r.cells[2].text == "−4" for r in criteria.rows)
    signatures = "\n".join(
        p.text for row in doc.tables[2].rows for c in row.cells for p in c.paragraphs
    )
    assert "Nguyễn Văn Hải" in signatures and "Ký ngày 05/02/2020" in signatures
    assert "(chưa ký)" in signatures
    runs = [r for p in doc.paragraphs for r in p.runs if r.text]
    assert {r.font.name for r in runs} == {"Times New Roman"}


# --------------------------------------------------------------------------- registrations


@pytest.fixture
def movement(world):
    return services.launch_movement(
        code="HNA-2020",
        name="Phong trào thi đua năm 2020",
        kind=MovementKind.REGULAR,
        year=2020,
        launched_by=world["province"],
        decision_number="15/QĐ-UBND",
        decision_date=D(2020, 1, 10),
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
        registration_deadline=D(2020, 3, 31),
        actor=SYSTEM,
    )


@pytest.mark.parametrize(
    "who, status",
    [(None, 302), ("no_role", 404), ("other_unit", 404), ("kb", 200), ("province", 200)],
)
def test_who_sees_the_registrations(client, people, world, movement, members, today, who, status):
    make_block(world["province"], members, movement=movement)
    services.register_title(
        movement, unit=world["TL"], award_code="CO_TD_TINH", today=D(2020, 3, 1), actor=SYSTEM
    )
    response = login(client, people.get(who)).get(
        reverse("emulation:registrations", args=[movement.code])
    )
    assert response.status_code == status
    if who == "kb":
        # The block's roll-up lists the members; the registration list only what KB sees.
        assert [r.unit.code for r in response.context["rows"]] == []
    if who == "province":
        assert [r.unit.code for r in response.context["rows"]] == ["TL"]


def test_registering_on_the_page_and_after_the_deadline(
    client, people, world, movement, members, today
):
    make_block(world["province"], members, movement=movement)
    page = reverse("emulation:registrations", args=[movement.code])
    client.force_login(people["kb"])
    today["day"] = D(2020, 3, 1)
    response = client.post(page, {"unit": "KB", "award_code": "CO_TD_TINH"})
    assert response.status_code == 302
    response = client.post(page, {"unit": "TL", "award_code": "CO_TD_TINH"})
    assert response.status_code == 400  # not a unit KB's officer may register
    today["day"] = D(2020, 4, 1)
    response = client.get(page)
    assert response.context["form"] is None
    response = client.post(page, {"unit": "KB", "award_code": "TTLDXS"})
    assert list(Registration.objects.values_list("unit__code", "award_code")) == [
        ("KB", "CO_TD_TINH")
    ]


# --------------------------------------------------------------------------- budget


def _block_of(world, n, *, year):
    units = [
        UnitFactory(code=f"Q{year}-{i:02d}", kind=UnitKind.DISTRICT, parent=world["province"])
        for i in range(n)
    ]
    block = make_block(world["province"], units, year=year, code=f"K{n}")
    covenant = make_covenant(block, scoring_deadline=D(year, 12, 15))
    criteria = list(covenant.criteria.all())
    Score.objects.bulk_create(
        Score(
            covenant=covenant,
            criterion=c,
            target=t,
            scorer=s,
            kind="self" if s == t else "peer",
            points=1,
        )
        for s in units
        for t in units
        for c in criteria
    )
    services.rebuild_tallies(covenant)
    return block


def test_the_dashboard_reads_a_constant_number_of_queries(client, people, world, today):
    small, large = _block_of(world, 5, year=2020), _block_of(world, 50, year=2021)
    client.force_login(people["province"])
    counts = []
    for block in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("block", block))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 20
    assert response.content.decode().count('class="bar') == 50


def test_the_ranking_chart_draws_bars_in_proportion_to_the_full_score(
    client, people, members, covenant, today
):
    """The criteria count 60 points: a full score draws the whole bar (420 px), half of it
    half the bar, not a few pixels."""
    block = covenant.block
    cross_score_all(
        covenant, members, {u.code: full(5, 10, 15) for u in members} | {"KB": full(10, 20, 30)}
    )
    page = login(client, people["province"]).get(url("block", block)).content.decode()
    widths = [int(w) for w in re.findall(r'<rect class="bar[^"]*"[^>]*width="(\d+)"', page)]
    assert sorted(widths) == [210] * 5 + [420]
