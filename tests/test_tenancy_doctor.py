"""grant_app_role, rls_bypass_reason, rls_report and their CLI verbs.

Defects (RLS off, a missing policy, a RESTRICTIVE-only policy, a missing table) and odd roles
(table owner, member of the owner, BYPASSRLS) are made in throwaway migrated databases.
"""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from everyskill_db import ConfigurationError, EverySkillDBError
from everyskill_db.database import open_database
from everyskill_db.models import TENANT_MODELS
from everyskill_db.tenancy import Finding, grant_app_role, rls_bypass_reason, rls_report

TENANT_TABLES = {model._meta.table_name for model in TENANT_MODELS}
EXPECTED_TABLE_GRANTS = {("tenants", "SELECT")} | {
    (table, privilege)
    for table in TENANT_TABLES
    for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE")
}
CURRENT_TENANT = "tenant_id = current_setting('app.current_tenant_id', true)"


def admin_sql(url: str, *statements: str) -> None:
    """Run statements as the superuser of ``url``, each committed on its own."""
    database = open_database(url)
    with database.connection_context():
        for statement in statements:
            database.execute_sql(statement)


@pytest.fixture
def dropped_owned(pg_admin_url):
    """``dropped_owned(db_url, role)``: DROP OWNED BY role in that database after the test,
    so the session can drop the role while the database still exists."""
    pairs = []
    yield lambda url, role: pairs.append((url, role))
    for url, role in pairs:
        admin_sql(url, f'DROP OWNED BY "{role}"')


@pytest.fixture
def app_role(migrated_db_url, make_role, dropped_owned):
    """A fresh role granted on the session's migrated database: (name, password)."""
    role, password = make_role()
    dropped_owned(migrated_db_url, role)
    owner = open_database(migrated_db_url)
    with owner.connection_context():
        grant_app_role(owner, role)
    return role, password


def privileges(db, role):
    """Every privilege ``role`` holds, by ACL entry: tables, schemas, types; and its flags."""
    me = "(SELECT oid FROM pg_roles WHERE rolname = %s)"
    query = {
        "tables": "SELECT c.relname, a.privilege_type FROM pg_class c, aclexplode(c.relacl) a"
        f" WHERE a.grantee = {me}",
        "schemas": "SELECT n.nspname, a.privilege_type FROM pg_namespace n,"
        f" aclexplode(n.nspacl) a WHERE a.grantee = {me}",
        "types": "SELECT t.typname, a.privilege_type FROM pg_type t, aclexplode(t.typacl) a"
        f" WHERE a.grantee = {me}",
        "owns": f"SELECT c.relname, 'OWNER' FROM pg_class c WHERE c.relowner = {me}",
        "flags": "SELECT unnest(ARRAY['super', 'bypassrls', 'createdb']),"
        " unnest(ARRAY[rolsuper, rolbypassrls, rolcreatedb]::text[])"
        " FROM pg_roles WHERE rolname = %s",
    }
    found = {}
    for name, sql in query.items():
        found[name] = {tuple(row) for row in db.execute_sql(sql, (role,))}
    return found


# -- grant_app_role ---------------------------------------------------------------------------


def test_grant_gives_exactly_what_the_application_needs(db, app_role):
    role, _ = app_role
    assert privileges(db, role) == {
        "tables": EXPECTED_TABLE_GRANTS,
        "schemas": {("public", "USAGE")},
        "types": {("user_role", "USAGE")},
        "owns": set(),
        "flags": {("super", "false"), ("bypassrls", "false"), ("createdb", "false")},
    }


def test_grant_is_idempotent_and_takes_back_extras(db, app_role):
    role, _ = app_role
    before = privileges(db, role)
    # TRUNCATE ignores row level security: a role holding it could empty every tenant.
    db.execute_sql(f'GRANT TRUNCATE, REFERENCES, TRIGGER ON "skills", "tenants" TO "{role}"')
    db.execute_sql(f'GRANT INSERT ON "tenants" TO "{role}"')
    grant_app_role(db, role)
    grant_app_role(db, role)
    assert privileges(db, role) == before


def test_grant_quotes_the_role_name(db, pg_admin_url, migrated_db_url):
    role = f'Esdb App "{uuid.uuid4().hex[:8]}"; SELECT 1'
    quoted = '"' + role.replace('"', '""') + '"'
    admin_sql(pg_admin_url, f"CREATE ROLE {quoted} NOLOGIN")
    try:
        grant_app_role(db, role)
        assert privileges(db, role)["tables"] == EXPECTED_TABLE_GRANTS
    finally:
        admin_sql(migrated_db_url, f"DROP OWNED BY {quoted}")
        admin_sql(pg_admin_url, f"DROP ROLE {quoted}")


@pytest.mark.parametrize("role", ["esdb_no_such_role", 'x"; DROP TABLE users; --'])
def test_grant_to_unknown_role_says_so(db, role):
    with pytest.raises(ConfigurationError, match="does not exist") as info:
        grant_app_role(db, role)
    assert role in str(info.value)
    assert isinstance(info.value, EverySkillDBError)
    assert db.execute_sql("SELECT to_regclass('users') IS NOT NULL").fetchone() == (True,)


def test_grant_refuses_a_role_rls_cannot_bind(db):
    user = db.execute_sql("SELECT current_user").fetchone()[0]
    with pytest.raises(ConfigurationError, match="superuser"):
        grant_app_role(db, user)


# -- rls_bypass_reason / rls_report -----------------------------------------------------------


def test_superuser_connection_is_reported(db):
    assert rls_bypass_reason(db) == "superuser"
    findings = rls_report(db)
    assert [(f.table, f.kind) for f in findings] == [(None, "bypass")]
    assert "superuser" in findings[0].message
    assert str(findings[0]).startswith("bypass: ")


def test_app_role_connection_is_all_well(migrated_db_url, app_role, role_url):
    app = open_database(role_url(migrated_db_url, *app_role))
    with app.connection_context():
        assert rls_bypass_reason(app) is None
        assert rls_report(app) == []


def test_owner_member_and_bypassrls_roles_are_reported(
    migrated_copy, make_role, role_url, pg_admin_url, dropped_owned
):
    owner, owner_password = make_role()
    member, member_password = make_role()
    bypasser, bypasser_password = make_role()
    for role in (owner, member, bypasser):
        dropped_owned(migrated_copy, role)
    admin_sql(
        migrated_copy,
        f'ALTER TABLE skill_feedback OWNER TO "{owner}"',
        f'GRANT "{owner}" TO "{member}"',
    )
    admin_sql(pg_admin_url, f'ALTER ROLE "{bypasser}" BYPASSRLS')

    def reason(role, password):
        database = open_database(role_url(migrated_copy, role, password))
        with database.connection_context():
            return rls_bypass_reason(database), rls_report(database)

    for role, password in ((owner, owner_password), (member, member_password)):
        why, findings = reason(role, password)
        assert why == "owner of skill_feedback"
        assert [(f.table, f.kind) for f in findings] == [(None, "bypass")]
        assert role in findings[0].message
    assert reason(bypasser, bypasser_password)[0] == "bypassrls"
    # FORCE ROW LEVEL SECURITY binds the owner too.
    admin_sql(migrated_copy, "ALTER TABLE skill_feedback FORCE ROW LEVEL SECURITY")
    assert reason(owner, owner_password) == (None, [])


def test_table_defects_are_reported(migrated_copy, make_role, role_url, dropped_owned):
    role, password = make_role()
    dropped_owned(migrated_copy, role)
    owner = open_database(migrated_copy)
    with owner.connection_context():
        grant_app_role(owner, role)
        with owner.atomic():
            owner.execute_sql("ALTER TABLE users DISABLE ROW LEVEL SECURITY")
            owner.execute_sql("DROP POLICY tenant_isolation ON skill_feedback")
            owner.execute_sql("DROP POLICY tenant_isolation ON token_measurements")
            owner.execute_sql(
                "CREATE POLICY tenant_isolation ON token_measurements AS RESTRICTIVE"
                f" USING ({CURRENT_TENANT})"
            )
            owner.execute_sql("DROP TABLE benchmark_results")
            # A RESTRICTIVE policy beside the permissive one is fine.
            owner.execute_sql(
                "CREATE POLICY no_archived ON skills AS RESTRICTIVE USING (status <> 'archived')"
            )
    owner.close()
    app = open_database(role_url(migrated_copy, role, password))
    with app.connection_context():
        findings = rls_report(app)
    assert [(f.table, f.kind) for f in findings] == [
        ("users", "rls-disabled"),
        ("skill_feedback", "no-policy"),
        ("token_measurements", "restrictive-only"),
        ("benchmark_results", "missing-table"),
    ]
    assert all(isinstance(f, Finding) and f.message for f in findings)
    with pytest.raises(AttributeError):
        findings[0].kind = "fine"  # frozen


# -- the CLI verbs ----------------------------------------------------------------------------


def migrate(url, *args):
    return subprocess.run(
        [sys.executable, "-m", "everyskill_db.migrate", "--database-url", url, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_grant_app_role_and_doctor(db, migrated_db_url, make_role, role_url, dropped_owned):
    role, password = make_role()
    dropped_owned(migrated_db_url, role)
    granted = migrate(migrated_db_url, "grant-app-role", role)
    assert granted.returncode == 0, granted.stderr
    assert privileges(db, role)["tables"] == EXPECTED_TABLE_GRANTS

    as_app = migrate(role_url(migrated_db_url, role, password), "doctor")
    assert as_app.returncode == 0, as_app.stdout + as_app.stderr

    as_owner = migrate(migrated_db_url, "doctor")
    assert as_owner.returncode == 1
    lines = as_owner.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("bypass: ") and "superuser" in lines[0]


def test_cli_grant_to_unknown_role_is_one_line_exit_2(migrated_db_url):
    result = migrate(migrated_db_url, "grant-app-role", "esdb_no_such_role")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "esdb_no_such_role" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_grant_by_a_role_that_may_not_grant_fails_and_grants_nothing(
    db, migrated_db_url, app_role, make_role, role_url
):
    """PostgreSQL only warns when a non-owner GRANTs; grant_app_role must not claim success."""
    other, _ = make_role()
    not_owner = open_database(role_url(migrated_db_url, *app_role))
    with not_owner.connection_context():
        with pytest.raises(ConfigurationError, match="run grant-app-role as the owner"):
            grant_app_role(not_owner, other)
    assert privileges(db, other)["tables"] == set()
