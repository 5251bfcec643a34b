"""docs/schema.md tells the truth: its generated parts are the catalog of a migrated database.

    pytest tests/test_schema_doc.py                      # compare
    pytest tests/test_schema_doc.py --update-snapshots   # rewrite the generated parts

Only the blocks between ``<!-- BEGIN GENERATED ... -->`` markers are generated (see
tests/schema_doc.py); the prose around them is written by hand and kept.
"""

from __future__ import annotations

import difflib

import pytest
from schema_doc import DOC, END_OF_TABLES, REGENERATE, UNDESCRIBED, catalog, update

from everyskill_db.database import open_database


@pytest.fixture
def migrated_catalog(migrated_copy):
    database = open_database(migrated_copy)
    try:
        return catalog(database)
    finally:
        database.close()


def test_doc_matches_the_migrated_catalog(migrated_catalog, update_snapshots):
    text = DOC.read_text(encoding="utf-8")
    expected = update(text, migrated_catalog)
    if update_snapshots:
        DOC.write_text(expected, encoding="utf-8")
        return
    if expected != text:
        diff = "".join(difflib.unified_diff(
            text.splitlines(keepends=True), expected.splitlines(keepends=True),
            "docs/schema.md", "from the migrated database",
        ))
        pytest.fail(f"docs/schema.md is out of date: run {REGENERATE}\n{diff}", pytrace=False)


def test_doc_says_how_to_regenerate_it():
    assert REGENERATE in DOC.read_text(encoding="utf-8")


def test_every_table_section_is_described(migrated_catalog):
    """A table added by a later migration gets its generated block on regeneration; its
    prose is then still to write, and this test says so."""
    text = DOC.read_text(encoding="utf-8")
    for name in migrated_catalog["tables"]:
        section = text.split(f"<!-- BEGIN GENERATED table:{name} -->")[0].rsplit("### ", 1)[-1]
        assert section.startswith(name), f"docs/schema.md has no '### {name}' before its table"
        assert "Not described yet" not in section, f"docs/schema.md: describe table {name}"


def test_regeneration_adds_a_new_tables_section_and_flags_a_dropped_one(migrated_catalog):
    """What the lead's regeneration after a merge does with tables it has not seen."""
    text = DOC.read_text(encoding="utf-8")
    tables = dict(migrated_catalog["tables"])
    tables["skill_tags"] = tables.pop("usage_events")
    regenerated = update(text, {**migrated_catalog, "tables": tables})
    new_section = regenerated.index("### skill_tags\n\n" + UNDESCRIBED)
    assert new_section < regenerated.index(END_OF_TABLES)
    assert "<!-- BEGIN GENERATED table:skill_tags -->" in regenerated
    dropped = regenerated.split("<!-- BEGIN GENERATED table:usage_events -->")[1]
    assert dropped.startswith("\n**Not in the migrated database")
    assert update(regenerated, {**migrated_catalog, "tables": tables}) == regenerated
