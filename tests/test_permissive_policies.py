"""Migration 0035 repairs the original stack's RESTRICTIVE-only tenant policies."""

from __future__ import annotations

from everyskill_db.database import open_database
from everyskill_db.models import TENANT_MODELS
from everyskill_db.runner import MigrationRunner

TENANT_TABLES = [model._meta.table_name for model in TENANT_MODELS]


def policies(database):
    return dict(database.execute_sql(
        "SELECT tablename, permissive FROM pg_policies WHERE policyname = 'tenant_isolation'"
    ).fetchall())


def test_restrictive_policies_become_permissive(empty_db_url):
    database = open_database(empty_db_url)
    with database.connection_context():
        runner = MigrationRunner(database)
        runner.up("0034_add_value_checks")
        # What the TypeScript schema left behind: the same policies, AS RESTRICTIVE.
        for table in TENANT_TABLES:
            database.execute_sql(f"DROP POLICY tenant_isolation ON {table}")
            database.execute_sql(
                f"CREATE POLICY tenant_isolation ON {table} AS RESTRICTIVE FOR ALL "
                "USING (tenant_id = current_setting('app.current_tenant_id', true))"
            )
        assert set(policies(database).values()) == {"RESTRICTIVE"}
        runner.up()
        assert policies(database) == dict.fromkeys(TENANT_TABLES, "PERMISSIVE")
        skills = database.execute_sql(
            "SELECT qual, with_check FROM pg_policies"
            " WHERE tablename = 'skills' AND policyname = 'tenant_isolation'"
        ).fetchone()
        assert "global_approved" in skills[0] and "global_approved" not in skills[1]


def test_nothing_changes_on_a_database_made_here(empty_db_url):
    database = open_database(empty_db_url)
    with database.connection_context():
        runner = MigrationRunner(database)
        runner.up("0034_add_value_checks")
        before = database.execute_sql(
            "SELECT tablename, permissive, qual, with_check FROM pg_policies"
            " WHERE policyname = 'tenant_isolation' ORDER BY 1"
        ).fetchall()
        runner.up("0035_make_tenant_policies_permissive")
        after = database.execute_sql(
            "SELECT tablename, permissive, qual, with_check FROM pg_policies"
            " WHERE policyname = 'tenant_isolation' ORDER BY 1"
        ).fetchall()
    assert before == after and len(after) == len(TENANT_TABLES)
