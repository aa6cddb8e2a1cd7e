"""The panels registry (`thidua.panels`): the org pages show the sections of the apps
above org, in their order, without importing them."""

import pytest

from thidua import panels


def test_the_person_and_unit_pages_get_the_records_and_rules_sections_in_order():
    assert [p.name for p in panels.panels("org.person")] == [
        "rules.person",
        "records.person",
        "decisions.awards",
    ]
    assert [p.name for p in panels.panels("org.unit")] == [
        "records.unit",
        "rules.unit",
        "decisions.awards",
    ]


def test_an_unknown_slot_is_refused_with_the_known_ones():
    panel = panels.Panel(name="x", template="x.html", context=lambda request, obj, page: {})
    with pytest.raises(KeyError, match="org.person"):
        panels.register("org.nowhere", panel)


def test_compose_adds_each_panels_context_and_the_templates_in_order(monkeypatch):
    monkeypatch.setitem(panels.SLOTS, "org.person", {})
    seen = []

    def first(request, obj, page):
        seen.append(dict(page))
        return {"a": 1}

    def second(request, obj, page):
        seen.append(dict(page))
        return {"b": page["a"] + 1}

    panels.register("org.person", panels.Panel("two", "two.html", second, order=20))
    panels.register("org.person", panels.Panel("one", "one.html", first, order=10))

    page = panels.compose("org.person", None, object(), {"year": 2020})

    assert page["panels"] == ["one.html", "two.html"]
    assert (page["a"], page["b"]) == (1, 2)
    assert seen[0] == {"year": 2020}  # a panel sees the page's own context


def test_first_year_is_the_earliest_any_panel_has(monkeypatch):
    monkeypatch.setitem(panels.SLOTS, "org.unit", {})
    none = panels.Panel("none", "n.html", lambda *a: {}, first_year=lambda obj: None)
    early = panels.Panel("early", "e.html", lambda *a: {}, first_year=lambda obj: 2012)
    late = panels.Panel("late", "l.html", lambda *a: {}, first_year=lambda obj: 2018)
    for panel in (none, early, late):
        panels.register("org.unit", panel)

    assert panels.first_year("org.unit", object()) == 2012
