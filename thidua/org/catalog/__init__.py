"""The official catalog of administrative units (mã ĐVHC): the country on 30/06/2025 and
the reform of 01/07/2025, as data files in `data/` (see `data/SOURCE.md`), and the loader
behind `thidua catalog load` (`load.py`)."""
