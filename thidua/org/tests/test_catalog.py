"""`thidua catalog load`: the official catalog of 30/06/2025 with the reform of
01/07/2025, from an empty database."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from thidua.accounts.system import SYSTEM
from thidua.org.catalog.load import counts_on, load_catalog
from thidua.org.models import LineageEdge, Unit, UnitVersion
from thidua.org.selectors import unit_by_official_code
from thidua.org.tree import children_as_of

EVE = datetime.date(2025, 6, 30)
REFORM = datetime.date(2025, 7, 1)


@pytest.mark.django_db
def test_ha_nam_nam_dinh_ninh_binh_with_their_reform():
    out = io.StringIO()
    call_command("catalog", "load", "--province", "35", "36", "37", stdout=out)
    assert "30/06/2025: 3" in out.getvalue() and "01/07/2025: 1" in out.getvalue()
    kim_bang = unit_by_official_code("350", EVE)
    assert kim_bang.code == "VN-350" and kim_bang.name == "Thị xã Kim Bảng"
    assert len(children_as_of(kim_bang, EVE)) == 17
    assert kim_bang.dissolved_on == REFORM
    ninh_binh = unit_by_official_code("37", REFORM)
    assert ninh_binh.code == "VN-37-2025"  # a new province carrying the old one's code
    assert unit_by_official_code("37", EVE).code == "VN-37"
    wards = children_as_of(ninh_binh, REFORM)
    assert len(wards) == 129
    ward = unit_by_official_code("13384", REFORM)
    assert ward.name == "Phường Kim Bảng" and ward.code == "VN-13384-2025"
    came_from = set(
        LineageEdge.objects.filter(successor=ward).values_list("predecessor__code", flat=True)
    )
    assert came_from == {"VN-13384", "VN-13417", "VN-13423"}
    # The dissolved district's successor is the province its communes went to.
    assert LineageEdge.objects.filter(predecessor=kim_bang, successor=ninh_binh).exists()
    assert counts_on(EVE) == {"province": 3, "district": 22, "commune": 398}
    assert counts_on(REFORM) == {"province": 1, "district": 0, "commune": 129}


@pytest.mark.django_db
def test_loading_twice_or_an_unknown_province_is_refused():
    with pytest.raises(CommandError):
        call_command("catalog", "load", "--province", "99")
    call_command("catalog", "load", "--province", "35", stdout=io.StringIO())
    units = Unit.objects.count()
    with pytest.raises(CommandError):
        call_command("catalog", "load", "--province", "35", stdout=io.StringIO())
    assert Unit.objects.count() == units


@pytest.mark.django_db
def test_a_province_alone_keeps_its_lineage_into_the_new_province():
    load_catalog(["35"], actor=SYSTEM)
    ninh_binh = unit_by_official_code("37", REFORM)
    # Only Hà Nam's part of the new province: its wards, not Nam Định's.
    assert 0 < UnitVersion.objects.on(REFORM).filter(parent=ninh_binh).count() < 129
