"""The dataset's JSON Schema (`interchange/schema/dataset.schema.json`) is the one source of
truth for sections, their fields, column order, types, enums and lengths.

Checking 1.3 million rows with `jsonschema` costs ~40 µs a row (close to a minute for a
province), so each section's item schema is also compiled here into a small converter that
checks the same constraints and turns a row into typed values (dates, decimals) in a few
microseconds. The converter only ever *accepts* rows that `jsonschema` accepts (it is at
least as strict; `test_dataset_schema.py` checks this on mutated rows); when it refuses a
row, `jsonschema` validates that row and its errors are reported in the row/field form with
translated messages. Only the keywords listed in `_KNOWN_KEYWORDS` are compiled: a schema
using any other keyword on a row field stops the start (fail closed), rather than being
silently half-checked.
"""

import datetime
import json
import re
from collections import namedtuple
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from thidua.interchange.dataset.report import Problem
from thidua.text import CODE_PATTERN, code_message

if TYPE_CHECKING:  # imported when first used: every process starting Django loads this module
    from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "dataset.schema.json"
FORMAT = "thidua-dataset"
VERSION = 1

_KNOWN_KEYWORDS = {
    "$ref",
    "type",
    "enum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "items",
    "minItems",
    "description",
    "default",
}
_MISSING = object()
_CACHES: list[dict] = []  # value caches of the converters, emptied after each load
_SHARED: dict[tuple, dict] = {}  # (minLength, maxLength, pattern) → its converters' cache
CODE_CACHE = 3_000_000  # codes kept once each: people, units, households, initiatives
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_CENT = Decimal("0.01")


class Invalid(Exception):
    """A row the fast converter refuses. `message` is set only for checks the schema cannot
    express (a score with more than two decimals)."""

    def __init__(self, field: str = "", message: str = ""):
        super().__init__(field, message)
        self.field = field
        self.message = message


def quote(value) -> str:
    """A value as messages show it: text in quotes, numbers and the rest as they are."""
    if isinstance(value, str):
        return f"'{value}'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@cache
def document() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def document_validator() -> "Draft202012Validator":
    from jsonschema import Draft202012Validator

    return Draft202012Validator(document(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _resolve(node: dict) -> dict:
    """Inline a local `$ref` (sibling keywords such as `description` win)."""
    ref = node.get("$ref")
    if ref is None:
        return node
    prefix = "#/$defs/"
    if not ref.startswith(prefix):
        raise ImproperlyConfigured(f"{SCHEMA_PATH}: only local $defs references are supported")
    target = _resolve(document()["$defs"][ref[len(prefix) :]])
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


class Field:
    """One field of a section: its name, kind (string, date, integer, number, boolean, enum,
    list), whether it is required, and a converter from a JSON value to a Python value."""

    def __init__(self, name: str, node: dict, required: bool):
        self.name = name
        self.node = node = _resolve(node)
        unknown = set(node) - _KNOWN_KEYWORDS
        if unknown:
            raise ImproperlyConfigured(f"{SCHEMA_PATH}: {name}: unsupported keywords {unknown}")
        self.required = required
        types = node.get("type", [])
        types = {types} if isinstance(types, str) else set(types)
        if "enum" in node:
            self.kind = "enum"
            self.nullable = None in node["enum"]
            self.choices = tuple(v for v in node["enum"] if v is not None)
        else:
            self.nullable = "null" in types
            types.discard("null")
            if len(types) != 1:
                raise ImproperlyConfigured(f"{SCHEMA_PATH}: {name}: one type (and null) expected")
            (kind,) = types
            if kind == "string" and node.get("format") == "date":
                kind = "date"
            elif kind == "array":
                kind = "list"
            self.kind = kind
            self.choices = ()
        if required and self.nullable:
            raise ImproperlyConfigured(f"{SCHEMA_PATH}: {name}: a required field is not nullable")
        if "format" in node and (self.kind != "date" or node.get("pattern") != _DATE_RE.pattern):
            # The date converter checks exactly YYYY-MM-DD and a real day; nothing else.
            raise ImproperlyConfigured(f"{SCHEMA_PATH}: {name}: unsupported format or pattern")
        self.default = node.get("default")
        self.convert = self._converter()

    def _converter(self):
        node, kind = self.node, self.kind
        if kind == "enum":
            canonical = {c: c for c in self.choices}

            def convert(v):
                if v.__class__ is not str or v not in canonical:
                    raise Invalid
                return canonical[v]

            return convert
        if kind == "string":
            return _string_converter(node)
        if kind == "date":
            return _date
        if kind == "integer":
            low, high = node.get("minimum"), node.get("maximum")

            def convert(v):
                if v.__class__ is not int:
                    if v.__class__ is float and v.is_integer():
                        v = int(v)
                    else:
                        raise Invalid
                if (low is not None and v < low) or (high is not None and v > high):
                    raise Invalid
                return v

            return convert
        if kind == "number":
            low, high = node.get("minimum"), node.get("maximum")

            def convert(v):
                cls = v.__class__
                if cls is int or cls is Decimal:
                    d = Decimal(v)
                elif cls is float:
                    d = Decimal(repr(v))
                else:
                    raise Invalid
                if not d.is_finite() or (low is not None and d < low):
                    raise Invalid
                if high is not None and d > high:
                    raise Invalid
                if d.quantize(_CENT) != d:
                    raise Invalid(message=_("%(value)s has more than two decimals") % {"value": v})
                return d

            return convert
        if kind == "boolean":

            def convert(v):
                if v.__class__ is not bool:
                    raise Invalid
                return v

            return convert
        if kind == "list":
            item = Field(self.name, node["items"], required=True).convert
            least = node.get("minItems", 0)

            def convert(v):
                if v.__class__ is not list or len(v) < least:
                    raise Invalid
                return tuple(item(x) for x in v)

            return convert
        raise ImproperlyConfigured(f"{SCHEMA_PATH}: {self.name}: unsupported type {kind}")


def _string_converter(node):
    low, high = node.get("minLength", 0), node.get("maxLength")
    pattern = re.compile(node["pattern"]) if "pattern" in node else None
    # Codes, levels and decision numbers repeat across a million rows: a value seen before
    # is neither checked again nor stored twice (the cache hands back the first copy).
    # Fields of one shape share their cache: a person's code in their employments, ratings
    # and awards is then the one string of their `people` row, and the code cache is large
    # enough for a country's people (a copy per row held would cost hundreds of MB).
    key = (low, high, node.get("pattern"))
    seen = _SHARED.get(key)
    if seen is None:
        seen = _SHARED[key] = {}
        _CACHES.append(seen)
    limit = CODE_CACHE if key[2] == document()["$defs"]["code"]["pattern"] else 500_000

    def convert(v):
        if v.__class__ is not str:
            raise Invalid
        known = seen.get(v)
        if known is not None:
            return known
        n = len(v)
        if n < low or (high is not None and n > high):
            raise Invalid
        if pattern is not None and (not pattern.search(v) or v[-1:] == "\n"):
            raise Invalid  # (a Python `$` also matches before a final newline)
        if n <= 80 and len(seen) < limit:
            seen[v] = v
        return v

    return convert


_date_cache: dict[str, datetime.date] = {}
_CACHES.append(_date_cache)


def clear_caches() -> None:
    """Forget the values seen during a load (a server process should not keep them)."""
    for values in _CACHES:
        values.clear()


def _date(v):
    if v.__class__ is not str:
        raise Invalid
    day = _date_cache.get(v)
    if day is None:
        if not _DATE_RE.match(v):
            raise Invalid
        try:
            day = datetime.date.fromisoformat(v)
        except ValueError:
            raise Invalid from None
        if len(_date_cache) < 200_000:
            _date_cache[v] = day
    return day


class Section:
    """A section of the dataset: its fields in column order and the row converter."""

    def __init__(self, name: str, item: dict):
        self.name = name
        item = _resolve(item)
        required = set(item.get("required", ()))
        self.fields = tuple(
            Field(fname, node, fname in required) for fname, node in item["properties"].items()
        )
        self.field_names = tuple(f.name for f in self.fields)
        self.required = frozenset(required)
        self.allowed = frozenset(self.field_names)
        self.row_type = namedtuple(f"{name}_row", ("row", *self.field_names))
        self._item_schema = {**item, "$defs": document()["$defs"]}
        self.convert = self._compile()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def _compile(self):
        """The row converter: `convert(raw, rownum)` → `row_type`, or `Invalid`.

        Generated as straight-line code, one block per field (as `collections.namedtuple`
        does for its classes): over a million rows a loop over the fields costs twice as
        much. Unknown keys are caught by counting the keys found against `len(raw)`.
        """
        env = {"Invalid": Invalid, "MISSING": _MISSING, "new": tuple.__new__}
        env["row_type"] = self.row_type
        lines = [
            "def convert(raw, rownum):",
            "    if raw.__class__ is not dict:",
            "        raise Invalid()",
            "    get = raw.get",
            "    found = 0",
        ]
        for i, f in enumerate(self.fields):
            env[f"convert{i}"], env[f"default{i}"] = f.convert, f.default
            v, name = f"v{i}", repr(f.name)
            lines.append(f"    {v} = get({name}, MISSING)")
            if f.nullable:
                lines += [
                    f"    if {v} is MISSING:",
                    f"        {v} = default{i}",
                    "    else:",
                    "        found += 1",
                    f"        if {v} is None:",
                    f"            {v} = default{i}",
                    "        else:",
                    "            try:",
                    f"                {v} = convert{i}({v})",
                    "            except Invalid as exc:",
                    f"                exc.field = {name}",
                    "                raise",
                ]
            else:
                lines += [
                    f"    if {v} is MISSING or {v} is None:",
                    f"        raise Invalid({name})",
                    "    found += 1",
                    "    try:",
                    f"        {v} = convert{i}({v})",
                    "    except Invalid as exc:",
                    f"        exc.field = {name}",
                    "        raise",
                ]
        values = ", ".join(f"v{i}" for i in range(len(self.fields)))
        lines += [
            "    if found != len(raw):",
            "        raise Invalid()",
            f"    return new(row_type, (rownum, {values}))",
        ]
        exec("\n".join(lines), env)  # code built above from the schema's field list
        return env["convert"]

    @property
    def validator(self) -> "Draft202012Validator":
        return _item_validator(self.name)

    def problems(self, raw, rownum: int) -> list[Problem]:
        """The row's schema errors as problems, at most one per field, in field order."""
        found: dict[str, str] = {}
        for error in self.validator.iter_errors(raw):
            for fname, message in _describe(error, self):
                found.setdefault(fname, message)
        order = {n: i for i, n in enumerate(self.field_names)}
        return [
            Problem(self.name, rownum, fname, message)
            for fname, message in sorted(found.items(), key=lambda kv: order.get(kv[0], -1))
        ]


@cache
def _item_validator(name: str) -> "Draft202012Validator":
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        sections()[name]._item_schema, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@cache
def sections() -> dict[str, Section]:
    """Section name → Section, in load order (the order of the schema's properties)."""
    props = document()["properties"]
    return {
        name: Section(name, node["items"])
        for name, node in props.items()
        if node.get("type") == "array"
    }


def section_names() -> tuple[str, ...]:
    return tuple(sections())


def _type_words(types) -> str:
    words = {
        "string": _("text"),
        "integer": _("a whole number"),
        "number": _("a number"),
        "boolean": _("true or false"),
        "array": _("a list"),
        "object": _("an object"),
    }
    types = [types] if isinstance(types, str) else [t for t in types if t != "null"]
    return _(" or ").join(words.get(t, t) for t in types)


def _pattern_message(field: Field | None, value) -> str:
    if field is not None and field.kind == "date":
        return _("%(value)s is not a valid date (YYYY-MM-DD)") % {"value": quote(value)}
    if field is not None and field.name == "citizen_id":
        return _("%(value)s is not a 12-digit citizen id") % {"value": quote(value)}
    if field is not None and field.node.get("pattern") == CODE_PATTERN:
        return code_message(value)
    return _("%(value)s is not in the expected form") % {"value": quote(value)}


def _describe(error, section: Section | None):
    """(field, translated message) pairs for one jsonschema error."""
    path = list(error.absolute_path)
    fname = str(path[0]) if path else ""
    field = None
    if section is not None and fname in section.allowed:
        field = section.field(fname)
    keyword, value, limit = error.validator, error.instance, error.validator_value
    if keyword == "required":
        for missing in limit:
            if isinstance(value, dict) and missing not in value:
                yield str(missing), _("required field is missing")
        return
    if keyword == "additionalProperties":
        known = set(error.schema.get("properties", ()))
        for extra in value:
            if extra not in known:
                yield str(extra), _("unknown field")
        return
    if keyword == "type":
        if not path and section is not None:
            yield "", _("each row must be an object, not %(value)s") % {"value": quote(value)}
        elif field is not None and field.kind == "date":
            yield fname, _("%(value)s is not a date (YYYY-MM-DD)") % {"value": quote(value)}
        else:
            yield (
                fname,
                _("%(value)s is not %(expected)s")
                % {"value": quote(value), "expected": _type_words(limit)},
            )
        return
    if keyword in ("pattern", "format"):
        yield fname, _pattern_message(field, value)
        return
    if keyword == "enum":
        choices = ", ".join(str(c) for c in limit if c is not None)
        yield (
            fname,
            _("%(value)s is not one of %(choices)s") % {"value": quote(value), "choices": choices},
        )
        return
    if keyword == "const":
        yield fname, _("must be %(expected)s") % {"expected": quote(limit)}
        return
    if keyword == "minimum":
        yield fname, _("%(value)s is less than %(limit)s") % {"value": value, "limit": limit}
        return
    if keyword == "maximum":
        yield fname, _("%(value)s is greater than %(limit)s") % {"value": value, "limit": limit}
        return
    if keyword == "minLength":
        yield fname, _("must not be empty")
        return
    if keyword == "maxLength":
        yield fname, _("is longer than %(limit)s characters") % {"limit": limit}
        return
    if keyword == "minItems":
        yield fname, _("must list at least %(limit)s code(s)") % {"limit": limit}
        return
    yield fname, error.message  # a keyword added to the schema without a message here


def document_problems(skeleton: dict) -> list[Problem]:
    """Errors of the file's top level: `format`, `version`, unknown sections, sections that
    are not lists. `skeleton` is the document with every row list replaced by []."""
    problems = []
    for error in document_validator().iter_errors(skeleton):
        if error.validator == "additionalProperties":
            for extra in skeleton:
                if extra not in error.schema.get("properties", ()):
                    problems.append(
                        Problem(
                            str(extra),
                            None,
                            "",
                            _("unknown section; the sections are %(names)s")
                            % {"names": ", ".join(section_names())},
                        )
                    )
            continue
        if not error.absolute_path and error.validator == "type":
            problems.append(Problem("", None, "", _("the file must hold one JSON object")))
            continue
        for fname, message in _describe(error, None):
            if fname in sections():
                problems.append(Problem(fname, None, "", message))
            else:
                problems.append(Problem("", None, fname, message))
    return problems
