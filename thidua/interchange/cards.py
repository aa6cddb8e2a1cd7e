"""The data card on the home page: ratings from a spreadsheet, for those who may import."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from thidua.accounts import home


def import_card(user, unit, year, today):
    # Imported here: the import's module loads the dataset reader and writer (jsonschema,
    # openpyxl), which a process that never imports should not pay for at start.
    from thidua.interchange.imports import can_import

    if not can_import(user):
        return None
    query = {"year": year, **({"unit": unit.code} if unit else {})}
    return home.HomeCard(
        title=_("Ratings from a spreadsheet"),
        url=reverse("interchange:home") + "?" + urlencode(query),
        link_text=_("Download the template for your unit, fill it in and import it"),
    )


def register() -> None:
    home.register_card("interchange.import", import_card, order=60)
