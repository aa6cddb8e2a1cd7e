"""`InIds`: the same rows as `__in`, with the ids sent as one parameter, so that the SQL
of a province's scope (thousands of units) does not grow with it."""

import pytest

from thidua.org.ids import InIds
from thidua.org.models import Unit
from thidua.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_the_same_rows_as_in():
    units = [UnitFactory() for _ in range(6)]
    ids = [u.pk for u in units[:4]]
    assert set(Unit.objects.filter(InIds("pk", ids))) == set(units[:4])
    assert set(Unit.objects.exclude(InIds("pk", ids))) == set(units[4:])
    assert not Unit.objects.filter(InIds("pk", [])).exists()


def test_one_parameter_and_the_same_text_whatever_the_number_of_ids():
    few = Unit.objects.filter(InIds("pk", [1, 2])).query.sql_with_params()
    many = Unit.objects.filter(InIds("pk", range(1, 5001))).query.sql_with_params()
    assert few[0] == many[0]  # the text: the driver's and the database's caches reuse it
    assert len(many[1]) == len(few[1]) == 1
