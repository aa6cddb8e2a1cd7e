"""The award catalog: every shipped file loads; a malformed one stops the start with its
file name (and line, for a syntax error)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from thidua.rules.catalog import DATA_DIR, award_choices, get_catalog

GOOD = """code = "{code}"
kind = "title"
name_vi = "Lao động tiên tiến"
name_en = "Advanced Worker"
subjects = ["individual"]
"""


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in the source language, whatever the catalog holds."""
    with translation.override("en"):
        yield


def write(directory, name, text):
    (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_every_shipped_file_loads_with_both_names():
    catalog = get_catalog()

    assert set(catalog) == {path.stem for path in DATA_DIR.glob("*.toml")}
    assert {"LDTT", "CSTDCS", "TTLDXS", "CO_TD_TINH", "BK_TINH", "AHLD"} <= set(catalog)
    for entry in catalog.values():
        assert entry.name_vi and entry.name_en and entry.subjects
    assert catalog["LDTT"].for_individuals and not catalog["LDTT"].for_collectives
    assert catalog["TTLDXS"].for_collectives and not catalog["TTLDXS"].for_individuals


def test_choices_show_the_name_in_the_active_language():
    assert ("LDTT", "Advanced Worker") in award_choices()
    with translation.override("vi"):
        assert ("LDTT", "Lao động tiên tiến") in award_choices()


def test_a_good_file_in_another_directory_loads(tmp_path):
    catalog = get_catalog(write(tmp_path, "LDTT.toml", GOOD.format(code="LDTT") + "x = 1\n"))

    assert catalog["LDTT"].extra == {"x": 1}


def test_a_toml_syntax_error_names_the_file_and_line(tmp_path):
    write(tmp_path, "LDTT.toml", GOOD.format(code="LDTT"))
    write(tmp_path, "BROKEN.toml", 'code = "BROKEN"\nkind = "title\nname_vi = "x"\n')

    with pytest.raises(ImproperlyConfigured) as failed:
        get_catalog(tmp_path)

    message = str(failed.value)
    assert "BROKEN.toml" in message
    assert "line 2" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('code = "BAD"\nkind = "title"\n', "name_en, name_vi, subjects"),
        (GOOD.format(code="OTHER"), "OTHER"),
        (GOOD.format(code="BAD").replace('"title"', '"medal"'), "kind"),
        (GOOD.format(code="BAD").replace('["individual"]', '"individual"'), "subjects"),
        (GOOD.format(code="BAD").replace('["individual"]', '["people"]'), "subjects"),
        (GOOD.format(code="BAD") + 'default_type = "weekly"\n', "default_type"),
        (GOOD.format(code="BAD").replace('"Advanced Worker"', '""'), "name_en"),
    ],
    ids=["missing keys", "code", "kind", "subjects text", "subjects", "type", "empty name"],
)
def test_a_malformed_entry_names_the_file_and_the_key(tmp_path, text, expected):
    write(tmp_path, "BAD.toml", text)

    with pytest.raises(ImproperlyConfigured) as failed:
        get_catalog(tmp_path)

    assert "BAD.toml" in str(failed.value)
    assert expected in str(failed.value)


def test_a_file_that_is_not_utf8_names_the_file(tmp_path):
    (tmp_path / "LATIN.toml").write_bytes(b'name_vi = "Lao \xf0\xe9ng"\n')  # Windows-1258

    with pytest.raises(ImproperlyConfigured, match="LATIN.toml"):
        get_catalog(tmp_path)


def test_an_empty_directory_is_an_error_not_an_empty_catalog(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="no award catalog files"):
        get_catalog(tmp_path)
