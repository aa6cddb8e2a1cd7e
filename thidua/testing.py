"""Loaded by pytest before Django (`-p thidua.testing` in pyproject's addopts).

The suite reads its settings with THIDUA_DEBUG on unless the environment says otherwise,
so a run against PostgreSQL needs no production secret key. Django's test runner still
runs every test with DEBUG off; tests that check the production defaults start a fresh
interpreter with their own environment (tests/test_settings.py, tests/test_deployment.py).
"""

import os

os.environ.setdefault("THIDUA_DEBUG", "1")
os.environ.setdefault("THIDUA_JOBS_IMMEDIATE", "1")  # background jobs run within the request
os.environ.setdefault("THIDUA_TEST_REPLICA", "1")  # a `replica` alias mirroring the test database
