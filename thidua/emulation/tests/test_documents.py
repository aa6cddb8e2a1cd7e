"""The state-layout .docx builder (`thidua/documents/state.py`, Decree 30/2020)."""

import datetime
import io

from docx import Document

from thidua.documents import Header, StateDocument, date_line

D = datetime.date


def test_the_date_line_pads_days_below_ten_and_january_and_february():
    assert date_line("Hà Nam", D(2020, 2, 5)) == "Hà Nam, ngày 05 tháng 02 năm 2020"
    assert date_line("Hà Nam", D(2021, 1, 12)) == "Hà Nam, ngày 12 tháng 01 năm 2021"
    assert date_line("Kim Bảng", D(2020, 11, 13)) == "Kim Bảng, ngày 13 tháng 11 năm 2020"
    assert date_line("", D(2020, 3, 9)) == "Ngày 09 tháng 3 năm 2020"


def test_a_decision_in_the_state_layout():
    doc = StateDocument(
        Header(
            issuer="Ủy ban nhân dân tỉnh Hà Nam",
            number="15/QĐ-UBND",
            place="Hà Nam",
            date=D(2021, 1, 8),
        )
    )
    doc.title("Quyết định", "Về việc tặng Cờ thi đua năm 2020")
    doc.paragraph("Căn cứ Luật Thi đua, Khen thưởng;")
    doc.signature_block(
        "TM. Ủy ban nhân dân", "Chủ tịch", "Nguyễn Văn A", recipients=["Như Điều 3", "Lưu: VT"]
    )
    parsed = Document(io.BytesIO(doc.to_bytes()))
    section = parsed.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    header = [p.text for c in parsed.tables[0].rows[0].cells for p in c.paragraphs if p.text]
    assert header == [
        "ỦY BAN NHÂN DÂN TỈNH HÀ NAM",
        "Số: 15/QĐ-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nam, ngày 08 tháng 01 năm 2021",
    ]
    body = [p.text for p in parsed.paragraphs if p.text]
    assert body[:3] == [
        "QUYẾT ĐỊNH",
        "Về việc tặng Cờ thi đua năm 2020",
        "Căn cứ Luật Thi đua, Khen thưởng;",
    ]
    signature = [p.text for c in parsed.tables[1].rows[0].cells for p in c.paragraphs if p.text]
    assert signature == [
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Lưu: VT;",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn A",
    ]
    sizes = {r.font.size.pt for p in parsed.paragraphs for r in p.runs if r.text}
    assert sizes <= {13.0, 14.0}
