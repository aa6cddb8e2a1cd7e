"""The demo world as one object: the state every topic shares, and the order in which
the topics build it (`build_demo_dataset`)."""

import datetime
import itertools
import random
from collections import defaultdict

from thidua.interchange.demo.awards import _AwardsMixin
from thidua.interchange.demo.constants import SEED
from thidua.interchange.demo.output import _OutputMixin
from thidua.interchange.demo.parts import _Job, _Person, _Unit
from thidua.interchange.demo.people import _PeopleMixin
from thidua.interchange.demo.presence import _PresenceMixin
from thidua.interchange.demo.ratings import _RatingsMixin
from thidua.interchange.demo.units import _UnitsMixin


class _World(_UnitsMixin, _PeopleMixin, _PresenceMixin, _RatingsMixin, _AwardsMixin, _OutputMixin):
    """Builds the dataset step by step; every draw comes from one seeded generator. Each
    topic is a mixin in its own module; they share the state set up here."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.units: dict[str, _Unit] = {}
        self.lineage: list[dict] = []
        self.people: dict[str, _Person] = {}
        self.jobs: dict[str, list[_Job]] = defaultdict(list)
        self.citizen_ids: set[str] = set()
        self.absences: list[dict] = []
        self.disciplines: list[dict] = []
        self.reviews: list[dict] = []
        self.initiatives: list[dict] = []
        self.authors_by_year: dict[int, set[str]] = defaultdict(set)
        self.ratings: dict[tuple[str, int], str] = {}
        self.scores: dict[tuple[str, int], float] = {}
        self.unit_ratings: dict[tuple[str, int], str] = {}
        self.awards: list[dict] = []
        self.batches: dict[tuple, tuple[str, datetime.date]] = {}
        self.numbers: dict[tuple[str, int], set[int]] = {}
        self.capped: set[tuple[str, int]] = set()  # rating at most HT (absence, discipline)
        self.blocked: dict[str, set[int]] = defaultdict(set)  # years with discipline
        self.last_discipline_end: dict[str, datetime.date] = {}
        self.failed: set[tuple[str, int]] = set()  # KHT: duty-related discipline that year
        self.ldtt: dict[int, set[str]] = defaultdict(set)
        self.cstdcs: dict[int, set[str]] = defaultdict(set)  # valid titles only
        self.last_bk: dict[str, int] = {}  # person or unit → year of its last Bằng khen
        self.special: dict[str, str] = {}  # role in the story → person code
        self.active: dict[str, _Job] = {}  # person → current job, while simulating
        self.queue: list[tuple] = []  # (day, priority, sequence, event kind, payload)
        self.sequence = itertools.count()
        self.pools: dict[str, list[str]] = defaultdict(list)  # transfers stay in a pool
        self._home: dict[tuple[str, int], str | None] = {}
        self._members: dict[int, dict] = {}


def build_demo_dataset() -> dict:
    """The Kim Bảng demo world as a dataset dict (docs/dataset-format.md).

    Deterministic: the same dict on every call, on every machine."""
    world = _World(SEED)
    world.build_units()
    world.build_people()
    world.build_absences_and_discipline()
    world.rate_people()
    world.build_initiatives()
    world.rate_units()
    world.score_last_year()
    world.award_titles()
    world.special_awards()
    return world.dataset()
