"""Forms of the news editor; the verbs in `services` decide."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.portal.models import Article, Category


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["category", "title", "lead", "body", "photo_caption", "credit"]
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 16}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SummaryDraftForm(forms.Form):
    """Draft the article of a summary conference."""

    held_on = forms.DateField(
        label=_("Conference held on"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=DateInput(),
    )
    credit = forms.CharField(label=_("Author or source"), max_length=200)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = min(datetime.date(year + 1, 1, 12), timezone.localdate())


class PhotoForm(forms.Form):
    """The article's photo; the verb (`photos.set_photo`) checks its type and size."""

    photo = forms.FileField(
        label=_("Photo (JPEG, PNG or WebP, at most 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class CommentForm(forms.Form):
    """A visitor's comment on a nominee of a published list. `website` is a honeypot
    (hidden off-screen; a person leaves it empty) and `token` the signed time the form
    was shown; `services.post_comment` checks both."""

    nominee = forms.TypedChoiceField(label=_("Nominee"), coerce=int)
    text = forms.CharField(
        label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    is_objection = forms.BooleanField(
        label=_("This is an objection to the nominee"), required=False
    )
    author_name = forms.CharField(label=_("Your name (optional)"), max_length=150, required=False)
    contact = forms.CharField(
        label=_("Phone or e-mail to reply to (optional)"), max_length=200, required=False
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].choices = [("", "—")] + [
            (r["nominee"], f"{r['name']} – {r['award']}") for r in rows
        ]
