"""The catalog of emulation titles and commendation forms, kept as one TOML file per
title or form in `rules/data/awards/`. Codes are stable identifiers; names are labels.

A malformed file stops the start with its path and the problem (TOML syntax errors carry
the line and column).
"""

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "data" / "awards"
SUBJECTS = {"individual", "collective", "household"}
KINDS = {"title", "form"}
TYPES = {"cong_trang", "dot_xuat", "chuyen_de", "cong_hien", "nien_han", "doi_ngoai"}
REQUIRED = {"code", "kind", "name_vi", "name_en", "subjects"}


@dataclass(frozen=True)
class AwardEntry:
    code: str
    kind: str
    name_vi: str
    name_en: str
    subjects: frozenset[str]
    default_type: str = "cong_trang"
    article: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    @property
    def for_individuals(self) -> bool:
        return "individual" in self.subjects

    @property
    def for_collectives(self) -> bool:
        return "collective" in self.subjects


def _parse(path: Path) -> AwardEntry:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ImproperlyConfigured(f"{path}: {exc}") from exc
    missing = REQUIRED - data.keys()
    if missing:
        raise ImproperlyConfigured(f"{path}: missing keys {sorted(missing)}")
    if data["code"] != path.stem:
        raise ImproperlyConfigured(f"{path}: code {data['code']!r} must match the file name")
    if data["kind"] not in KINDS:
        raise ImproperlyConfigured(f"{path}: kind must be one of {sorted(KINDS)}")
    subjects = set(data["subjects"])
    if not subjects or subjects - SUBJECTS:
        raise ImproperlyConfigured(f"{path}: subjects must be a subset of {sorted(SUBJECTS)}")
    default_type = data.get("default_type", "cong_trang")
    if default_type not in TYPES:
        raise ImproperlyConfigured(f"{path}: default_type must be one of {sorted(TYPES)}")
    known = REQUIRED | {"default_type", "article"}
    return AwardEntry(
        code=data["code"],
        kind=data["kind"],
        name_vi=data["name_vi"],
        name_en=data["name_en"],
        subjects=frozenset(subjects),
        default_type=default_type,
        article=data.get("article", ""),
        extra={k: v for k, v in data.items() if k not in known},
    )


@cache
def get_catalog(directory: Path = DATA_DIR) -> dict[str, AwardEntry]:
    """code → entry, for every file in the catalog directory."""
    return {entry.code: entry for entry in map(_parse, sorted(directory.glob("*.toml")))}


def award_choices() -> list[tuple[str, str]]:
    return [(code, entry.name) for code, entry in sorted(get_catalog().items())]
