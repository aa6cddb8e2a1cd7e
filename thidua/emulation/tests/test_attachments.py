"""Files attached to a movement: who may attach and download them (a permission matrix in
which a refused upload stores no file and no row), the types and the size accepted, the
original Vietnamese name sent back, removal, and the movement page's query budget."""

import datetime
import io
from urllib.parse import unquote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.accounts.choices import Role
from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.emulation import services
from thidua.emulation.choices import MovementKind
from thidua.emulation.models import MovementAttachment
from thidua.emulation.tests.conftest import stored_files
from thidua.emulation.tests.factories import make_block, make_movement
from thidua.org.tests.factories import user_with_role

pytestmark = pytest.mark.usefixtures("pages_in_english", "media")

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
NAME = "Kế hoạch phát động thi đua 2020.pdf"


def docx_bytes() -> bytes:
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def upload(name=NAME, content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def movement(world, members):
    """The province's movement; the block of its districts takes part in it."""
    movement = make_movement(world["province"], year=2020, name="Phong trào thi đua năm 2020")
    make_block(world["province"], members, movement=movement)
    return movement


def page(movement):
    return reverse("emulation:movement", args=[movement.code])


def upload_url(movement):
    return reverse("emulation:attachment_upload", args=[movement.code])


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --------------------------------------------------------------------------- upload


def test_an_officer_of_the_launching_unit_attaches_a_file(client, people, movement, media):
    client.force_login(people["province"])
    form = client.get(page(movement)).content.decode()
    assert 'enctype="multipart/form-data"' in form  # a plain form: no JavaScript needed

    response = client.post(
        upload_url(movement), {"file": upload(), "description": "Quyết định và kế hoạch"}
    )

    assert response.status_code == 302
    attachment = MovementAttachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        NAME,
        "application/pdf",
        len(PDF),
    )
    assert attachment.uploaded_by == people["province"]
    assert attachment.description == "Quyết định và kế hoạch"
    # Stored under emulation/<movement id>/<uuid>.pdf: no user-typed name on disk.
    [stored] = stored_files(media)
    assert stored.relative_to(media).parts[:2] == ("emulation", str(movement.pk))
    assert stored.suffix == ".pdf" and len(stored.stem) == 32
    assert stored.read_bytes() == PDF
    entry = AuditEntry.objects.get(action="emulation.movement.attach")
    assert entry.actor == people["province"] and entry.after["original_name"] == NAME
    listed = client.get(page(movement)).content.decode()
    assert NAME in listed and "Quyết định và kế hoạch" in listed
    assert reverse("emulation:attachment", args=[movement.code, attachment.pk]) in listed


@pytest.mark.parametrize(
    "who, status",
    [
        (None, 302),  # to the login page
        ("no_role", 404),  # may not see the movement
        ("other_unit", 404),
        ("kb", 403),  # a member of the block sees the movement but did not launch it
        ("province_viewer", 403),
        ("province", 302),
    ],
)
def test_who_may_attach(client, people, world, movement, media, who, status):
    people["province_viewer"] = user_with_role(Role.VIEWER, world["province"], username="pv")
    response = login(client, people.get(who)).post(upload_url(movement), {"file": upload()})
    assert response.status_code == status
    if who is None:
        assert "/dang-nhap/" in response["Location"]
    allowed = who == "province"
    assert MovementAttachment.objects.exists() is allowed
    assert bool(stored_files(media)) is allowed
    assert AuditEntry.objects.filter(action="emulation.movement.attach").exists() is allowed


def test_the_upload_form_is_shown_only_to_those_who_may_attach(client, people, movement):
    client.force_login(people["kb"])
    response = client.get(page(movement))
    assert response.status_code == 200 and response.context["attachment_form"] is None
    assert "multipart/form-data" not in response.content.decode()


def test_a_refused_upload_through_the_verb_writes_nothing(people, world, movement, media):
    with pytest.raises(PermissionDenied):
        services.attach_to_movement(movement, upload(), actor=people["kb"])
    assert not MovementAttachment.objects.exists() and stored_files(media) == []


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "chuong-trinh.exe",
            b"MZ\x90\x00",
            "chuong-trinh.exe: files of this type are not accepted; "
            "attach .pdf, .doc, .docx, .xls, .xlsx, .jpg, .png.",
        ),
        ("không đuôi", PDF, "không đuôi: files of this type are not accepted"),
        ("gia-mao.pdf", b"MZ\x90\x00 not a pdf", "gia-mao.pdf is not a real .pdf file."),
        ("bang-tinh.docx", None, "bang-tinh.docx is not a real .docx file."),  # an .xlsx
    ],
)
def test_a_bad_file_is_refused_with_a_message_naming_it(
    client, people, movement, media, name, content, message
):
    client.force_login(people["province"])
    content = xlsx_bytes() if content is None else content
    response = client.post(upload_url(movement), {"file": upload(name, content)})
    assert response.status_code == 400
    errors = response.context["attachment_form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert message.split(";")[0] in response.content.decode()
    assert not MovementAttachment.objects.exists() and stored_files(media) == []


def test_an_empty_file_is_refused(client, people, movement, media):
    with pytest.raises(ValidationError, match="rong.pdf is empty."):
        services.attach_to_movement(movement, upload("rong.pdf", b""), actor=people["province"])
    client.force_login(people["province"])
    response = client.post(upload_url(movement), {"file": upload("rong.pdf", b"")})
    assert response.context["attachment_form"].errors["file"] == ["The submitted file is empty."]
    assert not MovementAttachment.objects.exists() and stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused(client, people, movement, media, settings):
    assert services.attachment_max_bytes() == 20 * 1024 * 1024  # the default
    settings.THIDUA_ATTACHMENT_MAX_BYTES = 1024
    client.force_login(people["province"])
    response = client.post(upload_url(movement), {"file": upload(content=PDF + b" " * 1100)})
    assert response.status_code == 400
    [error] = response.context["attachment_form"].errors["file"]
    assert error == f"{NAME} is too large (1.1\xa0KB); the largest file accepted is 1.0\xa0KB."
    assert not MovementAttachment.objects.exists() and stored_files(media) == []
    response = client.post(upload_url(movement), {"file": upload(content=PDF + b" " * 100)})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("Bao cao.DOCX", docx_bytes, "application/vnd.openxmlformats-officedocument"),
        ("Danh sách.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument"),
        ("Ảnh hội nghị.jpeg", lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("so-do.png", lambda: PNG, "image/png"),
        (
            "cu.doc",
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20,
            "application/msword",
        ),
    ],
)
def test_the_accepted_types(people, movement, media, name, content, content_type):
    attachment = services.attach_to_movement(
        movement, upload(name, content()), actor=people["province"]
    )
    assert attachment.content_type.startswith(content_type)
    assert attachment.original_name == name
    assert attachment.file.name.endswith(
        "." + {"jpeg": "jpg", "DOCX": "docx"}.get(name.rsplit(".")[-1], name.rsplit(".")[-1])
    )


def test_a_failure_after_the_file_is_written_removes_it(people, movement, media, monkeypatch):
    def failing_log(action, *args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("thidua.emulation.services.movements.log", failing_log)
    with pytest.raises(RuntimeError):
        services.attach_to_movement(movement, upload(), actor=people["province"])
    assert not MovementAttachment.objects.exists() and stored_files(media) == []


# --------------------------------------------------------------------------- download


@pytest.fixture
def attached(people, movement):
    return services.attach_to_movement(
        movement, upload(), description="Kế hoạch", actor=people["province"]
    )


@pytest.mark.parametrize(
    "who, status",
    [(None, 302), ("no_role", 404), ("other_unit", 404), ("kb", 200), ("province", 200)],
)
def test_who_may_download(client, people, movement, attached, who, status):
    url = reverse("emulation:attachment", args=[movement.code, attached.pk])
    response = login(client, people.get(who)).get(url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_download_keeps_the_vietnamese_name(client, people, movement, attached):
    client.force_login(people["kb"])
    response = client.get(reverse("emulation:attachment", args=[movement.code, attached.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="ke hoach phat dong thi dua 2020.pdf"; ')
    encoded = disposition.split("filename*=utf-8''", 1)[1]
    assert encoded.isascii() and " " not in encoded
    assert unquote(encoded) == NAME


def test_a_download_through_another_movement_or_a_lost_file_is_not_found(
    client, people, world, movement, attached
):
    other = services.launch_movement(
        code="KB-2020",
        name="Phong trào của huyện",
        kind=MovementKind.REGULAR,
        year=2020,
        launched_by=world["KB"],
        decision_number="1/QĐ-UBND",
        decision_date=D(2020, 1, 5),
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
        actor=SYSTEM,
    )
    client.force_login(people["province"])
    assert (
        client.get(reverse("emulation:attachment", args=[other.code, attached.pk])).status_code
        == 404
    )
    attached.file.storage.delete(attached.file.name)
    url = reverse("emulation:attachment", args=[movement.code, attached.pk])
    assert client.get(url).status_code == 404


# --------------------------------------------------------------------------- removal


def test_the_launching_unit_removes_an_attachment(
    client, people, movement, attached, media, django_capture_on_commit_callbacks
):
    url = reverse("emulation:attachment_remove", args=[movement.code, attached.pk])
    client.force_login(people["kb"])
    assert client.post(url).status_code == 403
    assert MovementAttachment.objects.exists() and stored_files(media)
    client.force_login(people["province"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not MovementAttachment.objects.exists() and stored_files(media) == []
    entry = AuditEntry.objects.get(action="emulation.movement.detach")
    assert entry.before["original_name"] == NAME


# --------------------------------------------------------------------------- budget


def test_the_movement_page_reads_a_constant_number_of_queries(client, people, movement):
    client.force_login(people["province"])
    counts = []
    for n in (5, 50):
        MovementAttachment.objects.all().delete()
        MovementAttachment.objects.bulk_create(
            MovementAttachment(
                movement=movement,
                file=f"emulation/{movement.pk}/{i:032d}.pdf",
                original_name=f"Tệp {i}.pdf",
                content_type="application/pdf",
                size=1000 + i,
                uploaded_by=people["province"] if i % 2 else people["kb"],
            )
            for i in range(n)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page(movement))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert response.content.decode().count('">Tệp ') == 50
