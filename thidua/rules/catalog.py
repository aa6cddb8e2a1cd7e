"""The award catalog moved below the apps that use it: `thidua.awards.catalog`. These
names stay importable from here for the rule engine's modules."""

from thidua.awards.catalog import (  # noqa: F401 (re-exported)
    DATA_DIR,
    KINDS,
    REQUIRED,
    SUBJECTS,
    TYPES,
    AwardEntry,
    AwardGroup,
    award_choices,
    get_catalog,
    get_groups,
)
