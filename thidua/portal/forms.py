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
