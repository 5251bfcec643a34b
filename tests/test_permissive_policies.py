"""Migration 0035 repairs the original stack's RESTRICTIVE-only tenant policies."""

from __future__ import annotations

import pytest

from everyskill_db.database import open_database
from everyskill_db.runner import MigrationRunner
from everyskill_db.tenancy import TENANT_TABLES

TENANT_ISOLATION = (
    "SELECT tablename, permissive, qual, with_check FROM pg_policies"
    " WHERE policyname = 'tenant_isolation' ORDER BY tablename"
)


@pytest.fixture
def runner(empty_db_url):
    """A runner on an empty database, to be migrated step by step."""
    database = open_database(empty_db_url)
    yield MigrationRunner(database)
    database.close()


def test_restrictive_policies_become_permissive(runner, empty_db_url, sql):
    runner.up("0034_add_value_checks")
    # What the TypeScript schema left behind: the same policies, AS RESTRICTIVE.
    for table in TENANT_TABLES:
        sql(empty_db_url, f"DROP POLICY tenant_isolation ON {table}")
        sql(
            empty_db_url,
            f"CREATE POLICY tenant_isolation ON {table} AS RESTRICTIVE FOR ALL "
            "USING (tenant_id = current_setting('app.current_tenant_id', true))",
        )
    assert {row[1] for row in sql(empty_db_url, TENANT_ISOLATION)} == {"RESTRICTIVE"}
    runner.up()
    after = {table: rest for table, *rest in sql(empty_db_url, TENANT_ISOLATION)}
    assert {table: kind for table, (kind, _, _) in after.items()} == dict.fromkeys(
        TENANT_TABLES, "PERMISSIVE"
    )
    _, using, check = after["skills"]
    assert "global_approved" in using and "global_approved" not in check


def test_nothing_changes_on_a_database_made_here(runner, empty_db_url, sql):
    runner.up("0034_add_value_checks")
    before = sql(empty_db_url, TENANT_ISOLATION)
    runner.up("0035_make_tenant_policies_permissive")
    after = sql(empty_db_url, TENANT_ISOLATION)
    assert before == after and len(after) == len(TENANT_TABLES)
