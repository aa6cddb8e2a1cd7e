"""The proposal letter (tờ trình) of a dossier as a .docx in the state layout of Decree
30/2020 (`thidua.reports.docx.StateDocument`; that builder is moving to a base module —
import it from there once it has moved), with the list of nominees by award.

A tờ trình is written in Vietnamese whatever the user's language; its wording is kept
here as Vietnamese text, like the layout's fixed formulas, not as interface strings.
"""

import datetime

from thidua.documents.state import Header, StateDocument
from thidua.nominations.models import Dossier
from thidua.nominations.selectors import nominee_rows
from thidua.rules.catalog import get_catalog
from thidua.rules.definitions import get_definitions


def proposal_letter(dossier: Dossier, *, day: datetime.date) -> bytes:
    """The tờ trình of `dossier`, dated `day`, its number left for the registry to fill."""
    round_ = dossier.round
    unit, organiser = dossier.unit, round_.unit
    catalog = get_catalog()
    rows = nominee_rows(dossier)
    collectives = sum(1 for n in rows if n.unit_id)
    households = sum(1 for n in rows if n.household_id)
    people = len(rows) - collectives - households
    doc = StateDocument(Header(issuer=unit.name, number="      /TTr", date=day))
    doc.title(
        "Tờ trình",
        f"Về việc đề nghị khen thưởng thành tích năm {round_.year}",
    )
    doc.paragraph(f"Kính gửi: {organiser.name}.", bold=True, center=True)
    rule_set = get_definitions().rule_set_on(day)
    doc.paragraph(f"Căn cứ {rule_set.name_vi};", italic=True)
    doc.paragraph(
        f"Căn cứ kết quả bình xét thi đua, khen thưởng năm {round_.year} của {unit.name};",
        italic=True,
    )
    doc.paragraph(
        f"{unit.name} kính đề nghị {organiser.name} xem xét, khen thưởng cho {collectives} "
        f"tập thể, {people} cá nhân"
        + (f" và {households} hộ gia đình" if households else "")
        + " đã có thành tích, cụ thể như sau:"
    )
    order = {code: -a.rank for code, a in get_definitions().awards.items()}
    number = 0
    for code in sorted({n.award_code for n in rows}, key=lambda c: (order.get(c, 0), c)):
        entry = catalog.get(code)
        doc.heading(entry.name_vi if entry else code)
        table = []
        for n in (n for n in rows if n.award_code == code):
            number += 1
            name = n.person.full_name if n.person_id else str(n.recipient)
            table.append([number, name, n.summary or "—"])
        doc.table(["TT", "Tập thể, cá nhân", "Thành tích"], table, widths_cm=[1.2, 6.0, 8.8])
    doc.paragraph(
        f"(Kèm theo báo cáo thành tích, biên bản họp xét của Hội đồng Thi đua - Khen thưởng "
        f"{unit.name} và các văn bản liên quan.)",
        italic=True,
    )
    doc.paragraph(f"{unit.name} kính trình {organiser.name} xem xét, quyết định./.")
    doc.signature_block(
        f"TM. {unit.name}", "Thủ trưởng", "", recipients=["Như trên", "Lưu: VT, TĐKT"]
    )
    return doc.to_bytes()
