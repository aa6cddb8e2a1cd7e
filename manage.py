#!/usr/bin/env python
"""Django's manage.py, for habit; `thidua` is the same command."""

from thidua.cli import main

if __name__ == "__main__":
    main()
