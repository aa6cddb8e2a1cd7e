"""What each section and field of the dataset means, for the XLSX template's header comments
and its "guide" sheet. Source strings are English; the Vietnamese comes from the catalog.
`test_dataset_xlsx.py` checks that every field of the schema has a line here."""

from django.utils.translation import gettext_lazy as _

GUIDE_TITLE = _("Thidua dataset, version %(version)s")
GUIDE_INTRO = _(
    "Fill one sheet per section; the first row holds the field names. Dates as dd/mm/yyyy. "
    "Codes refer to rows of this file or to the database. Nothing is loaded if any row has "
    "a problem; every problem is listed with its sheet, row and field."
)

SECTION_HELP = {
    "units": _("Units: agencies, localities and collectives, one row per unit."),
    "unit_versions": _(
        "A unit's name and parent during a period. Every unit needs at least one; "
        "a unit's periods do not overlap."
    ),
    "official_codes": _(
        "The official administrative code a unit carries during a period. On any day a unit "
        "carries at most one code and a code names at most one unit."
    ),
    "lineage": _(
        "Merges, splits, renames, re-parentings and dissolutions: one row per "
        "predecessor → successor edge; rows with the same event label form one event."
    ),
    "people": _("People, one row per person."),
    "employments": _("Who worked where and when. A person's employments do not overlap."),
    "households": _("Households of a commune, recipients of household titles, with their members."),
    "person_ratings": _(
        "A person's rating for a year; the person needs an employment during that year."
    ),
    "unit_ratings": _("A unit's rating for a year."),
    "disciplines": _("Disciplinary measures on people."),
    "pending_reviews": _(
        "Reviews, inspections, complaints and investigations that defer awards while open."
    ),
    "initiatives": _("Initiatives and research works with their authors."),
    "awards": _("Titles and commendations received by people, units or households."),
    "absences": _("Maternity leave and long absences."),
}

_CODE_OF_PERSON = _("Person code.")
_CODE_OF_UNIT = _("Unit code.")
_RATED_YEAR = _("The rated year, e.g. 2020.")
_LEVEL = _(
    "Level of task completion: HTXS (excellent), HTT (well), HT (completed), KHT (not completed)."
)
_SCORE = _("Score 0–100, in the level's band: HTXS ≥ 90, HTT 70–<90, HT 50–<70, KHT < 50.")
_REGIME = _("The rule text the rating was made under, e.g. ND90/2020.")
_END = _("First day no longer valid; empty while still valid.")

FIELD_HELP = {
    "units": {
        "code": _("Stable unit code, never reused, e.g. KB."),
        "kind": _("Kind of unit: province, commune, department, division, …"),
        "name": _("The current name; the same as the name of the unit's latest version."),
        "established_on": _("First day of existence (dd/mm/yyyy)."),
        "dissolved_on": _("First day no longer existing; empty if it still exists."),
    },
    "unit_versions": {
        "unit": _CODE_OF_UNIT,
        "name": _("The unit's name during the period."),
        "parent": _("Code of the parent unit during the period; empty for a root."),
        "valid_from": _("First day of the period."),
        "valid_to": _END,
    },
    "official_codes": {
        "unit": _CODE_OF_UNIT,
        "official_code": _(
            "The official administrative code, e.g. 01 or 13384; a later unit may carry a "
            "code an earlier unit carried."
        ),
        "valid_from": _("First day the unit carries the code."),
        "valid_to": _END,
    },
    "lineage": {
        "event": _("A label grouping the rows of one event in this file, e.g. E12."),
        "kind": _("establish, merge, split, rename, reparent or dissolve."),
        "date": _("The day the change takes effect."),
        "decision": _("The deciding document, e.g. Nghị quyết 1674/NQ-UBTVQH15."),
        "note": _("Free text."),
        "predecessor": _("Code of the unit before the change."),
        "successor": _(
            "Code of the unit after the change: empty for a dissolution, the predecessor "
            "itself for a rename or re-parenting."
        ),
    },
    "people": {
        "code": _("Stable person code, never reused."),
        "family_name": _("Family name, e.g. Nguyễn."),
        "middle_name": _("Middle name, e.g. Văn; may be empty."),
        "given_name": _("Given name, e.g. An."),
        "birth_date": _("Birth date."),
        "gender": _("M (male) or F (female)."),
        "citizen_id": _("12-digit citizen id; unique. Type it as text to keep leading zeros."),
    },
    "employments": {
        "person": _CODE_OF_PERSON,
        "unit": _CODE_OF_UNIT,
        "position": _("Position, e.g. Chuyên viên."),
        "start": _("First day of the employment."),
        "end": _("First day no longer employed; empty while employed."),
    },
    "households": {
        "code": _("Stable household code, never reused."),
        "name": _("Name the household is known by, e.g. Hộ ông Nguyễn Văn An."),
        "address": _("Address; may be empty."),
        "commune": _("Code of the commune the household lives in."),
        "head": _("Person code of the head of household, one of the members; may be empty."),
        "members": _("Person codes of the members, at least one."),
    },
    "person_ratings": {
        "person": _CODE_OF_PERSON,
        "year": _RATED_YEAR,
        "level": _LEVEL,
        "score": _SCORE,
        "regime": _REGIME,
    },
    "unit_ratings": {
        "unit": _CODE_OF_UNIT,
        "year": _RATED_YEAR,
        "level": _LEVEL,
        "score": _SCORE,
        "regime": _REGIME,
    },
    "disciplines": {
        "person": _CODE_OF_PERSON,
        "measure": _(
            "khien_trach, canh_cao, ha_bac_luong, giang_chuc, cach_chuc or buoc_thoi_viec."
        ),
        "duty_related": _("Whether the violation was related to duty: true (default) or false."),
        "decision_number": _("Number of the disciplinary decision."),
        "decision_date": _("Date of the disciplinary decision."),
        "effective_from": _("First day the measure is in force."),
        "effective_to": _("First day no longer in force; empty while in force."),
        "reason": _("Reason."),
    },
    "pending_reviews": {
        "person": _("Code of the person under review (give a person or a unit, not both)."),
        "unit": _("Code of the unit under review (give a person or a unit, not both)."),
        "kind": _("disciplinary, inspection, complaint or investigation."),
        "started_on": _("First day of the review."),
        "ended_on": _("Day the review ended; empty while open."),
        "note": _("Note."),
    },
    "initiatives": {
        "code": _("Stable initiative code."),
        "kind": _("initiative or research."),
        "title": _("Title."),
        "scope": _("Recognised scope: co_so, bo_tinh or toan_quoc."),
        "decision_number": _("Number of the recognising decision."),
        "recognised_on": _("Day of recognition."),
        "applied": _("Applied effectively: true or false (default)."),
        "replicable": _("Replicable: true or false (default)."),
        "authors": _("Person codes of the authors, separated by ';'."),
    },
    "awards": {
        "person": _("Code of the person receiving the award (one of person, unit, household)."),
        "unit": _("Code of the unit receiving the award (one of person, unit, household)."),
        "household": _(
            "Code of the household receiving the award, from the households sheet or already "
            "recorded (one of person, unit, household)."
        ),
        "award_code": _("Code of the title or form in the award catalog, e.g. LDTT, BK_TINH."),
        "commendation_type": _(
            "cong_trang, dot_xuat, chuyen_de, cong_hien, nien_han or doi_ngoai."
        ),
        "period_start": _("First day of the achievement period (1 January for a yearly title)."),
        "period_end": _("Last day of the achievement period (31 December for a yearly title)."),
        "decision_number": _("Decision number, e.g. 2015/QĐ-CTN."),
        "decision_date": _("Decision date."),
        "authority": _("Code of the deciding authority's unit."),
        "signer": _("Who signed the decision."),
        "status": _("valid (default) or annulled."),
        "annulled_reason": _("Reason for annulment; required when annulled."),
        "amount": _("Bonus in VND."),
    },
    "absences": {
        "person": _CODE_OF_PERSON,
        "kind": _("maternity or long_absence."),
        "start": _("First day absent."),
        "end": _("First day back at work."),
    },
}
