"""Certificates (bằng khen, giấy khen, title certificates) as printable PDF, one A4
landscape page each, with the serial number and a QR code to the public verification page
`/xac-minh/<serial>/`.

PDF by fpdf2 (pure Python), QR by segno. Vietnamese text needs a TrueType font with its
glyphs: DejaVu Serif from Debian's `fonts-dejavu-core`, looked up in
`THIDUA_CERTIFICATE_FONT_DIR` (default `/usr/share/fonts/truetype/dejavu`). Printing on
pre-printed blanks: a printer's offset (millimetres right and down) shifts everything.
"""

import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from thidua.awards.catalog import get_catalog
from thidua.documents import date_line

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"}
PAGE_W, PAGE_H = 297, 210


def font_dir() -> Path:
    return Path(getattr(settings, "THIDUA_CERTIFICATE_FONT_DIR", "") or FONT_DIR)


def heading(award_code: str) -> str:
    """The big word of the certificate: BẰNG KHEN, GIẤY KHEN, CỜ THI ĐUA or GIẤY CHỨNG NHẬN."""
    if award_code.startswith("BK"):
        return "BẰNG KHEN"
    if award_code == "GK" or award_code.startswith("GK_"):  # of each conferring authority
        return "GIẤY KHEN"
    if award_code.startswith("CO_TD"):
        return "CỜ THI ĐUA"
    return "GIẤY CHỨNG NHẬN"


def _qr_png(url: str) -> io.BytesIO:
    import segno  # here, like fpdf: the site's pages load this module, few print

    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False, mask=0).save(buffer, kind="png", scale=4, border=1)
    buffer.seek(0)
    return buffer


class _Printer:
    def __init__(self, dx_mm=0, dy_mm=0):
        self.dx, self.dy = float(Decimal(dx_mm or 0)), float(Decimal(dy_mm or 0))
        from fpdf import FPDF  # here: importing fpdf2 costs ~0.4 s of CPU per process

        pdf = FPDF(orientation="L", unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_compression(True)
        folder = font_dir()
        for style, name in FONT_FILES.items():
            path = folder / name
            if not path.exists():
                raise ImproperlyConfigured(
                    f"{path}: the certificate font is missing (install Debian's fonts-dejavu-core "
                    "or set THIDUA_CERTIFICATE_FONT_DIR)"
                )
            pdf.add_font("serif", style, str(path))
        self.pdf = pdf

    def line(self, y, text, size, style="", *, x=15, w=PAGE_W - 30, align="C"):
        pdf = self.pdf
        pdf.set_font("serif", style, size)
        for i, part in enumerate(text.split("\n")):
            pdf.set_xy(x + self.dx, y + self.dy + i * size * 0.5)
            pdf.cell(w, size * 0.45, part, align=align)

    def page(self, c: dict, verify_url: str):
        self.pdf.add_page()
        self.line(16, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, "B")
        self.line(23, "Độc lập - Tự do - Hạnh phúc", 13, "B")
        self.line(36, c["issuer"].upper(), 15, "B")
        self.line(50, c["heading"], 34, "B")
        self.line(72, "Tặng", 15, "I")
        self.line(82, c["name"], 22, "B")
        if c["unit"]:
            self.line(96, c["unit"], 13, "I")
        self.line(108, c["achievement"], 14)
        self.line(150, c["place_date"], 13, "I", x=150, w=PAGE_W - 165, align="C")
        self.line(158, c["signer_position"].upper(), 13, "B", x=150, w=PAGE_W - 165)
        self.line(188, c["signer_name"], 14, "B", x=150, w=PAGE_W - 165)
        self.line(172, f"Quyết định số {c['number']}", 11, x=15, w=110, align="L")
        self.line(178, f"ngày {c['date']}", 11, x=15, w=110, align="L")
        self.line(184, f"Số vào sổ: {c['serial']}", 11, "B", x=15, w=110, align="L")
        self.pdf.image(_qr_png(verify_url), x=15 + self.dx, y=140 + self.dy, w=28, h=28)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def certificate_fields(recipient) -> dict:
    """What a certificate prints for one `Recipient` (of a conferring decision)."""
    decision = recipient.decision
    award = recipient.award
    entry = get_catalog().get(recipient.award_code)
    name = entry.name_vi if entry else recipient.award_code
    start, end = award.period_start, award.period_end
    period = f"năm {end.year}" if start.year == end.year else f"giai đoạn {start.year} - {end.year}"
    person = recipient.subject_kind == "individual"
    unit = getattr(recipient, "unit_name", "")
    authority = decision.authority
    issuer = (
        f"Chủ tịch Ủy ban nhân dân {authority.name}"
        if authority.kind in ("province", "district", "commune")
        else authority.name
    )
    day = decision.decided_on
    return {
        "issuer": issuer,
        "heading": heading(recipient.award_code),
        "name": ("Ông/Bà " if person else "") + recipient.name,
        "unit": unit,
        "achievement": (
            f"Đã có thành tích xuất sắc trong thực hiện nhiệm vụ {period}"
            if heading(recipient.award_code) != "GIẤY CHỨNG NHẬN"
            else f"Đạt danh hiệu {name} {period}"
        ),
        "place_date": date_line(authority.name.replace("Tỉnh ", "").replace("Huyện ", ""), day),
        "date": day.strftime("%d/%m/%Y"),
        "signer_position": decision.signer_position,
        "signer_name": decision.signer_name,
        "number": decision.number,
        "serial": recipient.serial,
    }


def render(recipients, verify_url, *, dx_mm=0, dy_mm=0) -> bytes:
    """One PDF with a page per recipient; `verify_url(serial)` gives each QR's address."""
    printer = _Printer(dx_mm, dy_mm)
    for recipient in recipients:
        printer.page(certificate_fields(recipient), verify_url(recipient.serial))
    return printer.output()
