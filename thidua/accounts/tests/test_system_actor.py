"""Actors are explicit: every public verb requires its actor, and only the operator's
command line, the loader and the demo act as the system (docs/adr/0007-system-actor.md)."""

import importlib
import inspect
import pathlib

import pytest

from thidua.accounts import scope
from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.org import services as org_services
from thidua.org.models import Unit

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Modules whose public functions taking an `actor` are verbs (the engine's internals in
# thidua.rules are not; nominations converts its verbs separately).
VERB_MODULES = [
    "thidua.accounts.services",
    "thidua.accounts.api",
    "thidua.org.services",
    "thidua.org.reorganize.apply",
    "thidua.org.reorganize.planner",
    "thidua.records.services",
    "thidua.rules.attestations",
    "thidua.emulation.services.blocks",
    "thidua.emulation.services.copying",
    "thidua.emulation.services.covenants",
    "thidua.emulation.services.movements",
    "thidua.emulation.services.results",
    "thidua.emulation.services.scoring",
    "thidua.plans.services",
    "thidua.portal.services",
    "thidua.portal.photos",
    "thidua.interchange.dataset.loader",
]


def _verbs():
    for name in VERB_MODULES:
        module = importlib.import_module(name)
        for attr, fn in vars(module).items():
            if (
                attr.startswith(("_", "may_"))
                or not inspect.isfunction(fn)
                or fn.__module__ != name
            ):
                continue
            params = inspect.signature(fn).parameters
            if "actor" in params:
                yield f"{name}.{attr}", params["actor"]


def test_every_public_verb_requires_its_actor():
    verbs = dict(_verbs())
    assert len(verbs) > 60  # the check sees the verbs, not an empty list
    defaulted = [name for name, p in verbs.items() if p.default is not inspect.Parameter.empty]
    assert defaulted == []
    positional = [name for name, p in verbs.items() if p.kind is not p.KEYWORD_ONLY]
    assert positional == []


def test_the_year_end_summary_requires_its_user():
    from thidua.reports.summary import build_summary

    param = inspect.signature(build_summary).parameters["user"]
    assert param.default is inspect.Parameter.empty


def test_no_page_or_api_module_acts_as_the_system():
    offenders = [
        str(path.relative_to(ROOT))
        for pattern in ("**/views.py", "**/views/*.py", "**/api.py", "**/api/*.py")
        for path in (ROOT / "thidua").glob(pattern)
        if "SYSTEM" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.django_db
def test_a_verb_called_without_an_actor_is_a_programming_error():
    with pytest.raises(TypeError, match="actor"):
        org_services.create_unit(code="X", kind="commune", name="X", established_on=None)


@pytest.mark.django_db
def test_the_system_may_do_everything_and_is_audited_as_he_thong():
    import datetime

    unit = org_services.create_unit(
        code="TINH",
        kind="province",
        name="Tỉnh",
        established_on=datetime.date(2000, 1, 1),
        actor=SYSTEM,
    )
    assert scope.unit_ids_for(SYSTEM) is None and scope.can(SYSTEM, "change", unit)
    entry = AuditEntry.objects.get(target_type="org.unit", target_id=str(unit.pk))
    assert entry.actor is None and entry.actor_label == "hệ thống"
    assert Unit.objects.filter(code="TINH").exists()


def test_the_system_is_no_user():
    assert not SYSTEM.is_authenticated and SYSTEM.pk is None and str(SYSTEM) == "hệ thống"
