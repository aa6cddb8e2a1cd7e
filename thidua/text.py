"""Text on its way in: codes restricted to a safe pattern, names normalised.

A bottom-layer module (it imports no Thidua app), used by the services, the forms, the API
and the dataset loader alike, so that every entry point accepts the same codes and stores
names the same way.

- A code is a stable identifier that appears in URLs, file names and spreadsheets: ASCII
  letters, digits, `.`, `_` and `-`, starting with a letter or digit (no `/`, no spaces).
- A name (or any text typed by a user) is stored in Unicode NFC (a Vietnamese letter typed
  as a base letter plus combining marks becomes the one precomposed letter search expects),
  without the invisible characters that make two equal-looking names differ: zero-width
  spaces and joiners, the byte order mark, and the bidirectional controls (which can make
  text display in another order than it is stored).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_CODE_RE = re.compile(CODE_PATTERN)

# Zero-width space/non-joiner/joiner, LRM/RLM, word joiner and invisible operators, the
# bidi embeddings/overrides/isolates, the Arabic letter mark, BOM / zero-width no-break space.
_INVISIBLE_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff]")


def is_code(value) -> bool:
    """Whether `value` is a valid code."""
    return isinstance(value, str) and _CODE_RE.match(value) is not None and "\n" not in value


def code_message(value) -> str:
    return _(
        "%(code)s is not a valid code: use only letters without diacritics, digits, '.', '_' "
        "and '-', starting with a letter or a digit (no spaces, no '/')."
    ) % {"code": repr(value)}


def validate_code(value) -> None:
    """A Django validator: ValidationError unless `value` is a valid code."""
    if not is_code(value):
        raise ValidationError(code_message(value), code="invalid_code")


def normalize_text(value):
    """`value` in NFC without zero-width and bidi control characters (non-text unchanged)."""
    if not isinstance(value, str) or value.isascii():
        return value  # ASCII text is NFC and holds none of those characters
    return _INVISIBLE_RE.sub("", unicodedata.normalize("NFC", value))


def normalize_name(value):
    """A name as stored: `normalize_text`, without surrounding white space."""
    value = normalize_text(value)
    return value.strip() if isinstance(value, str) else value


def check_code(value, field: str = "code") -> None:
    """ValidationError on `field` unless `value` is a valid code (for services)."""
    if not is_code(value):
        raise ValidationError({field: code_message(value)}, code="invalid_code")
