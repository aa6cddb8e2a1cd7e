"""Loading the demo world into the database: the dataset, the logins, and each domain's
demo on top, in the order of the layers (`build_demo`)."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from thidua.accounts.models import UserRole
from thidua.accounts.system import SYSTEM
from thidua.audit.services import log
from thidua.council.demo import load_council_demo
from thidua.decisions.demo import load_decisions_demo
from thidua.emulation.demo import load_emulation_demo
from thidua.interchange.dataset import load_dataset
from thidua.interchange.demo.constants import DEMO_LOGINS, DEMO_PASSWORD
from thidua.interchange.demo.households import load_households_demo
from thidua.interchange.demo.official import attach_official_codes
from thidua.interchange.demo.world import build_demo_dataset
from thidua.nominations.demo import load_nominations_demo
from thidua.org.models import Employment, LineageEvent, Person, Unit
from thidua.plans.demo import load_plans_demo
from thidua.records.models import Award, PersonRating, UnitRating
from thidua.rules.demo import load_rules_demo


class DemoError(Exception):
    """The demo cannot be loaded (the database already holds data)."""


def migrate_if_needed(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Apply pending migrations; True if there were any."""
    executor = MigrationExecutor(connections[using])
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0, database=using)
    return True


def load_demo(*, force: bool = False) -> dict[str, int]:
    """Load the demo world and create the demo logins (`DEMO_LOGINS`, password
    `DEMO_PASSWORD`), all in one transaction.

    Refuses (DemoError) when the database already holds units, unless `force`, which
    first erases every row of every table. Returns row counts and the seconds it took.
    """
    started = time.perf_counter()
    if Unit.objects.exists() and not force:
        raise DemoError(
            _(
                "The database already holds units; use --force to erase everything and "
                "load the demo."
            )
        )
    with transaction.atomic():
        if force:
            if connection.vendor == "postgresql":
                # TRUNCATE refuses to run while deferred foreign-key checks of earlier
                # writes in this transaction are pending: check them now.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            call_command("flush", interactive=False, verbosity=0)
        build_demo()
    counts = demo_counts()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def build_demo() -> None:
    """Every domain's part of the demo, in the order of the layers: the organisation and
    the records (one dataset), the logins, then each domain's demo year on top of them.
    A new domain adds its step here, one line."""
    load_dataset(build_demo_dataset(), actor=SYSTEM)
    attach_official_codes()  # the real mã ĐVHC beside the short demo codes
    create_demo_logins()
    load_emulation_demo()
    load_plans_demo()
    load_rules_demo()  # the council's attestations behind the history's awards
    load_households_demo()  # Phường Kim Bảng's households and their titles
    load_nominations_demo()
    load_council_demo(DEMO_PASSWORD)
    load_decisions_demo()  # Kim Bảng's 2020 round ends in the province's decisions


def create_demo_logins() -> list:
    """One user per role (see DEMO_LOGINS), each holding that role on its unit."""
    user_model = get_user_model()
    units = Unit.objects.in_bulk([login.unit for login in DEMO_LOGINS], field_name="code")
    password = make_password(DEMO_PASSWORD)  # hashed once: the same public password for all
    users = []
    for login in DEMO_LOGINS:
        user = user_model(
            username=login.username, is_staff=login.superuser, is_superuser=login.superuser
        )
        user.password = password
        user.save()
        UserRole.objects.create(user=user, unit=units[login.unit], role=login.role)
        log(
            "accounts.user.create",
            user,
            after={"username": login.username, "role": login.role, "unit": login.unit},
            message=_("Demo login"),
            actor=SYSTEM,
        )
        users.append(user)
    return users


def demo_counts() -> dict[str, int]:
    """Rows of the main tables, as `thidua demo` reports them."""
    return {
        "units": Unit.objects.count(),
        "lineage_events": LineageEvent.objects.count(),
        "people": Person.objects.count(),
        "employments": Employment.objects.count(),
        "person_ratings": PersonRating.objects.count(),
        "unit_ratings": UnitRating.objects.count(),
        "awards": Award.objects.count(),
        "logins": get_user_model().objects.count(),
    }
