"""The pages: scope on every page, the dossier built from suggestions, the register and
an XLSX import, moves with confirmation, refusals shown and audited, query budgets."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.nominations import services
from thidua.nominations.choices import State
from thidua.nominations.models import Dossier, Nominee
from thidua.nominations.tests.conftest import DAY, attach_minutes, spec
from thidua.org.models import Employment
from thidua.org.tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("pages_in_english")


def url(name, *args):
    return reverse(f"nominations:{name}", args=args)


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("no_role", 404),
        ("tl", 404),
        ("kb_viewer", 200),
        ("kb", 200),
        ("province", 200),
    ],
)
def test_dossier_page_permission_matrix(client, dossier, users, who, status):
    if who:
        login(client, users[who])
    assert client.get(url("dossier", dossier.pk)).status_code == status


def test_round_list_shows_the_round_to_units_below(client, round_, users):
    assert round_.name in login(client, users["kb"]).get(url("rounds")).content.decode()
    client.force_login(users["no_role"])
    assert round_.name not in client.get(url("rounds")).content.decode()


def test_open_round_and_start_dossier_through_the_pages(client, world, users):
    login(client, users["province"])
    response = client.post(
        url("round_new"),
        {
            "unit": world["province"].pk,
            "name": "Khen thưởng 2026",
            "year": 2026,
            "kind": "annual",
            "deadline": "2099-12-10",
        },
    )
    assert response.status_code == 302, response.content.decode()
    round_pk = int(response["Location"].rstrip("/").split("/")[-1])
    client.force_login(users["kb"])
    response = client.post(url("round", round_pk), {"unit": world["kb"].pk})
    assert response.status_code == 302
    assert Dossier.objects.get(round_id=round_pk).unit == world["kb"]


def test_add_from_the_register_and_refusal_is_shown(client, dossier, world, users):
    login(client, users["kb"])
    page = client.get(url("pick", dossier.pk), {"q": "an", "loai": "individual"})
    assert world["an"].full_name in page.content.decode()
    assert world["elsewhere"].full_name not in page.content.decode()
    client.post(
        url("pick", dossier.pk),
        {"kind": "individual", "subject": world["an"].pk, "award": "BK_TINH"},
    )
    assert Nominee.objects.filter(dossier=dossier, person=world["an"]).exists()
    # Someone of another district, posted by hand: refused with the reason, nothing added.
    response = client.post(
        url("pick", dossier.pk),
        {"kind": "individual", "subject": world["elsewhere"].pk, "award": "BK_TINH"},
        follow=True,
    )
    assert "does not work in Huyện Kim Bảng" in response.content.decode()
    assert not Nominee.objects.filter(person=world["elsewhere"]).exists()


def test_suggestions_one_click(client, dossier, world, users):
    login(client, users["kb"])
    page = client.get(url("suggestions", dossier.pk)).content.decode()
    assert "Certificate of Merit" in page and world["an"].full_name in page
    client.post(
        url("suggestions", dossier.pk),
        {"kind": "individual", "subject": world["an"].pk, "award": "BK_TINH"},
    )
    nominee = Nominee.objects.get(dossier=dossier, person=world["an"])
    assert nominee.source == "suggestion"
    assert "in the dossier" in client.get(url("suggestions", dossier.pk)).content.decode()


def xlsx_file(rows, name="de-nghi.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.title = "Đề nghị"
    ws.append(["Loại", "Mã", "Tên", "Danh hiệu", "Từ", "Đến", "Tóm tắt", "Sáng kiến"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.name = name
    out.seek(0)
    return out


def test_import_preview_then_all_rows(client, dossier, world, users):
    login(client, users["kb"])
    rows = [
        ["cá nhân", world["an"].code, "", "BK_TINH", "01/01/2020", "31/12/2020", "Xuất sắc", ""],
        ["tập thể", "KB-VP", "", "Tập thể lao động xuất sắc", None, None, "Tiêu biểu", ""],
    ]
    page = client.post(url("import", dossier.pk), {"file": xlsx_file(rows)})
    body = page.content.decode()
    assert "Add 2 nominees" in body and not Nominee.objects.exists()
    payload = page.context["payload"]
    client.post(url("import", dossier.pk), {"payload": payload})
    assert Nominee.objects.filter(dossier=dossier).count() == 2


def test_import_problems_name_sheet_row_and_column_and_add_nothing(client, dossier, world, users):
    login(client, users["kb"])
    rows = [
        ["cá nhân", world["an"].code, "", "BK_TINH", "01/01/2020", "31/12/2020", "Xuất sắc", ""],
        ["cá nhân", world["elsewhere"].code, "", "BK_TINH", "", "", "x", ""],
        ["cá nhân", "NOBODY", "", "BK_TINH", "32/13/2020", "", "x", ""],
    ]
    body = client.post(url("import", dossier.pk), {"file": xlsx_file(rows)}).content.decode()
    assert "Sheet “Đề nghị”, row 4, column “Achievement period start”" in body
    assert "Nothing was added" in body
    rows = rows[:2]
    body = client.post(url("import", dossier.pk), {"file": xlsx_file(rows)}).content.decode()
    assert "Sheet “Đề nghị”, row 3, column “Code”" in body
    assert "does not work in Huyện Kim Bảng" in body
    assert not Nominee.objects.exists()


def test_import_refuses_a_file_that_is_not_xlsx(client, dossier, users):
    login(client, users["kb"])
    fake = io.BytesIO(b"not a workbook")
    fake.name = "x.xlsx"
    body = client.post(url("import", dossier.pk), {"file": fake}).content.decode()
    assert "not an XLSX workbook" in body


def test_move_with_confirmation_and_wrong_side_refused(client, dossier, world, users):
    services.add_nominee(dossier, spec(person=world["an"]), actor=users["kb"])
    attach_minutes(dossier)
    login(client, users["kb"])
    assert client.get(url("move", dossier.pk, "submit")).status_code == 200
    client.post(url("move", dossier.pk, "submit"))
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUBMITTED
    response = client.post(url("move", dossier.pk, "receive"), follow=True)
    assert "Only an emulation officer of Tỉnh Hà Nam" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUBMITTED
    assert AuditEntry.objects.filter(action="nominations.dossier.refused").exists()
    client.force_login(users["province"])
    response = client.post(url("move", dossier.pk, "return"), {"reason": ""})
    assert response.status_code == 200  # the form again, with its error
    client.post(
        url("move", dossier.pk, "return"), {"reason": "Thiếu tóm tắt", "fields": ["achievements"]}
    )
    page = client.get(url("dossier", dossier.pk)).content.decode()
    assert "Thiếu tóm tắt" in page and "Achievements (period, summary)" in page


def test_compare_page_shows_what_changed(client, dossier, world, users):
    from thidua.records.models import Award

    services.add_nominee(dossier, spec(person=world["an"]), actor=users["kb"])
    attach_minutes(dossier)
    services.submit_dossier(dossier, actor=users["kb"], today=DAY)
    login(client, users["province"])
    assert "Nothing changed" in client.get(url("compare", dossier.pk)).content.decode()
    Award.objects.filter(person=world["an"], period_end__year=2020).update(status="annulled")
    body = client.get(url("compare", dossier.pk)).content.decode()
    assert "Needs re-checking" in body
    assert "Needs re-checking" in client.get(url("dossier", dossier.pk)).content.decode()


def _fill(dossier, world, count):
    people = PersonFactory.create_batch(count)
    Employment.objects.bulk_create(
        Employment(person=p, unit=world["office"], start=datetime.date(2015, 1, 1)) for p in people
    )
    services.add_nominees(dossier, [spec("BK_TINH", person=p) for p in people], actor=SYSTEM)


@pytest.mark.parametrize("submitted", [False, True])
def test_dossier_page_query_count_is_constant(
    client, dossier, world, users, django_assert_max_num_queries, submitted
):
    login(client, users["province"])
    _fill(dossier, world, 5)
    attach_minutes(dossier)
    if submitted:
        services.submit_dossier(dossier, today=DAY, actor=SYSTEM)
    with django_assert_max_num_queries(30) as small:
        client.get(url("dossier", dossier.pk))
    if submitted:
        Dossier.objects.filter(pk=dossier.pk).update(state=State.RETURNED)
    _fill(dossier, world, 45)
    if submitted:
        services.resubmit_dossier(dossier, today=DAY, actor=SYSTEM)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url("dossier", dossier.pk))
    assert len(response.context["rows"]) == 50


def test_proposal_letter_lists_the_nominees_by_award(client, dossier, world, users):
    import docx

    services.add_nominees(
        dossier,
        [spec(person=world["an"]), spec("TTLDXS", unit=world["office"], summary="Tiêu biểu")],
        actor=users["kb"],
    )
    response = login(client, users["kb"]).get(url("letter", dossier.pk))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "TỜ TRÌNH" in text and "Kính gửi: Tỉnh Hà Nam." in text
    assert "1 tập thể, 1 cá nhân đã có thành tích" in text
    assert world["an"].full_name in cells and "Văn phòng HĐND và UBND" in cells
    client.force_login(users["tl"])
    assert client.get(url("letter", dossier.pk)).status_code == 404


def test_documents_upload_download_and_refusals(client, dossier, world, users, settings, media):
    from thidua.nominations.models import Document
    from thidua.nominations.tests.conftest import pdf

    login(client, users["kb"])
    page = client.get(url("dossier", dossier.pk)).content.decode()
    assert "the minutes of the unit&#x27;s review" in page or "minutes of the unit" in page
    response = client.post(
        url("document_upload", dossier.pk), {"kind": "minutes", "file": pdf()}, follow=True
    )
    assert "attached" in response.content.decode()
    document = Document.objects.get(dossier=dossier)
    assert (
        document.file.path.startswith(str(media))
        and document.original_name == "bien-ban-hop-xet.pdf"
    )
    # A file whose content is not its extension, and one over the limit: refused, not stored.
    fake = pdf("gia.pdf", b"MZ this is not a pdf")
    body = client.post(
        url("document_upload", dossier.pk), {"kind": "other", "file": fake}, follow=True
    )
    assert "is not a real .pdf file" in body.content.decode()
    settings.THIDUA_ATTACHMENT_MAX_BYTES = 10
    body = client.post(
        url("document_upload", dossier.pk), {"kind": "other", "file": pdf("to.pdf")}, follow=True
    )
    assert "too large" in body.content.decode()
    assert Document.objects.count() == 1
    assert len([p for p in media.rglob("*") if p.is_file()]) == 1
    # Download: both sides may; someone of another district may not.
    assert client.get(url("document", dossier.pk, document.pk)).status_code == 200
    client.force_login(users["province"])
    assert client.get(url("document", dossier.pk, document.pk)).status_code == 200
    client.force_login(users["tl"])
    assert client.get(url("document", dossier.pk, document.pk)).status_code == 404
    client.force_login(users["kb"])
    client.post(url("document_remove", dossier.pk, document.pk))
    assert not Document.objects.exists()


@pytest.mark.parametrize("page", ["rounds", "round"])
def test_round_pages_query_count_is_constant(
    client, round_, world, users, django_assert_max_num_queries, page
):
    from thidua.org.tests.factories import UnitFactory

    def add_dossiers(count):
        for _ in range(count):
            unit = UnitFactory(parent=world["kb"])
            services.start_dossier(round_, unit, today=DAY, actor=SYSTEM)

    login(client, users["province"])
    target = url("rounds") if page == "rounds" else url("round", round_.pk)
    add_dossiers(5)
    with django_assert_max_num_queries(30) as small:
        client.get(target)
    add_dossiers(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(target).status_code == 200


@pytest.mark.parametrize(
    "name", ["suggestions", "pick", "import", "import_template", "compare", "letter"]
)
@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("no_role", 404), ("tl", 404), ("kb_viewer", 200), ("kb", 200)]
)
def test_dossier_subpages_permission_matrix(client, dossier, users, name, who, status):
    if who:
        login(client, users[who])
    assert client.get(url(name, dossier.pk)).status_code == status


@pytest.mark.parametrize("who", ["no_role", "tl", "kb_viewer"])
def test_adding_is_refused_without_the_change_right(client, dossier, world, users, who):
    login(client, users[who])
    response = client.post(
        url("pick", dossier.pk),
        {"kind": "individual", "subject": world["an"].pk, "award": "BK_TINH"},
    )
    assert response.status_code in (302, 404)
    assert not Nominee.objects.exists()
