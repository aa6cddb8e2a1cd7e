"""Forms of the emulation pages. They parse input only; the verbs in `services` validate
and write, and their messages are put back on the form (`add_service_errors`)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.emulation.choices import BlockKind, GroupKind, ScoringMethod, TieBreak
from thidua.emulation.models import Movement
from thidua.emulation.services import CriterionSpec, GroupSpec
from thidua.form_errors import add_service_errors
from thidua.org.models import Person
from thidua.org.widgets import UnitPickerField
from thidua.rules.catalog import get_catalog


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class SignForm(forms.Form):
    """A member signs the covenant: which member (of those the user may sign for), who
    signed and when."""

    unit = forms.ChoiceField(label=_("Member unit"))
    signer_name = forms.CharField(label=_("Signed by"), max_length=120)
    signer_position = forms.CharField(label=_("Position"), max_length=120, required=False)
    signed_on = forms.DateField(
        label=_("Signed on"), input_formats=DATE_FORMATS, widget=DateInput()
    )

    def __init__(self, *args, units, **kwargs):
        kwargs.setdefault("initial", {"signed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]


class RegistrationForm(forms.Form):
    """A unit registers a title for itself, or for one of its people (by code)."""

    unit = forms.ChoiceField(label=_("Unit"))
    person = forms.CharField(
        label=_("Person code"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to register the unit itself."),
    )
    award_code = forms.ChoiceField(label=pgettext_lazy("emulation title", "Title"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]
        self.fields["award_code"].choices = [
            (code, f"{entry.name} ({code})") for code, entry in sorted(get_catalog().items())
        ]

    def clean_person(self):
        code = self.cleaned_data["person"].strip()
        if not code:
            return None
        person = Person.objects.filter(code=code).first()
        if person is None:
            raise ValidationError(_("No person has the code %(code)s.") % {"code": code})
        return person


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=500)
    new_deadline = forms.DateField(
        label=_("New deadline"), input_formats=DATE_FORMATS, widget=DateInput()
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in scoring sheet (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload the .xlsx file downloaded from this page."))
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class YearForm(forms.Form):
    nam = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, years):
        super().__init__(data)
        self.fields["nam"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]

    def year(self):
        return self.cleaned_data.get("nam") if self.is_valid() else None


# --------------------------------------------------------------------------- attachments


class AttachmentForm(forms.Form):
    """A file for a movement. Its type and size are checked by the verb
    (`services.attach_to_movement`), which names the file in its message."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, JPG or PNG, up to %(size)s."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"}
        ),
    )
    description = forms.CharField(label=_("Description"), max_length=255, required=False)

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "size": filesizeformat(max_bytes)
        }


# --------------------------------------------------------------------------- creation pages


class MovementForm(forms.Form):
    """Launch a movement: its fields as the model declares them (labels, lengths,
    choices); the launching unit among those the user may change. Validation is the
    verb's (`services.launch_movement`)."""

    FIELDS = [
        "code",
        "name",
        "kind",
        "year",
        "decision_number",
        "decision_date",
        "signer",
        "period_start",
        "period_end",
        "registration_deadline",
        "goals",
        "scope",
        "subjects",
        "criteria",
    ]

    DATES = ["decision_date", "period_start", "period_end", "registration_deadline"]
    TEXTS = ["goals", "scope", "subjects", "criteria"]

    launched_by = forms.ChoiceField(label=_("Launching unit"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(
            Movement,
            fields=self.FIELDS,
            widgets={
                **{n: DateInput() for n in self.DATES},
                **{n: forms.Textarea(attrs={"rows": 3}) for n in self.TEXTS},
            },
        )
        for name in self.DATES:
            model_fields[name].input_formats = DATE_FORMATS
        self.fields.update(model_fields)
        self.order_fields(["launched_by", *self.FIELDS])
        self.fields["launched_by"].choices = [(u.code, u.name) for u in units]
        self.units = {u.code: u for u in units}

    def verb_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["launched_by"] = self.units[data["launched_by"]]
        return data


class BlockForm(forms.Form):
    """Set up a block: the block, its members, and optionally its leader and deputies
    with the naming decision. Units are chosen by name (`UnitPicker`) among those the
    user may see; everything else is checked by the verb (`services.set_up_block`)."""

    organiser = forms.ChoiceField(label=_("Organising unit"))
    code = forms.CharField(label=_("Code"), max_length=40)
    year = forms.IntegerField(label=_("Year"), min_value=1945, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=BlockKind.choices)
    movement = forms.ChoiceField(label=_("Movement"), required=False)
    decision_number = forms.CharField(
        label=_("Establishing decision number"), max_length=80, required=False
    )
    decision_date = forms.DateField(
        label=_("Establishing decision date"),
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        required=False,
    )
    members = UnitPickerField(label=_("Member units"), multiple=True)
    leader = UnitPickerField(label=_("Block leader"), required=False)
    deputies = UnitPickerField(label=_("Deputy leaders"), multiple=True, required=False)
    roles_decision_number = forms.CharField(
        label=_("Decision naming the leader: number"),
        max_length=80,
        required=False,
        help_text=_("Leave empty when the establishing decision names them."),
    )
    roles_decision_date = forms.DateField(
        label=_("Decision naming the leader: date"),
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        required=False,
    )

    def __init__(self, *args, user, units, movements, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organiser"].choices = [(u.code, u.name) for u in units]
        self.fields["movement"].choices = [("", "—")] + [
            (m.code, f"{m.name} ({m.year})") for m in movements
        ]
        self.units = {u.code: u for u in units}
        self.movements = {m.code: m for m in movements}
        for name in ("members", "leader", "deputies"):
            self.fields[name].bind(user, self.data, self.add_prefix(name))

    def verb_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["organiser"] = self.units[data["organiser"]]
        data["movement"] = self.movements.get(data["movement"])
        data["decision_number"] = data["decision_number"].strip()
        return data


class RolesForm(forms.Form):
    """Name the leader and deputies of an existing block, among its members."""

    leader = forms.ChoiceField(label=_("Block leader"))
    deputies = forms.MultipleChoiceField(
        label=_("Deputy leaders"), required=False, widget=forms.CheckboxSelectMultiple
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=80)
    decision_date = forms.DateField(
        label=_("Decision date"), input_formats=DATE_FORMATS, widget=DateInput()
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(u.code, u.name) for u in members]
        self.fields["leader"].choices = choices
        self.fields["deputies"].choices = choices
        self.members = {u.code: u for u in members}

    def verb_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["leader"] = self.members[data["leader"]]
        data["deputies"] = [self.members[c] for c in data["deputies"]]
        return data


class CovenantForm(forms.Form):
    """The covenant's header: title, number, place, dates, method, tie-break rules."""

    title = forms.CharField(label=_("Covenant title"), max_length=255)
    number = forms.CharField(label=_("Number"), max_length=80, required=False)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    signing_date = forms.DateField(
        label=_("Signing date"), input_formats=DATE_FORMATS, widget=DateInput(), required=False
    )
    scoring_deadline = forms.DateField(
        label=_("Scoring deadline"), input_formats=DATE_FORMATS, widget=DateInput()
    )
    method = forms.ChoiceField(label=_("Scoring method"), choices=ScoringMethod.choices)
    trim_extremes = forms.BooleanField(
        label=_("Drop the highest and lowest cross-score of a criterion"), required=False
    )
    tie_break_1 = forms.ChoiceField(label=_("First tie-break rule"), required=False)
    tie_break_2 = forms.ChoiceField(label=_("Second tie-break rule"), required=False)
    tie_break_3 = forms.ChoiceField(label=_("Third tie-break rule"), required=False)

    TIE_BREAKS = ["tie_break_1", "tie_break_2", "tie_break_3"]

    def __init__(self, *args, group_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *TieBreak.choices]
        choices += [
            (f"group:{code}", _("More points in group %(code)s") % {"code": code})
            for code in group_codes
        ]
        for name in self.TIE_BREAKS:
            self.fields[name].choices = choices

    @classmethod
    def initial_from(cls, covenant) -> dict:
        initial = {
            name: getattr(covenant, name)
            for name in [
                "title",
                "number",
                "place",
                "signing_date",
                "scoring_deadline",
                "method",
                "trim_extremes",
            ]
        }
        for name, rule in zip(cls.TIE_BREAKS, covenant.tie_breaks, strict=False):
            initial[name] = rule
        return initial

    def verb_arguments(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.TIE_BREAKS}
        data["tie_breaks"] = [self.cleaned_data[n] for n in self.TIE_BREAKS if self.cleaned_data[n]]
        return data


class _TreeRow(forms.Form):
    """A row of the criteria tree; every field optional, so that an empty row is simply
    skipped (`is_blank`) and a filled one is checked by the verb."""

    def is_blank(self) -> bool:
        return not any(
            str(self.cleaned_data.get(name) or "").strip()
            for name in self.fields
            if name not in self.DEFAULTED
        )


class GroupRowForm(_TreeRow):
    code = forms.CharField(label=_("Code"), max_length=20, required=False)
    title = forms.CharField(label=_("Group title"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices, required=False)
    cap = forms.CharField(label=_("Cap"), max_length=12, required=False)

    DEFAULTED = {"kind"}


class CriterionRowForm(_TreeRow):
    group = forms.CharField(label=_("Group code"), max_length=20, required=False)
    code = forms.CharField(label=_("Code"), max_length=20, required=False)
    title = forms.CharField(label=_("Criterion"), max_length=500, required=False)
    max_points = forms.CharField(label=_("Maximum points"), max_length=12, required=False)
    guidance = forms.CharField(
        label=_("Scoring guidance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
    )

    DEFAULTED: set[str] = set()


GroupFormSet = forms.formset_factory(GroupRowForm, extra=0)
CriterionFormSet = forms.formset_factory(CriterionRowForm, extra=0)


def posted_rows(formset) -> list[dict]:
    """The values typed in a bound formset's filled rows, to show them again."""
    rows = []
    for form in formset.forms:
        values = {name: form[name].value() for name in form.fields}
        if any(str(v or "").strip() for n, v in values.items() if n not in form.DEFAULTED):
            rows.append(values)
    return rows


def posted_group_codes(data) -> list[str]:
    """The group codes typed in the groups formset (the `group:<code>` tie-break rules
    offered)."""
    return sorted(
        {
            value.strip()
            for key, value in data.items()
            if re.fullmatch(r"groups-\d+-code", key) and value.strip()
        }
    )


def tree_specs(groups, criteria) -> list[GroupSpec] | None:
    """The criteria tree typed in the two formsets, as the verbs take it: groups in
    their order, each with the criteria that name its code. Blank rows are skipped.
    None when a row has a problem (put on that row's field)."""
    valid = groups.is_valid()
    valid = criteria.is_valid() and valid
    if not valid:
        return None
    specs: list[GroupSpec] = []
    by_code: dict[str, GroupSpec] = {}
    for form in groups.forms:
        if form.is_blank():
            continue
        data = form.cleaned_data
        spec = GroupSpec(
            code=data["code"].strip(),
            title=data["title"],
            kind=data["kind"] or GroupKind.BASE,
            cap=data["cap"].strip() or None,
            criteria=[],
        )
        specs.append(spec)
        by_code.setdefault(spec.code, spec)
    for form in criteria.forms:
        if form.is_blank():
            continue
        data = form.cleaned_data
        group = by_code.get(data["group"].strip())
        if group is None:
            form.add_error(
                "group",
                _("Criterion %(code)s: no group has the code “%(group)s”.")
                % {"code": data["code"].strip() or "?", "group": data["group"].strip()},
            )
            valid = False
            continue
        group.criteria.append(
            CriterionSpec(data["code"], data["title"], data["max_points"], data["guidance"])
        )
    return specs if valid else None


def add_tree_errors(header, groups, criteria, exc: ValidationError) -> list[str]:
    """Put a covenant verb's ValidationError on the page: a problem of a row of the tree
    on that row's field (the verb says which in the error's `params`), a problem of
    the header on its field; returns the messages that belong to no row or field."""
    if not hasattr(exc, "error_dict"):
        add_service_errors(header, exc)
        return []
    rows = {
        kind: [(form, form.cleaned_data.get("code", "").strip() or "?") for form in formset.forms]
        for kind, formset in (("group", groups), ("criterion", criteria))
    }
    unplaced = []
    for field, errors in exc.error_dict.items():
        if field != "criteria":
            field = "tie_break_1" if field == "tie_breaks" else field
            for error in errors:
                header.add_error(field if field in header.fields else None, error)
            continue
        for error in errors:
            params = error.params or {}
            targets = [
                form
                for form, code in rows.get(params.get("row"), [])
                if code == params.get("code") and not form.is_blank()
            ]
            if not targets:
                unplaced.extend(error.messages)
            for form in targets:
                name = params.get("field")
                form.add_error(name if name in form.fields else None, error)
    return unplaced
