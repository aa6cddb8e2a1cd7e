"""Python's cycle collector paused around work that makes many objects and no reference
cycles: a dataset load, a whole-province eligibility run."""

import gc
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused():
    """The work's objects (hundreds of thousands of rows, lookups and results) would be
    rescanned at each of the collector's passes, and all of them again, as young objects,
    as soon as it is enabled (a sixth of a load's CPU time at 20,000 people). Reference
    counting frees them, so the collector is off meanwhile, and what survives is then filed
    with the old objects without a scan (freeze + unfreeze: the oldest generation, collected
    on its own, rarer schedule) — unless the process keeps objects frozen itself (e.g. a
    pre-forking server), which it must keep."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
