"""Dataset interchange: load and dump the JSON/XLSX dataset of docs/dataset-format.md.

    from thidua.interchange.dataset import load_dataset, dump_dataset, DatasetError

`load_dataset` checks every row before writing anything and writes in one transaction;
`dump_dataset` writes a deterministic dump (of everything, or of some units), `dump_for`
that of a user's scope, audited;
`build_template_xlsx` gives the empty XLSX template.
"""

from thidua.interchange.dataset.loader import load_dataset
from thidua.interchange.dataset.report import DatasetError, LoadReport, Problem
from thidua.interchange.dataset.writer import build_template_xlsx, dump_dataset, dump_for

__all__ = [
    "DatasetError",
    "LoadReport",
    "Problem",
    "build_template_xlsx",
    "dump_dataset",
    "dump_for",
    "load_dataset",
]
