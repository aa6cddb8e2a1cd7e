import datetime

import pytest
from django.utils import translation

from thidua.accounts.choices import Role
from thidua.accounts.system import SYSTEM
from thidua.org.tests.factories import user_with_role
from thidua.plans import services
from thidua.plans.choices import Aggregation, Direction, Measure

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English, the source language, whatever the catalog holds."""
    with translation.override("en"):
        yield


@pytest.fixture
def province_officer(tree):
    return user_with_role(Role.OFFICER, tree["province"], username="province")


@pytest.fixture
def revenue(db):
    return services.define_indicator(
        code="THU_NS",
        name="Tổng thu ngân sách nhà nước trên địa bàn",
        measure=Measure.BILLION_VND,
        position=2,
        actor=SYSTEM,
    )


@pytest.fixture
def poverty(db):
    return services.define_indicator(
        code="HO_NGHEO",
        name="Tỷ lệ hộ nghèo",
        measure=Measure.PERCENT,
        direction=Direction.LOWER,
        aggregation=Aggregation.NONE,
        decimals=2,
        position=5,
        actor=SYSTEM,
    )


@pytest.fixture
def task(tree):
    """A provincial task for 2020, assigned to both districts."""
    return services.assign_task(
        assigned_by=tree["province"],
        year=2020,
        title="Triển khai Chỉ thị về phòng, chống dịch COVID-19",
        source_number="05/CT-UBND",
        source_date=D(2020, 3, 2),
        source_issuer="UBND tỉnh Hà Nam",
        deadline=D(2020, 6, 30),
        units=[tree["district"], tree["other"]],
        evidence_required="Báo cáo kết quả thực hiện",
        actor=SYSTEM,
    )
