"""The system as an actor: the one actor that is not a person.

Every verb takes a required `actor`. A page, an API call or a background job started from
one passes the user; only the operator's command line (`thidua …` management commands),
the dataset loader and the demo world act as `SYSTEM`, which may do everything. It is an
object, not a database user: nobody can log in as it, no role can be granted to it, and
audit rows it writes carry no user and the label `SYSTEM_LABEL` ("hệ thống"). See
`docs/adr/0007-system-actor.md`; `tests` check that no view or API module names it.
"""

# The label audit rows carry (thidua.audit.services writes the same words; this module
# imports no models, so commands and benchmarks may import it before Django is set up).
SYSTEM_LABEL = "hệ thống"

__all__ = ["SYSTEM", "SYSTEM_LABEL", "SystemActor", "is_system"]


class SystemActor:
    """The system itself. Quacks like a user where verbs read one (`is_superuser`: it may
    do everything; `is_authenticated` False and `pk` None: it is never a database row, so
    "recorded by" columns stay empty), and says what it is through `is_system`."""

    is_system = True
    is_superuser = True
    is_staff = False
    is_active = True
    is_authenticated = False
    is_anonymous = False
    pk = None
    id = None
    username = SYSTEM_LABEL

    def __str__(self) -> str:
        return SYSTEM_LABEL

    def __repr__(self) -> str:
        return "SYSTEM"

    def __reduce__(self):  # one instance, even through pickling (background tasks)
        return (_system, ())


def _system():
    return SYSTEM


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    """Whether `actor` is the system (not a user)."""
    return getattr(actor, "is_system", False) is True
