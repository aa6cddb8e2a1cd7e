"""The catalog of emulation titles and commendation forms, kept as one TOML file per
title or form in `thidua/rules/data/awards/`. Codes are stable identifiers; names are labels.

The catalog sits below the apps that use it (records, rules, emulation, reports,
interchange); the files stay beside the rule sets that cite them, and only the loader
lives here. `thidua.rules.catalog` re-exports it.

A malformed file stops the start with its path and the problem (TOML syntax errors carry
the line and column).
"""

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language
from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent.parent / "rules" / "data" / "awards"
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

    @property
    def for_households(self) -> bool:
        return "household" in self.subjects


def _parse(path: Path) -> AwardEntry:
    """One catalog file, checked; every problem names the file (and, for TOML syntax, the
    line and column)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(_("%(path)s: %(error)s") % {"path": path, "error": exc}) from exc

    def fail(message):
        raise ImproperlyConfigured(_("%(path)s: %(problem)s") % {"path": path, "problem": message})

    missing = REQUIRED - data.keys()
    if missing:
        fail(_("missing keys %(keys)s") % {"keys": ", ".join(sorted(missing))})
    for key in ("code", "kind", "name_vi", "name_en"):
        if not isinstance(data[key], str) or not data[key].strip():
            fail(_("%(key)s must be a non-empty text") % {"key": key})
    if data["code"] != path.stem:
        fail(_("code %(code)s must match the file name") % {"code": data["code"]})
    if data["kind"] not in KINDS:
        fail(_("kind must be one of %(kinds)s") % {"kinds": ", ".join(sorted(KINDS))})
    subjects = data["subjects"]
    if not isinstance(subjects, list) or not subjects or set(subjects) - SUBJECTS:
        fail(
            _("subjects must be a non-empty list drawn from %(subjects)s")
            % {"subjects": ", ".join(sorted(SUBJECTS))}
        )
    default_type = data.get("default_type", "cong_trang")
    if default_type not in TYPES:
        fail(_("default_type must be one of %(types)s") % {"types": ", ".join(sorted(TYPES))})
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
    """code → entry, for every `*.toml` file in the catalog directory.

    Cached per directory: the files are read once per process. A missing or empty
    directory is an error, not an empty catalog (every award check would then fail).
    """
    directory = Path(directory)
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise ImproperlyConfigured(
            _("%(path)s: no award catalog files (*.toml) found") % {"path": directory}
        )
    return {entry.code: entry for entry in map(_parse, paths)}


def award_choices() -> list[tuple[str, str]]:
    return [(code, entry.name) for code, entry in sorted(get_catalog().items())]


# --- groups: "any of these awards" ------------------------------------------------------
#
# Some criteria name a level of award rather than one form: "a Bằng khen of a ministry, a
# central body or a province" is several codes, one per conferring authority. A group gives
# that set a code and a name (`award_groups.toml` beside the catalog files).

GROUPS_FILE = DATA_DIR.parent / "award_groups.toml"


@dataclass(frozen=True)
class AwardGroup:
    code: str
    name_vi: str
    name_en: str
    awards: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


@cache
def get_groups(path: Path = GROUPS_FILE, directory: Path = DATA_DIR) -> dict[str, AwardGroup]:
    """code → group, checked against the catalog: every member is an award code, and no
    group code is also an award code."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(_("%(path)s: %(error)s") % {"path": path, "error": exc}) from exc
    catalog = get_catalog(directory)
    groups = {}
    for code, raw in data.items():
        members = raw.get("awards") if isinstance(raw, dict) else None
        if code in catalog or not isinstance(members, list) or len(members) < 2:
            raise ImproperlyConfigured(
                _("%(path)s: group %(code)s needs a code of its own and two awards or more")
                % {"path": path, "code": code}
            )
        unknown = sorted(set(members) - catalog.keys())
        if unknown:
            raise ImproperlyConfigured(
                _("%(path)s: group %(code)s names unknown awards %(codes)s")
                % {"path": path, "code": code, "codes": ", ".join(unknown)}
            )
        groups[code] = AwardGroup(code, raw["name_vi"], raw["name_en"], tuple(members))
    return groups
