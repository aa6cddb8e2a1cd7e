"""`DatabaseFacts`: what the database already holds about the codes a dataset mentions,
for `validate.Validator.finish`; and the chunked lookups it is made of."""

from collections import defaultdict

from thidua.org.models import Employment, Household, Person, Unit, UnitVersion
from thidua.records.models import Initiative, PersonRating, UnitRating

CHUNK = 900  # codes per IN (...) query: under SQLite's historic limit of 999 parameters


def chunked(items, size: int = CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class DatabaseFacts:
    """What the database already holds about the codes a dataset mentions, fetched with a
    constant number of queries (per CHUNK codes, against a large table)."""

    def __init__(self, v):
        """`v`: the `validate.Validator` that read the dataset."""
        unit_codes = v.unit_refs | v.unit_rated.keys() | v.defined["units"].keys()
        self.unit_ids = _ids(Unit, unit_codes)
        person_codes = v.person_refs | v.rated.keys() | v.defined["people"].keys()
        self.person_ids = _ids(Person, person_codes)
        self.initiative_codes = set(_ids(Initiative, v.defined["initiatives"].keys()))
        self.household_codes = set(_ids(Household, v.defined["households"].keys()))
        # existing households the awards name (those the file defines are created with it)
        self.household_ids = _ids(Household, v.household_refs - v.defined["households"].keys())
        self.citizen_ids = _lookup(Person.objects.order_by(), "citizen_id", v.citizen_ids, "code")
        # The history of existing units and people the file adds versions, jobs or ratings to.
        units = {pk: code for code, pk in self.unit_ids.items() if code not in v.defined["units"]}
        people = {
            pk: code for code, pk in self.person_ids.items() if code not in v.defined["people"]
        }
        self.versions = defaultdict(list)
        self.unit_rating_years = defaultdict(set)
        for chunk in chunked(units):
            for unit_id, start, end in UnitVersion.objects.filter(unit_id__in=chunk).values_list(
                "unit_id", "valid_from", "valid_to"
            ):
                self.versions[units[unit_id]].append((start, end, None))
            for unit_id, year in UnitRating.objects.filter(unit_id__in=chunk).values_list(
                "unit_id", "year"
            ):
                self.unit_rating_years[units[unit_id]].add(year)
        self.employments = defaultdict(list)
        self.open_employments = {}  # (person code, start) → unit id, for employments not ended
        self.person_rating_years = defaultdict(set)
        for chunk in chunked(people):
            for person_id, start, end, unit_id in Employment.objects.filter(
                person_id__in=chunk
            ).values_list("person_id", "start", "end", "unit_id"):
                self.employments[people[person_id]].append((start, end, None))
                if end is None:
                    self.open_employments[people[person_id], start] = unit_id
            for person_id, year in PersonRating.objects.filter(person_id__in=chunk).values_list(
                "person_id", "year"
            ):
                self.person_rating_years[people[person_id]].add(year)


def _lookup(queryset, field: str, keys, value: str) -> dict:
    """{key: value} for the rows of `queryset` whose `field` is one of `keys`.

    A file usually names about as many codes as the table holds (a first load into an empty
    or small database): one scan of the table then costs less than IN (...) lists of 900.
    Against a much larger table, the codes are looked up in chunks.
    """
    keys = set(keys)
    if not keys:
        return {}
    if queryset.count() <= 4 * len(keys):
        rows = queryset.filter(**{f"{field}__isnull": False}).values_list(field, value)
        return {k: v for k, v in rows.iterator(chunk_size=10_000) if k in keys}
    found = {}
    for chunk in chunked(keys):
        found.update(queryset.filter(**{f"{field}__in": chunk}).values_list(field, value))
    return found


def _ids(model, codes) -> dict[str, int]:
    return _lookup(model.objects.order_by(), "code", codes, "pk")
