"""Vietnamese text rules users expect: search that ignores diacritics, alphabetical
order of people by given name, then middle, then family name, in the Vietnamese letter
order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y) with tones ordered
ngang, huyền, hỏi, ngã, sắc, nặng as in dictionaries; dates `dd/mm/yyyy` and numbers
`1.386,5`.

The sort key is made of digits only, so it orders the same under SQLite's binary
collation and any PostgreSQL locale collation.
"""

import datetime
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

_ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
_LETTER_CODE = {letter: f"{i + 1:02d}" for i, letter in enumerate(_ALPHABET)}
_DIGIT_BASE = len(_ALPHABET) + 1  # digits sort after letters
# Combining marks that make a different letter (ă â ê ô ơ ư), as opposed to tones.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Tone marks, in dictionary order after "no tone" (0).
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_PART_END = "00"
_DIGITS = frozenset("0123456789")
_SORT_KEY_LENGTH = 600  # the width of the `sort_key` columns


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d, single spaces: 'Nguyễn  Văn Đạt' → 'nguyen van dat'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


@lru_cache(maxsize=65536)  # words repeat heavily across names
def _letters_and_tones(word: str) -> tuple[str, str]:
    primary, tones = [], []
    for cluster in _clusters(unicodedata.normalize("NFD", word.lower())):
        base, marks = cluster[0], cluster[1:]
        letter = unicodedata.normalize(
            "NFC", base + "".join(m for m in marks if m in _LETTER_MARKS)
        )
        tone = next((_TONES[m] for m in marks if m in _TONES), "0")
        if letter in _LETTER_CODE:
            primary.append(_LETTER_CODE[letter])
        elif letter in _DIGITS:
            primary.append(f"{_DIGIT_BASE + int(letter):02d}")
        else:
            continue  # punctuation and other symbols do not take part in ordering
        tones.append(tone)
    return "".join(primary), "".join(tones)


def _clusters(decomposed: str):
    cluster = ""
    for ch in decomposed:
        if unicodedata.combining(ch) and cluster:
            cluster += ch
        else:
            if cluster:
                yield cluster
            cluster = ch
    if cluster:
        yield cluster


def sort_key(*parts: str) -> str:
    """Key for ordering by the given parts in turn (each a word or several words).

    Words are compared as in a dictionary, one after the other: first by their letters,
    and only between words with the same letters by their tones (ba < bà < bá < bác).
    So a part decides the order before the next part is looked at: in
    `person_sort_key`, every "An" comes before every "Án", whatever the family name.
    """
    key = []
    for part in parts:
        for word in part.split():
            letters, tones = _letters_and_tones(word)
            # Word end "00" sorts before any letter ("an" < "anh"); tones follow only
            # once the letters are equal, so they line up digit for digit.
            key.append(letters + _PART_END + tones)
        key.append(_PART_END)
    return "".join(key)[:_SORT_KEY_LENGTH]


def person_sort_key(family_name: str, middle_name: str, given_name: str) -> str:
    """Vietnamese order of people: given name, then middle name, then family name."""
    return sort_key(given_name, middle_name, family_name)


def format_number(value, decimals: int = 0) -> str:
    """1386.5 → '1.386,5' (Vietnamese grouping and decimal comma)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_decimal(value) -> str:
    """A number as a person writes it, without trailing zeros: Decimal('12.00') → '12',
    Decimal('1386.50') → '1.386,5', Decimal('-3') → '-3'."""
    number = Decimal(str(value))
    places = max(-number.normalize().as_tuple().exponent, 0)
    return format_number(number, places)


def format_date(day: datetime.date) -> str:
    """date(2025, 7, 1) → '01/07/2025'."""
    return f"{day:%d/%m/%Y}"


def parse_date(value) -> datetime.date:
    """A date from a spreadsheet cell or a text: a date (or datetime) object, 'dd/mm/yyyy'
    (also with '-' or '.') or ISO 'yyyy-mm-dd'. Raises ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def format_percent(value, decimals: int = 0, *, signed: bool = False) -> str:
    """Decimal('234.92') → '235%', rounded half away from zero (not to even: 22.5 % is
    read as 23 %); `signed`: '+22%', '-39%'. Vietnamese writes the sign without a space."""
    exponent = Decimal(1).scaleb(-decimals)
    number = Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP)
    text = format_number(abs(number), decimals)
    sign = "-" if number < 0 else ("+" if signed and number > 0 else "")
    return f"{sign}{text}%"
