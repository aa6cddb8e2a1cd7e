import datetime

import pytest

from thidua.accounts.system import SYSTEM
from thidua.plans import services as plans
from thidua.portal import services

D = datetime.date


@pytest.fixture
def draft(tree, users):
    task = plans.assign_task(
        assigned_by=tree["province"],
        year=2020,
        title="Báo cáo",
        source_number="1/KH-UBND",
        source_date=D(2020, 2, 1),
        source_issuer="UBND tỉnh",
        deadline=D(2020, 3, 1),
        units=[tree["district"]],
        actor=SYSTEM,
    )
    plans.complete_task(task.assignments.get(), D(2020, 2, 20), actor=SYSTEM)
    return services.draft_from_summary(
        tree["district"],
        2020,
        held_on=D(2021, 1, 12),
        credit="Đài Truyền thanh huyện",
        actor=users["officer"],
    )
