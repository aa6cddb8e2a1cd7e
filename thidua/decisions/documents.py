"""A decision as a .docx in the Decree 30/2020 layout (`thidua.documents`), with its annex
of recipients, and the money as XLSX (text never a formula: `thidua.spreadsheet`).

A decision is written in Vietnamese whatever the user's language: its wording is kept here
as Vietnamese text, like the layout's fixed formulas, not as interface strings.
"""

import io

from openpyxl import Workbook

from thidua.awards.catalog import get_catalog
from thidua.decisions.choices import DecisionKind
from thidua.documents.state import Header, StateDocument
from thidua.spreadsheet import safe_row
from thidua.vietnamese import format_number


def _award_name(code: str) -> str:
    entry = get_catalog().get(code)
    return entry.name_vi if entry else code


def _money(value) -> str:
    return format_number(value) if value is not None else "—"


def _committee(authority) -> bool:
    return authority.kind in ("province", "district", "commune")


def decision_docx(decision) -> bytes:
    authority = decision.authority
    rows = list(decision.recipients.all())
    issuer = f"Ủy ban nhân dân {authority.name}" if _committee(authority) else authority.name
    doc = StateDocument(
        Header(issuer=issuer.upper(), number=decision.number, date=decision.decided_on)
    )
    doc.title("Quyết định", decision.title)
    position = (
        f"Chủ tịch Ủy ban nhân dân {authority.name}" if _committee(authority) else "Thủ trưởng"
    )
    doc.paragraph(position.upper(), bold=True, center=True)
    doc.paragraph("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", italic=True)
    doc.paragraph(
        "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của "
        "Luật Thi đua, khen thưởng;",
        italic=True,
    )
    if decision.kind == DecisionKind.CONFER:
        doc.paragraph(
            "Xét đề nghị của Hội đồng Thi đua - Khen thưởng và cơ quan thường trực,", italic=True
        )
        doc.paragraph("QUYẾT ĐỊNH:", bold=True, center=True)
        doc.paragraph(
            f"Điều 1. Tặng thưởng danh hiệu thi đua, hình thức khen thưởng cho {len(rows)} "
            "tập thể, cá nhân có tên tại Phụ lục kèm theo Quyết định này."
        )
        total = sum(r.amount or 0 for r in rows)
        doc.paragraph(
            f"Điều 2. Tiền thưởng theo quy định, tổng cộng {_money(total)} đồng, chi từ "
            f"{decision.fund}."
        )
    else:
        refers = decision.refers_to
        doc.paragraph(f"Xét {decision.reason},", italic=True)
        doc.paragraph("QUYẾT ĐỊNH:", bold=True, center=True)
        if decision.kind == DecisionKind.ANNUL:
            recover = sum(r.to_recover or 0 for r in rows)
            doc.paragraph(
                f"Điều 1. Hủy bỏ việc khen thưởng tại Quyết định số {refers.number} ngày "
                f"{refers.decided_on:%d/%m/%Y} đối với {len(rows)} tập thể, cá nhân có tên "
                f"tại Phụ lục kèm theo. Lý do: {decision.reason}."
            )
            doc.paragraph(
                f"Điều 2. Thu hồi hiện vật và tiền thưởng đã nhận, tổng cộng {_money(recover)} "
                "đồng."
            )
        else:
            doc.paragraph(
                f"Điều 1. Đính chính Quyết định số {refers.number} ngày "
                f"{refers.decided_on:%d/%m/%Y} như sau: {decision.correction}"
            )
            doc.paragraph("Điều 2. Các nội dung khác của Quyết định giữ nguyên.")
    doc.paragraph(
        "Điều 3. Quyết định có hiệu lực kể từ ngày ký. Thủ trưởng các cơ quan, đơn vị và "
        "các tập thể, cá nhân có tên tại Phụ lục chịu trách nhiệm thi hành Quyết định này./."
    )
    doc.signature_block(
        f"TM. {issuer.upper()}" if _committee(authority) else "",
        decision.signer_position.upper(),
        decision.signer_name,
        recipients=["Như Điều 3", "Lưu: VT, TĐKT"],
    )
    if rows:
        doc.heading(f"PHỤ LỤC\nKèm theo Quyết định số {decision.number}")
        table = [
            [
                r.position,
                r.name,
                _award_name(r.award_code),
                _money(r.to_recover if decision.kind == DecisionKind.ANNUL else r.amount),
            ]
            for r in rows
        ]
        money = "Thu hồi (đồng)" if decision.kind == DecisionKind.ANNUL else "Tiền thưởng (đồng)"
        doc.table(
            ["TT", "Tập thể, cá nhân", "Danh hiệu, hình thức", money],
            table,
            widths_cm=[1.2, 6.5, 5.3, 3.0],
        )
    return doc.to_bytes()


def money_xlsx(decision) -> bytes:
    """The recipients of `decision` with coefficient, base salary and amount, and the
    total; names and award names are text, never formulas."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tiền thưởng")
    sheet.append(safe_row(sheet, [f"Quyết định số {decision.number}", decision.title]))
    sheet.append(
        ["TT", "Tập thể, cá nhân", "Danh hiệu, hình thức", "Hệ số", "Lương cơ sở", "Số tiền"]
    )
    total = 0
    annul = decision.kind == DecisionKind.ANNUL
    for r in decision.recipients.all():
        amount = r.to_recover if annul else r.amount
        total += amount or 0
        sheet.append(
            safe_row(
                sheet,
                [
                    r.position,
                    r.name,
                    _award_name(r.award_code),
                    float(r.coefficient) if r.coefficient is not None else None,
                    r.base_salary,
                    amount,
                ],
            )
        )
    sheet.append(safe_row(sheet, ["", "Tổng cộng", decision.fund, None, None, total]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
