"""A .docx builder for documents in the state layout of Decree 30/2020/NĐ-CP (Phụ lục I):
A4, margins 20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman; the national
name and motto, the issuing body, `Số: …`, the place and date line, the document kind and
its subject, the body, the signature block and the recipients.

The fixed formulas of the layout ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do -
Hạnh phúc", "Số:", "ngày … tháng … năm …", "Nơi nhận:") are Vietnamese whatever the
user's language: a state document is written in Vietnamese (Decree 30/2020 Điều 8), so
they are constants here, not interface text for the translation catalog.

    doc = StateDocument(Header(issuer="UBND TỈNH HÀ NAM", number="15/QĐ-UBND",
                               place="Hà Nam", date=datetime.date(2021, 1, 8)))
    doc.title("QUYẾT ĐỊNH", "Về việc tặng Cờ thi đua năm 2020")
    doc.paragraph("Căn cứ …")
    doc.signature_block("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A")
    content = doc.to_bytes()
"""

import datetime
import io
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PAGE_WIDTH_MM, LEFT_MM, RIGHT_MM = 210, 30, 15
TEXT_WIDTH_CM = (PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM) / 10


def date_line(place: str, day: datetime.date) -> str:
    """`Hà Nam, ngày 05 tháng 02 năm 2020`: days below 10 and the months January and
    February take a leading zero (Decree 30/2020, Phụ lục I, II.4)."""
    day_text = f"{day.day:02d}" if day.day < 10 else str(day.day)
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day_text} tháng {month_text} năm {day.year}"
    return f"{place}, {text}" if place else text.capitalize()


@dataclass
class Header:
    """The top of the document: the issuing body (and the body it belongs to), the
    number and symbol, the place and the date."""

    issuer: str
    parent: str = ""
    number: str = ""
    place: str = ""
    date: datetime.date | None = None


@dataclass
class Signer:
    """One signature: the authority line (e.g. "TM. ỦY BAN NHÂN DÂN"), the position and
    the name; `note` is printed small under the name (e.g. the day it was signed)."""

    authority: str
    position: str
    name: str
    note: str = ""


def _font(run, size: float, *, bold=False, italic=False, underline=False):
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    # East Asian and complex-script fonts too, so Word never substitutes another font.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _rule(paragraph, width_cm: float, cell_width_cm: float):
    """A short centred line under the previous text: an empty paragraph whose bottom
    border is narrowed by equal indents to `width_cm`."""
    indent = max((cell_width_cm - width_cm) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Cm(indent)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


class StateDocument:
    """A document in the state layout; add parts in order, then `to_bytes()`."""

    def __init__(self, header: Header, *, size: float = 14, landscape: bool = False):
        self.size = size
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        self.text_width_cm = (section.page_width.mm - LEFT_MM - RIGHT_MM) / 10
        style = self.doc.styles["Normal"]
        style.font.name, style.font.size = FONT, Pt(size)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
        self._header(header)

    # --- parts ---------------------------------------------------------------------------

    def _cell_text(self, cell, text, size, *, bold=False, italic=False, first=False):
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.space_before = Pt(0)
        _font(paragraph.add_run(text), size, bold=bold, italic=italic)
        return paragraph

    def _header(self, header: Header):
        left_cm = self.text_width_cm * 0.4
        right_cm = self.text_width_cm - left_cm
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _no_borders(table)
        left, right = table.rows[0].cells
        left.width, right.width = Cm(left_cm), Cm(right_cm)
        first = True
        if header.parent:
            self._cell_text(left, header.parent.upper(), 13, first=True)
            first = False
        self._cell_text(left, header.issuer.upper(), 13, bold=True, first=first)
        _rule(left.add_paragraph(), min(left_cm / 2, 3.0), left_cm)
        if header.number:
            self._cell_text(left, f"Số: {header.number}", 13)
        self._cell_text(right, NATIONAL_NAME, 13, bold=True, first=True)
        self._cell_text(right, MOTTO, 14, bold=True)
        _rule(right.add_paragraph(), 5.6, right_cm)  # as long as the motto
        if header.date:
            self._cell_text(right, date_line(header.place, header.date), 14, italic=True)

    def title(self, kind: str, subject: str = ""):
        """The kind of document (e.g. QUYẾT ĐỊNH) and its subject (trích yếu)."""
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(18)
        p.paragraph_format.space_after = Pt(0)
        _font(p.add_run(kind.upper()), self.size, bold=True)
        if subject:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
            _font(p.add_run(subject), self.size, bold=True)
        _rule(self.doc.add_paragraph(), 3.5, self.text_width_cm)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def heading(self, text: str):
        p = self.doc.add_paragraph()
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.space_after = Pt(6)
        _font(p.add_run(text), self.size, bold=True)
        return p

    def paragraph(self, text: str, *, bold=False, italic=False, center=False, indent=True):
        """Body text: justified, first line indented 1 cm, 6 pt after, 1.15 line spacing."""
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt = p.paragraph_format
        fmt.first_line_indent = Cm(1) if indent and not center else None
        fmt.space_after, fmt.line_spacing = Pt(6), 1.15
        _font(p.add_run(text), self.size, bold=bold, italic=italic)
        return p

    def table(
        self, header: list[str], rows: list[list], *, widths_cm=None, size=None, bold_rows=()
    ):
        """A bordered table; `bold_rows` are indexes into `rows` (e.g. group lines)."""
        size = size or self.size - 1
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(str(text)), size, bold=True)
        bold_rows = set(bold_rows)
        for index, values in enumerate(rows):
            cells = table.add_row().cells
            for col, (cell, value) in enumerate(zip(cells, values, strict=True)):
                p = cell.paragraphs[0]
                if col != 1:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _font(p.add_run("" if value is None else str(value)), size, bold=index in bold_rows)
        if widths_cm:
            for row in table.rows:
                for cell, width in zip(row.cells, widths_cm, strict=True):
                    cell.width = Cm(width)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)
        return table

    def _signer(self, cell, signer: Signer, first: bool):
        self._cell_text(cell, signer.authority.upper(), self.size, bold=True, first=first)
        if signer.position:
            self._cell_text(cell, signer.position.upper(), self.size, bold=True)
        for _blank in range(3):  # room for the signature and the seal
            self._cell_text(cell, "", self.size)
        self._cell_text(cell, signer.name, self.size, bold=True)
        if signer.note:
            self._cell_text(cell, signer.note, self.size - 2, italic=True)

    def signature_block(self, authority: str, position: str, name: str, *, recipients=()):
        """The signature on the right, and the recipients ("Nơi nhận:") on the left."""
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        left, right = table.rows[0].cells
        if recipients:
            p = left.paragraphs[0]
            _font(p.add_run("Nơi nhận:"), 12, bold=True, italic=True)
            for line in recipients:
                _font(left.add_paragraph().add_run(f"- {line};"), 11)
        self._signer(right, Signer(authority, position, name), True)
        return table

    def signature_table(self, signers: list[Signer], *, columns: int = 2):
        """Several signatures side by side (a covenant signed by every member)."""
        rows = (len(signers) + columns - 1) // columns
        table = self.doc.add_table(rows=rows, cols=columns)
        _no_borders(table)
        for i, signer in enumerate(signers):
            cell = table.rows[i // columns].cells[i % columns]
            self._signer(cell, signer, True)
            cell.add_paragraph()
        return table

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()
