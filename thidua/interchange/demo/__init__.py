"""The Kim Bảng demo world: a dataset built from rules, and the logins to explore it.

`build_demo_dataset()` returns a dataset (docs/dataset-format.md) of Hà Nam province and
its Kim Bảng district from 2015 to 2025, with the 2025 reorganisation (Hà Nam, Nam Định
and Ninh Bình merged into Ninh Bình; the district level gone; Kim Bảng's communes merged
into six wards). The same seed always gives the same dataset: nothing depends on today's
date or on the order of a set.

The awards follow the rules of the 2017 regime (docs/legal/regimes.md) and of the 2022 Law
where they are stricter, so that the eligibility engine finds every valid award eligible:
LĐTT only with a rating of HTT or better and no discipline that year; CSTĐCS to at most
15 % of a unit's LĐTT count, among those rated HTXS or with an initiative; TTLĐTT with at
least 70 % LĐTT members and nobody disciplined at cảnh cáo or above; TTLĐXS to units rated
HTXS whose members are all rated HT or better, at least 70 % LĐTT, with a CSTĐCS; the
provincial certificate of merit to people with two consecutive CSTĐCS years and to units
with two consecutive HTXS years. Shares are met under every reasonable reading of "member
of the unit that year" (anyone employed there that year, those employed there six months
or more, those on the roll on 31 December).

The 2020 facts of the seed world (seed-world.md) hold: every unit directly under Kim Bảng
is rated HTT or better, the district holds the provincial emulation flag and the Hero of
Labour title (Decision 2015/QĐ-CTN of 13/11/2020), and the conference of 12/1/2021 hands
out TTLĐXS, provincial and district certificates of merit decided days before.

`load_demo()` loads it through the dataset loader, creates one login per role and adds
each domain's demo year on top (`build_demo()`, the one place that lists the steps).

The package, by topic: `constants` (the story's fixed facts, the logins), `parts` (units,
people, jobs, small helpers), `world` (the builder and the order of its steps) with one
module per topic of the builder (`units`, `people`, `presence`, `ratings`, `awards`,
`output`), and `load` (into the database).
"""

from thidua.interchange.demo.constants import DEMO_LOGINS, DEMO_PASSWORD, SEED, DemoLogin
from thidua.interchange.demo.load import (
    DemoError,
    build_demo,
    create_demo_logins,
    demo_counts,
    load_demo,
    migrate_if_needed,
)
from thidua.interchange.demo.world import build_demo_dataset

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "SEED",
    "DemoError",
    "DemoLogin",
    "build_demo",
    "build_demo_dataset",
    "create_demo_logins",
    "demo_counts",
    "load_demo",
    "migrate_if_needed",
]
