"""The law as data: rule sets by legal period, and each award's criteria, deciding
authority and bonus coefficient by date, read from the same TOML files as the catalog
(`rules/data/awards/*.toml`, `rules/data/rule_sets.toml`).

The catalog (`catalog.py`) owns an award's identity (code, names, subjects); this module
reads the keys it leaves in `extra`: `[[rules]]`, `[[authority]]`, `[[coefficient]]`,
`rank`, `annual`, `suggest`, `unit_kinds`. Everything is validated at start: an unknown
check, a missing or bad parameter, a reference to an unknown award, rule set or
deployment parameter stops the start with the file, the line and the criterion.
"""

import dataclasses
import datetime
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

from thidua.org.choices import UnitKind
from thidua.records.choices import CommendationType, DisciplineMeasure, RatingLevel, Scope
from thidua.rules.catalog import DATA_DIR as AWARDS_DIR
from thidua.rules.catalog import AwardEntry, get_catalog, get_groups
from thidua.rules.parameters import load_specs

RULE_SETS_FILE = Path(__file__).resolve().parent / "data" / "rule_sets.toml"
CONFIDENCE = ("V2", "V1", "UNVERIFIED")
SUBJECT_KINDS = ("individual", "collective", "household")
AUTHORITY_TIERS = {
    "unit_head",
    "enterprise_director",
    "district_chairman",
    "commune_chairman",
    "province_chairman",
    "minister",
    "prime_minister",
    "president",
    "national_assembly",  # the National Assembly Standing Committee (its commemorative medal)
}
FAR_PAST = datetime.date(1900, 1, 1)
FAR_FUTURE = datetime.date(9999, 12, 31)

# --- the vocabulary of checks -------------------------------------------------------------
# Each check: the subjects it applies to, and its parameters as name → (kind, required,
# default). A value written "@name" reads the deployment parameter `name` (see
# parameters.toml); its type must fit the kind.
IND, COLL, HH = "individual", "collective", "household"
LEVELS = tuple(RatingLevel.values)
CHECKS: dict[str, tuple[frozenset, dict]] = {
    "rating_at_least": (
        frozenset({IND, COLL}),
        {"level": ("level", True, None), "year_offset": ("int", False, 0)},
    ),
    "rating_streak": (
        frozenset({IND, COLL}),
        {"level": ("level", True, None), "years": ("int", True, None)},
    ),
    "title_streak": (
        frozenset({IND, COLL}),
        {"award": ("award", True, None), "years": ("int", True, None)},
    ),
    "consecutive_awards": (
        frozenset({IND, COLL}),
        {"award": ("award_or_group", True, None), "count": ("int", True, None)},
    ),
    "meets_award": (frozenset({IND, COLL}), {"award": ("award", True, None)}),
    "since_award": (
        frozenset({IND, COLL}),
        {
            "award": ("award_or_group", True, None),
            "years": ("int", True, None),
            "rating": ("level", False, None),
            "ratings": ("level_counts", False, None),
            "titles": ("award_counts", False, None),
            "titles_any": ("award_counts", False, None),
            "initiatives": ("int", False, 0),
            "initiative_scope": ("scope", False, "co_so"),
        },
    ),
    "initiative": (
        frozenset({IND}),
        {
            "kind": ("work_kind", False, "any"),
            "scope": ("scope", True, None),
            "applied": ("bool", False, False),
            "replicable": ("bool", False, False),
            "count": ("int", False, 1),
            "window_years": ("int", False, 1),
        },
    ),
    "no_discipline": (
        frozenset({IND}),
        {"min_measure": ("measure", True, None), "duty_related_only": ("bool", False, False)},
    ),
    "share_of_members": (
        frozenset({COLL}),
        {
            "condition": ("condition", True, None),
            "level": ("level", False, None),
            "min_share": ("share", True, None),
            "strict": ("bool", False, False),
        },
    ),
    "no_member_discipline": (frozenset({COLL}), {"min_measure": ("measure", True, None)}),
    "member_holds_award": (frozenset({COLL}), {"award": ("award", True, None)}),
    "leads_block": (frozenset({COLL}), {}),
    "post_tenure": (
        frozenset({IND}),
        {"posts": ("posts", True, None), "women_reduction": ("bool", False, True)},
    ),
    "attest": (
        frozenset({IND, COLL, HH}),
        {"text_vi": ("text", True, None), "text_en": ("text", True, None)},
    ),
    "any_of": (frozenset({IND, COLL, HH}), {}),
    "all_of": (frozenset({IND, COLL, HH}), {}),
}
COMPOSITES = {"any_of", "all_of"}
CONDITIONS = ("ldtt", "rating_at_least")
PARAM_KIND_FOR = {"int": {"int"}, "share": {"share", "float"}, "bool": {"bool"}}


@dataclass(frozen=True)
class RuleSet:
    id: str
    name_vi: str
    name_en: str
    valid_from: datetime.date
    valid_to: datetime.date
    encoded: bool
    evaluate_as: str
    note_vi: str
    note_en: str
    excluded_types: frozenset[str]
    confidence: str
    initiative_once_per_category: bool = True

    @property
    def name(self) -> str:
        return _pick(self.name_vi, self.name_en)

    @property
    def note(self) -> str:
        return _pick(self.note_vi, self.note_en)

    def covers(self, day: datetime.date) -> bool:
        return self.valid_from <= day < self.valid_to


@dataclass(frozen=True)
class Criterion:
    """One criterion of an award under some rule sets: a check with its parameters, or a
    composite (`any_of`, `all_of`) of options. `where` locates it for error messages."""

    id: str
    check: str
    params: dict = field(compare=False, hash=False)
    article: dict = field(compare=False, hash=False)  # rule set id or "default" → text
    confidence: str = "V2"
    options: tuple = ()
    where: str = ""

    def article_for(self, rule_set_id: str) -> str:
        return self.article.get(rule_set_id) or self.article.get("default", "")


@dataclass(frozen=True)
class Dated:
    """A value valid from one day (inclusive) to another (exclusive)."""

    valid_from: datetime.date
    valid_to: datetime.date
    value: object
    article: str
    confidence: str
    subject: str = ""

    def covers(self, day: datetime.date) -> bool:
        return self.valid_from <= day < self.valid_to


@dataclass(frozen=True)
class AwardDefinition:
    entry: AwardEntry
    rank: int
    annual: bool
    suggest: bool
    unit_kinds: frozenset[str]
    authority: tuple[Dated, ...]
    coefficients: tuple[Dated, ...]
    rules: dict = field(compare=False, hash=False)  # (rule set id, subject) → criteria

    @property
    def code(self) -> str:
        return self.entry.code

    def criteria(self, rule_set_id: str, subject: str) -> tuple[Criterion, ...] | None:
        return self.rules.get((rule_set_id, subject))

    def authority_on(self, day: datetime.date) -> Dated | None:
        return next((a for a in self.authority if a.covers(day)), None)

    def coefficient_on(self, day: datetime.date, subject: str) -> Dated | None:
        return next((c for c in self.coefficients if c.subject == subject and c.covers(day)), None)


@dataclass(frozen=True)
class Definitions:
    rule_sets: dict[str, RuleSet]
    awards: dict[str, AwardDefinition]

    def rule_set_on(self, day: datetime.date) -> RuleSet:
        for rule_set in self.rule_sets.values():
            if rule_set.covers(day):
                return rule_set
        raise ImproperlyConfigured(f"no rule set covers {day:%d/%m/%Y}")  # pragma: no cover

    def effective(self, rule_set: RuleSet) -> RuleSet:
        """The rule set whose criteria are used (itself, or the one it falls back to)."""
        return rule_set if rule_set.encoded else self.rule_sets[rule_set.evaluate_as]


def _pick(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") else vi


def _date(value, where: str, key: str, default: datetime.date) -> datetime.date:
    if value is None:
        return default
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{where}: {key} must be a date YYYY-MM-DD") from exc


# --- rule sets ----------------------------------------------------------------------------


def _load_rule_sets(path: Path) -> dict[str, RuleSet]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ImproperlyConfigured(f"{path}: {exc}") from exc
    sets: dict[str, RuleSet] = {}
    for index, raw in enumerate(data.get("rule_set", []), start=1):
        where = f"{path}: rule_set #{index}"
        for key in ("id", "name_vi", "name_en", "confidence"):
            if key not in raw:
                raise ImproperlyConfigured(f"{where}: missing {key!r}")
        encoded = raw.get("encoded", True)
        if not encoded and not raw.get("evaluate_as"):
            raise ImproperlyConfigured(f"{where}: a rule set not encoded needs evaluate_as")
        if not encoded and not (raw.get("note_vi") and raw.get("note_en")):
            raise ImproperlyConfigured(f"{where}: a rule set not encoded needs note_vi/note_en")
        excluded = set(raw.get("excluded_types", ["dot_xuat", "chuyen_de"]))
        if excluded - set(CommendationType.values):
            raise ImproperlyConfigured(f"{where}: unknown excluded_types {sorted(excluded)}")
        rule_set = RuleSet(
            id=raw["id"],
            name_vi=raw["name_vi"],
            name_en=raw["name_en"],
            valid_from=_date(raw.get("valid_from"), where, "valid_from", FAR_PAST),
            valid_to=_date(raw.get("valid_to"), where, "valid_to", FAR_FUTURE),
            encoded=encoded,
            evaluate_as=raw.get("evaluate_as", raw["id"]),
            note_vi=raw.get("note_vi", ""),
            note_en=raw.get("note_en", ""),
            excluded_types=frozenset(excluded),
            confidence=raw["confidence"],
            initiative_once_per_category=bool(raw.get("initiative_once_per_category", True)),
        )
        if rule_set.id in sets:
            raise ImproperlyConfigured(f"{where}: duplicate id {rule_set.id!r}")
        sets[rule_set.id] = rule_set
    ordered = sorted(sets.values(), key=lambda r: r.valid_from)
    if not ordered or ordered[0].valid_from != FAR_PAST or ordered[-1].valid_to != FAR_FUTURE:
        raise ImproperlyConfigured(f"{path}: rule sets must cover every date")
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.valid_to != after.valid_from:
            raise ImproperlyConfigured(
                f"{path}: rule sets {before.id!r} and {after.id!r} leave a gap or overlap"
            )
    for rule_set in sets.values():
        target = sets.get(rule_set.evaluate_as)
        if target is None or not target.encoded:
            raise ImproperlyConfigured(
                f"{path}: rule set {rule_set.id!r} evaluates as {rule_set.evaluate_as!r}, "
                "which is not an encoded rule set"
            )
    return {r.id: r for r in ordered}


# --- awards -------------------------------------------------------------------------------


class _Locator:
    """Finds the line of a criterion in its file for error messages (tomllib gives lines
    only for syntax errors)."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.blocks = [i for i, line in enumerate(self.lines) if line.strip() == "[[rules]]"]

    def line(self, block: int, criterion_id: str) -> int:
        start = self.blocks[block] if block < len(self.blocks) else 0
        pattern = re.compile(rf'^\s*id\s*=\s*"{re.escape(criterion_id)}"')
        for i in range(start, len(self.lines)):
            if pattern.match(self.lines[i]):
                return i + 1
        return start + 1


def _whole(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and value >= 0


def _one_of(choices, why):
    return lambda value, catalog: None if value in choices else why


# kind → (value, catalog) → what is wrong with the value, or None. The table kinds
# (award_counts, level_counts, posts) are checked by `_check_table`.
_SCALAR_CHECKS = {
    "int": lambda v, c: None if _whole(v) else "must be a whole number ≥ 0",
    "share": lambda v, c: (
        None
        if not isinstance(v, bool) and isinstance(v, int | float) and 0 <= v <= 1
        else "must be a share between 0 and 1"
    ),
    "bool": lambda v, c: None if isinstance(v, bool) else "must be true or false",
    "level": _one_of(LEVELS, f"must be one of {list(LEVELS)}"),
    "scope": _one_of(Scope.values, f"must be one of {Scope.values}"),
    "work_kind": _one_of(("initiative", "research", "any"), "must be initiative, research or any"),
    "measure": _one_of(DisciplineMeasure.values, f"must be one of {DisciplineMeasure.values}"),
    "award": lambda v, c: None if v in c else "is not an award code of the catalog",
    "award_or_group": lambda v, c: (
        None if v in c or v in get_groups() else "is not an award or group code of the catalog"
    ),
    "condition": _one_of(CONDITIONS, f"must be one of {list(CONDITIONS)}"),
    "text": lambda v, c: None if isinstance(v, str) and v.strip() else "must be a non-empty text",
}


def _check_table(kind, value, bad, where, name, catalog, param_specs):
    if kind == "posts":
        if not isinstance(value, dict) or not value:
            raise bad("must be a table of post = years")
        for years in value.values():
            if isinstance(years, bool) or not isinstance(years, int | float) or years <= 0:
                raise bad("must give a positive number of years for each post")
        return
    if not isinstance(value, dict) or not value:
        raise bad("must be a table of code = count")
    for key, count in value.items():
        if kind == "award_counts" and key not in catalog and key not in get_groups():
            raise bad(f"names {key!r}, which is not an award or group code")
        if kind == "level_counts" and key not in LEVELS:
            raise bad(f"names {key!r}, which is not a rating level")
        _check_value("int", count, where, f"{name}.{key}", catalog, param_specs)


def _check_value(kind: str, value, where: str, name: str, catalog, param_specs):
    def bad(why):
        return ImproperlyConfigured(f"{where}: parameter {name!r} {why} (got {value!r})")

    if isinstance(value, str) and value.startswith("@"):
        spec = param_specs.get(value[1:])
        if spec is None:
            raise bad("refers to an unknown deployment parameter")
        if spec.type not in PARAM_KIND_FOR.get(kind, ()):
            raise bad(f"refers to a {spec.type} parameter, a {kind} is needed")
        return value
    if kind in ("award_counts", "level_counts", "posts"):
        _check_table(kind, value, bad, where, name, catalog, param_specs)
        return value
    check = _SCALAR_CHECKS.get(kind)
    why = check(value, catalog) if check else None
    if why:
        raise bad(why)
    return value


def _criterion(raw, block, locate, subject, rule_sets, catalog, param_specs, seen):
    """`block` describes the rules block ("path: rules for 2017 / individual")."""
    if not isinstance(raw, dict) or "id" not in raw or "check" not in raw:
        raise ImproperlyConfigured(f"{block}: every criterion needs an id and a check")
    cid = raw["id"]
    path, _sep, desc = block.partition(": ")
    where = f"{path}:{locate(cid)}: {desc}, criterion {cid!r}"
    if cid in seen:
        raise ImproperlyConfigured(f"{where}: duplicate criterion id")
    seen.add(cid)
    check = raw["check"]
    if check not in CHECKS:
        raise ImproperlyConfigured(f"{where}: unknown check {check!r}; known: {sorted(CHECKS)}")
    subjects, schema = CHECKS[check]
    if subject not in subjects:
        raise ImproperlyConfigured(f"{where}: check {check!r} does not apply to a {subject}")
    common = {"id", "check", "article", "confidence", "options"}
    unknown = set(raw) - common - set(schema)
    if unknown:
        raise ImproperlyConfigured(
            f"{where}: unknown parameters {sorted(unknown)} for check {check!r}"
        )
    params = {}
    for name, (kind, required, default) in schema.items():
        if name not in raw:
            if required:
                raise ImproperlyConfigured(f"{where}: check {check!r} needs parameter {name!r}")
            params[name] = default
            continue
        params[name] = _check_value(kind, raw[name], where, name, catalog, param_specs)
    if (
        check == "share_of_members"
        and params["condition"] == "rating_at_least"
        and params["level"] is None
    ):
        raise ImproperlyConfigured(f"{where}: condition rating_at_least needs a level")
    confidence = raw.get("confidence", "")
    if confidence and confidence not in CONFIDENCE:
        raise ImproperlyConfigured(f"{where}: confidence must be one of {list(CONFIDENCE)}")
    article = raw.get("article", {})
    if isinstance(article, str):
        article = {"default": article}
    if not isinstance(article, dict) or set(article) - set(rule_sets) - {"default"}:
        raise ImproperlyConfigured(
            f"{where}: article must be a text or a table keyed by this block's rule sets"
        )
    options = ()
    if check in COMPOSITES:
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            raise ImproperlyConfigured(f"{where}: {check} needs at least two options")
        options = tuple(
            _criterion(o, block, locate, subject, rule_sets, catalog, param_specs, seen)
            for o in raw_options
        )
    elif "options" in raw:
        raise ImproperlyConfigured(f"{where}: only any_of and all_of take options")
    return Criterion(
        id=cid,
        check=check,
        params=params,
        article=article,
        confidence=confidence,
        options=options,
        where=where,
    )


def _dated_list(raw_list, where, key, *, value_key, validate):
    items = []
    for index, raw in enumerate(raw_list or [], start=1):
        item_where = f"{where}: {key} #{index}"
        value = validate(raw.get(value_key), item_where)
        if raw.get("confidence") not in CONFIDENCE:
            raise ImproperlyConfigured(f"{item_where}: confidence must be one of {CONFIDENCE}")
        items.append(
            Dated(
                valid_from=_date(raw.get("valid_from"), item_where, "valid_from", FAR_PAST),
                valid_to=_date(raw.get("valid_to"), item_where, "valid_to", FAR_FUTURE),
                value=value,
                article=raw.get("article", ""),
                confidence=raw["confidence"],
                subject=raw.get("subject", ""),
            )
        )
    return tuple(items)


def _load_award(entry: AwardEntry, directory: Path, rule_sets, catalog, param_specs):
    path = directory / f"{entry.code}.toml"
    text = path.read_text(encoding="utf-8")
    locator = _Locator(text)
    extra = entry.extra

    def tiers(value, where):
        if not isinstance(value, list) or not value or set(value) - AUTHORITY_TIERS:
            raise ImproperlyConfigured(
                f"{where}: tiers must be a list from {sorted(AUTHORITY_TIERS)}"
            )
        return tuple(value)

    def coefficient(value, where):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ImproperlyConfigured(f"{where}: value must be a positive number")
        return float(value)

    authority = _dated_list(
        extra.get("authority"), str(path), "authority", value_key="tiers", validate=tiers
    )
    coefficients = _dated_list(
        extra.get("coefficient"), str(path), "coefficient", value_key="value", validate=coefficient
    )
    for item in coefficients:
        if item.subject not in entry.subjects:
            raise ImproperlyConfigured(
                f"{path}: coefficient subject {item.subject!r} is not one of the award's subjects"
            )
    unit_kinds = frozenset(extra.get("unit_kinds", UnitKind.values))
    if unit_kinds - set(UnitKind.values):
        raise ImproperlyConfigured(f"{path}: unknown unit_kinds {sorted(unit_kinds)}")
    rules: dict = {}
    for block_index, block in enumerate(extra.get("rules", [])):
        header = locator.blocks[block_index] + 1 if block_index < len(locator.blocks) else 0
        where = f"{path}:{header}"
        sets = block.get("rule_sets")
        subject = block.get("subject")
        if not isinstance(sets, list) or not sets or set(sets) - rule_sets.keys():
            raise ImproperlyConfigured(
                f"{where}: rules.rule_sets must list known rule sets {sorted(rule_sets)}"
            )
        if any(not rule_sets[s].encoded for s in sets):
            raise ImproperlyConfigured(
                f"{where}: criteria may not be written for a rule set that is not encoded"
            )
        if subject not in entry.subjects:
            raise ImproperlyConfigured(
                f"{where}: rules.subject {subject!r} is not one of {sorted(entry.subjects)}"
            )
        raw_criteria = block.get("criteria")
        if not isinstance(raw_criteria, list) or not raw_criteria:
            raise ImproperlyConfigured(f"{where}: a rules block needs criteria")
        seen: set[str] = set()

        def locate(cid, b=block_index):
            return locator.line(b, cid)

        criteria = tuple(
            _criterion(
                raw,
                f"{path}: rules for {', '.join(sets)} / {subject}",
                locate,
                subject,
                sets,
                catalog,
                param_specs,
                seen,
            )
            for raw in raw_criteria
        )
        for rule_set_id in sets:
            if (rule_set_id, subject) in rules:
                raise ImproperlyConfigured(
                    f"{where}: criteria for {rule_set_id} / {subject} are given twice"
                )
            rules[(rule_set_id, subject)] = criteria
    return AwardDefinition(
        entry=entry,
        rank=int(extra.get("rank", 0)),
        annual=bool(extra.get("annual", False)),
        suggest=bool(extra.get("suggest", False)),
        unit_kinds=unit_kinds,
        authority=authority,
        coefficients=coefficients,
        rules=rules,
    )


def _walk(criteria):
    for criterion in criteria:
        yield criterion
        yield from _walk(criterion.options)


def _check_references(awards: dict[str, AwardDefinition]) -> None:
    """`meets_award` must name an award with criteria for the same rule set and subject,
    and may not loop back."""
    graph: dict[tuple, set[tuple]] = {}
    for award in awards.values():
        for (rule_set_id, subject), criteria in award.rules.items():
            node = (award.code, rule_set_id, subject)
            graph[node] = set()
            for criterion in _walk(criteria):
                if criterion.check != "meets_award":
                    continue
                target = criterion.params["award"]
                if awards[target].criteria(rule_set_id, subject) is None:
                    raise ImproperlyConfigured(
                        f"{criterion.where}: {target} has no criteria for {rule_set_id} / {subject}"
                    )
                graph[node].add((target, rule_set_id, subject))

    def visit(node, path):
        if node in path:
            raise ImproperlyConfigured(f"meets_award loops: {' → '.join(n[0] for n in path)}")
        for nxt in graph.get(node, ()):
            visit(nxt, [*path, node])

    for node in graph:
        visit(node, [])


@cache
def get_definitions(awards_dir: Path = AWARDS_DIR, rule_sets_file: Path = RULE_SETS_FILE):
    """All rule sets and award definitions, validated (cached for the process)."""
    rule_sets = _load_rule_sets(rule_sets_file)
    catalog = get_catalog(awards_dir)
    param_specs = load_specs()
    awards = {
        code: _load_award(entry, awards_dir, rule_sets, catalog, param_specs)
        for code, entry in catalog.items()
    }
    _share_criteria(awards, awards_dir)
    _check_references(awards)
    return Definitions(rule_sets=rule_sets, awards=awards)


def _share_criteria(awards: dict[str, AwardDefinition], directory: Path) -> None:
    """`criteria_of = "CODE"`: the award is judged by another award's criteria, for the
    subjects both have (the Law sets one standard for the Bằng khen of a ministry, a
    central body or a province, and one for the Giấy khen of every authority)."""
    for code, award in list(awards.items()):
        source = award.entry.extra.get("criteria_of")
        if source is None:
            continue
        path = directory / f"{code}.toml"
        if source not in awards or awards[source].entry.extra.get("criteria_of"):
            raise ImproperlyConfigured(f"{path}: criteria_of must name an award with criteria")
        if award.rules:
            raise ImproperlyConfigured(f"{path}: criteria_of and rules may not both be given")
        shared = {
            key: criteria
            for key, criteria in awards[source].rules.items()
            if key[1] in award.entry.subjects
        }
        awards[code] = dataclasses.replace(award, rules=shared)
