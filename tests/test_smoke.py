from thidua.accounts import scope


def test_officer_scope_is_their_subtree(users, tree):
    ids = scope.unit_ids_for(users["officer"])
    assert ids == {tree["district"].pk, tree["commune"].pk, tree["commune2"].pk}


def test_other_unit_officer_does_not_see_the_district(users, tree):
    assert tree["district"].pk not in scope.unit_ids_for(users["other_unit"])
    assert scope.unit_ids_for(users["no_role"]) == frozenset()
