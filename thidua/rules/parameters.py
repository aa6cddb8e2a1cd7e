"""Deployment parameters of the eligibility engine.

Defaults, types and the confidence of each default live in `rules/data/parameters.toml`;
a deployment overrides them with `settings.THIDUA_RULE_PARAMETERS` (a dict, absent → all
defaults). Values are validated at start: an unknown name or a bad value raises
`ImproperlyConfigured` naming the parameter.
"""

import datetime
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PARAMETERS_FILE = Path(__file__).resolve().parent / "data" / "parameters.toml"
TYPES = {"bool", "int", "float", "share", "share_or_none", "choice", "month_day"}


@dataclass(frozen=True)
class ParameterSpec:
    name: str
    default: object
    type: str
    confidence: str
    source: str
    help: str
    choices: tuple[str, ...] = ()


def _coerce(spec: ParameterSpec, value, origin: str):
    """The value in its Python type, or ImproperlyConfigured naming the parameter."""

    def bad(why: str):
        return ImproperlyConfigured(f"{origin}: parameter {spec.name!r}: {why} (got {value!r})")

    kind = spec.type
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad("must be true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise bad("must be a whole number ≥ 0")
        return value
    if kind in {"float", "share", "share_or_none"}:
        if kind == "share_or_none" and value in (None, "none"):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad("must be a number")
        if kind != "float" and not 0 <= value <= 1:
            raise bad("must be a share between 0 and 1")
        return float(value)
    if kind == "choice":
        if value not in spec.choices:
            raise bad(f"must be one of {list(spec.choices)}")
        return value
    if kind == "month_day":
        try:
            month, day = (int(part) for part in str(value).split("-"))
            datetime.date(2024, month, day)
        except ValueError as exc:
            raise bad("must be MM-DD") from exc
        return (month, day)
    raise bad(f"unknown type {kind!r}")  # pragma: no cover - guarded by load_specs


@cache
def load_specs(path: Path = PARAMETERS_FILE) -> dict[str, ParameterSpec]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ImproperlyConfigured(f"{path}: {exc}") from exc
    specs = {}
    for name, raw in data.items():
        missing = {"default", "type", "confidence", "source", "help"} - raw.keys()
        if missing:
            raise ImproperlyConfigured(f"{path}: parameter {name!r}: missing {sorted(missing)}")
        if raw["type"] not in TYPES:
            raise ImproperlyConfigured(f"{path}: parameter {name!r}: unknown type {raw['type']!r}")
        spec = ParameterSpec(
            name=name,
            default=raw["default"],
            type=raw["type"],
            confidence=raw["confidence"],
            source=raw["source"],
            help=raw["help"],
            choices=tuple(raw.get("choices", ())),
        )
        _coerce(spec, spec.default, str(path))
        specs[name] = spec
    return specs


def resolve(overrides: dict | None = None) -> dict[str, object]:
    """Every parameter's value: the override where given, else the default.

    `overrides=None` reads `settings.THIDUA_RULE_PARAMETERS`."""
    specs = load_specs()
    origin = "argument"
    if overrides is None:
        overrides = getattr(settings, "THIDUA_RULE_PARAMETERS", None) or {}
        origin = "THIDUA_RULE_PARAMETERS"
    if not isinstance(overrides, dict):
        raise ImproperlyConfigured(f"{origin} must be a JSON object (a dict)")
    unknown = set(overrides) - specs.keys()
    if unknown:
        raise ImproperlyConfigured(f"{origin}: unknown parameters {sorted(unknown)}")
    values = {name: _coerce(spec, spec.default, origin) for name, spec in specs.items()}
    for name, value in overrides.items():
        values[name] = _coerce(specs[name], value, origin)
    return values


def is_overridden(name: str, values: dict) -> bool:
    spec = load_specs()[name]
    return values[name] != _coerce(spec, spec.default, "default")
