import pytest
from django.urls import reverse

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.decisions import services
from thidua.decisions.models import Decision
from thidua.decisions.tests.conftest import header

pytestmark = pytest.mark.usefixtures("pages_in_english")


@pytest.fixture
def issued(world, users, passed):
    return services.issue_decision(world["province"], passed, actor=users["province"], **header())


def post_issue(client, passed, **extra):
    data = {
        "authority": passed[0].dossier.round.unit_id,
        "decided_on": "08/01/2021",
        "signer_name": "Trương Quốc Huy",
        "signer_position": "Phó Chủ tịch",
        "nominees": [n.pk for n in passed],
        **extra,
    }
    return client.post(reverse("decisions:issue"), data)


def test_officer_issues_from_the_page(client, users, passed):
    client.force_login(users["province"])
    page = client.get(reverse("decisions:issue"))
    assert page.status_code == 200 and str(passed[0].recipient) in page.content.decode()
    response = post_issue(client, passed)
    decision = Decision.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "decisions:detail", args=[decision.pk]
    )
    detail = client.get(response.url).content.decode()
    assert "1/QĐ-UBND" in detail and str(passed[1].recipient) in detail


@pytest.mark.parametrize("who", ["kb", "kb_viewer", "tl", "no_role"])
def test_others_may_not_issue(client, users, passed, who):
    client.force_login(users[who])
    assert client.get(reverse("decisions:issue")).status_code == 403
    assert post_issue(client, passed).status_code == 403
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("who", "list_sees", "detail", "docx"),
    [
        ("province", True, 200, 200),
        ("kb", True, 200, 404),  # its own people's lines only, no whole-decision files
        ("kb_viewer", True, 200, 404),
        ("tl", False, 404, 404),
        ("no_role", False, 404, 404),
    ],
)
def test_permission_matrix(client, users, issued, who, list_sees, detail, docx):
    client.force_login(users[who])
    listing = client.get(reverse("decisions:list")).content.decode()
    assert (issued.number in listing) is list_sees
    assert client.get(reverse("decisions:detail", args=[issued.pk])).status_code == detail
    for name in ("docx", "xlsx"):
        assert client.get(reverse(f"decisions:{name}", args=[issued.pk])).status_code == docx
    may_annul = client.get(reverse("decisions:annul", args=[issued.pk])).status_code
    assert may_annul == (200 if who == "province" else 404 if docx == 404 else 403)


def test_downloads(client, users, issued):
    client.force_login(users["province"])
    docx = client.get(reverse("decisions:docx", args=[issued.pk]))
    assert docx["Content-Type"].endswith("wordprocessingml.document") and docx.content[:2] == b"PK"
    xlsx = client.get(reverse("decisions:xlsx", args=[issued.pk]))
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("decisions:certificates", args=[issued.pk]), {"dx_mm": "2.5"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    assert (
        pdf.content.count(b"/Type /Page\n")
        + pdf.content.count(b"/Type /Page/")
        + pdf.content.count(b"/Type /Page ")
        >= 1
    )


def test_xlsx_text_never_a_formula(client, users, world, dossier):
    import io

    from openpyxl import load_workbook

    from thidua.decisions.tests.conftest import ready
    from thidua.nominations import services as nominations

    world["an"].family_name = "=HYPERLINK(1)"
    world["an"].middle_name = world["an"].given_name = ""
    world["an"].save()
    made = nominations.add_nominees(
        dossier,
        [nominations.NomineeSpec(award_code="BK_TINH", person=world["an"], summary="x")],
        actor=users["kb"],
    )
    ready(dossier, made)
    decision = services.issue_decision(world["province"], made, actor=users["province"], **header())
    client.force_login(users["province"])
    book = load_workbook(
        io.BytesIO(client.get(reverse("decisions:xlsx", args=[decision.pk])).content)
    )
    cells = [
        c
        for row in book.active.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_verification_page(client, users, issued):
    line = issued.recipients.first()
    page = client.get(reverse("verify", args=[line.serial]))
    text = page.content.decode()
    assert page.status_code == 200 and "still valid" in text and line.name in text
    assert issued.number in text
    services.annul_decision(issued, reason="Khai man", actor=users["province"], **header())
    text = client.get(reverse("verify", args=[line.serial])).content.decode()
    assert "annulled" in text and "still valid" not in text
    assert "2/QĐ-UBND" in text


def test_verification_unknown_serial_is_a_404_in_vietnamese(client, db):
    client.cookies.clear()
    page = client.get(reverse("verify", args=["2021-NOPE"]), HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 404
    assert AuditEntry.objects.filter(
        action="decisions.certificate.unknown", target_id="2021-NOPE"
    ).exists()


def test_verification_shows_no_other_personal_data(client, world, issued):
    line = issued.recipients.get(subject_kind="individual")
    text = client.get(reverse("verify", args=[line.serial])).content.decode()
    person = world["an"]
    for private in (
        person.code,
        str(person.birth_date.year) if getattr(person, "birth_date", None) else None,
    ):
        if private:
            assert private not in text


@pytest.mark.parametrize("size", [2, 12])
def test_list_query_budget(client, users, world, passed, size, django_assert_max_num_queries):
    for _ in range(size):
        services.correct_decision(
            services.issue_decision(world["province"], passed, actor=users["province"], **header())
            if not Decision.objects.exists()
            else Decision.objects.filter(kind="confer").first(),
            reason="r",
            correction="c",
            actor=users["province"],
            **header(),
        )
    client.force_login(users["province"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("decisions:list")).status_code == 200


def test_person_and_unit_pages_link_to_the_decision(client, users, world, issued):
    client.force_login(users["kb"])
    url = reverse("decisions:detail", args=[issued.pk])
    person = client.get(reverse("org:person_detail", args=[world["an"].code])).content.decode()
    assert url in person
    unit = client.get(reverse("org:unit_detail", args=[world["office"].code])).content.decode()
    assert url in unit


def test_api_lists_and_shows_in_scope(client, users, issued):
    client.force_login(users["province"])
    listing = client.get("/api/decisions/decisions").json()
    assert [d["number"] for d in listing["items"]] == ["1/QĐ-UBND"]
    detail = client.get(f"/api/decisions/decisions/{issued.pk}").json()
    assert len(detail["recipients"]) == 2 and all(r["valid"] for r in detail["recipients"])
    client.force_login(users["tl"])
    assert client.get("/api/decisions/decisions").json()["items"] == []
    assert client.get(f"/api/decisions/decisions/{issued.pk}").status_code == 404


def test_detail_page_does_not_grow_with_the_recipients(client, db, django_assert_max_num_queries):
    import datetime

    from benchmarks.bench_decisions import build
    from thidua.org.tests.factories import UserFactory

    province, nominees = build(18)
    small = services.issue_decision(
        province, nominees[:3], actor=SYSTEM, **header(decided_on=datetime.date(2026, 1, 8))
    )
    large = services.issue_decision(
        province, nominees[3:], actor=SYSTEM, **header(decided_on=datetime.date(2026, 1, 9))
    )
    client.force_login(UserFactory(username="root", is_superuser=True))
    counts = []
    for decision in (small, large):
        with django_assert_max_num_queries(12) as captured:
            assert client.get(reverse("decisions:detail", args=[decision.pk])).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_verification_is_rate_limited_per_client_with_a_vietnamese_429(client, issued, settings):
    settings.VERIFY_RATE_LIMIT = 3
    url = reverse("verify", args=[issued.recipients.first().serial])
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200
    client.cookies.clear()  # the page's own language: Vietnamese
    for _ in range(2):
        refused = client.get(url, REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT_LANGUAGE="vi")
        assert refused.status_code == 429
    assert "Kiểm tra quá nhiều" in refused.content.decode()
    # another client is not held back by the first one
    assert client.get(url, REMOTE_ADDR="198.51.100.2").status_code == 200
    # one audit row for the client's refusals in this minute, not one per request
    rows = AuditEntry.objects.filter(action="decisions.verify.rate_limited")
    assert [(r.target_id, r.client_address) for r in rows] == [("203.0.113.7", "203.0.113.7")]
