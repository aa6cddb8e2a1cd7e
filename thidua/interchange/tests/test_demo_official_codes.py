"""The demo world's units carry their real official codes (mã ĐVHC) beside the short
demo codes, which keep working."""

import datetime

from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import load_dataset
from thidua.interchange.demo.official import attach_official_codes
from thidua.interchange.demo.world import build_demo_dataset
from thidua.org.models import Unit
from thidua.org.selectors import official_code_on, unit_by_official_code

EVE = datetime.date(2025, 6, 30)
REFORM = datetime.date(2025, 7, 1)


def test_demo_units_carry_their_official_codes(db):
    load_dataset(build_demo_dataset(), actor=SYSTEM)
    assert attach_official_codes() > 20
    assert unit_by_official_code("35", EVE).code == "HNA"
    assert unit_by_official_code("350", EVE).code == "KB"
    assert unit_by_official_code("13384", EVE).code == "KB-QUE"  # Thị trấn Quế, later Phường
    # After the reform the code names the new ward, not the commune it came from.
    assert unit_by_official_code("13384", REFORM).code == "NBI-KIMBANG"
    assert unit_by_official_code("37", REFORM).code == "NBI"
    assert unit_by_official_code("37", EVE).code == "NBI-CU"
    kb = Unit.objects.get(code="KB")
    assert official_code_on(kb, datetime.date(2020, 12, 31)) == "350"
    assert official_code_on(kb, REFORM) == ""
