"""The API fuzz benchmark at a small size: schemathesis's valid and invalid requests for
every operation, as an officer and as a commune viewer, give no server error and only
documented statuses (benchmarks/bench_api_fuzz.py runs it at ≥ 2,000 requests)."""

import pytest

from benchmarks.bench_api_fuzz import fuzz
from thidua.accounts.choices import Role
from thidua.accounts.models import ApiToken
from thidua.org.tests.factories import user_with_role


@pytest.mark.django_db(transaction=False)
def test_fuzzing_the_api_gives_no_server_error_and_documented_statuses(tree, users):
    viewer = user_with_role(Role.VIEWER, tree["commune"], username="xem")
    tokens = {
        "officer": ApiToken.issue(users["officer"], "fuzz")[1],
        "viewer": ApiToken.issue(viewer, "fuzz")[1],
    }
    reports = fuzz(tokens, examples=3)
    for report in reports.values():
        assert report.requests >= 100  # 22 operations × 2 modes × 3
        assert report.server_errors == []
        assert report.undocumented == []
