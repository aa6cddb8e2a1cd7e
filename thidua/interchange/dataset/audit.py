"""The audit entries of dataset loads and exports: one per load or export, not per row."""

from thidua.audit.services import log


class DatasetTarget:
    """What an audit entry of a load or export points at. A dataset is no row of any model,
    so this stand-in gives `audit.services.log` what it records of a target: the type
    `interchange.dataset`, an id (the loaded file's SHA-256: it says exactly which file was
    loaded, and a second load of the same file is easy to spot) and the file name."""

    class _meta:  # mimics a model's _meta, all that audit.services.log reads
        label_lower = "interchange.dataset"

    def __init__(self, name: str, sha256: str = ""):
        self.name = name
        self.pk = sha256

    def __str__(self):
        return self.name


def log_load(*, actor, name: str, sha256: str, counts: dict, message: str) -> None:
    log(
        "interchange.dataset.load",
        DatasetTarget(name, sha256),
        actor=actor,
        after={"counts": counts, "source": name, "sha256": sha256},
        message=message,
    )


def log_export(*, actor, name: str, fmt: str, counts: dict, scoped: bool) -> None:
    """Who took which personal data out, and how much of it."""
    log(
        "interchange.dataset.export",
        DatasetTarget(name),
        actor=actor,
        after={"counts": counts, "format": fmt, "scope": "units" if scoped else "all"},
    )
