"""Row level security for the tenant tables: SQL builders and the project's migrator.

    from everyskill_db.rls import EverySkillMigrator

    migrator = EverySkillMigrator(db)
    with migrator.migration_context():
        migrator.migrate(
            migrator.enable_row_level_security("skills"),
            migrator.create_tenant_policy(
                "skills",
                using="tenant_id = current_setting('app.current_tenant_id', true)"
                " OR visibility = 'global_approved'",
                with_check="tenant_id = current_setting('app.current_tenant_id', true)",
            ),
        )

Migration files reach these operations through the ``migrator`` argument that the runner
passes to ``up(migrator, db)``; the SQL goes through the peewee database, so it is logged
and can be captured by ``migrate plan``. The builders (``enable_rls_sql``,
``tenant_policy_sql`` ...) return the same SQL as text, for psql or for reading.

Every tenant table gets one policy, ``tenant_isolation``, keyed on the transaction-local
setting ``app.current_tenant_id``; ``current_setting(..., true)`` yields NULL when no tenant
is set, so a session without a tenant sees no rows and can write none.
"""

from __future__ import annotations

from peewee import SQL
from playhouse.migrate import PostgresqlMigrator, operation

__all__ = [
    "DEFAULT_USING",
    "POLICY_NAME",
    "TENANT_SETTING",
    "EverySkillMigrator",
    "disable_rls_sql",
    "drop_tenant_policy_sql",
    "enable_rls_sql",
    "quote_ident",
    "quote_literal",
    "tenant_policy_sql",
]

TENANT_SETTING = "app.current_tenant_id"
POLICY_NAME = "tenant_isolation"
DEFAULT_USING = f"tenant_id = current_setting('{TENANT_SETTING}', true)"


def quote_ident(name: str) -> str:
    """``name`` as a PostgreSQL identifier, always double-quoted."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """``value`` as a PostgreSQL string literal, whatever standard_conforming_strings says."""
    if "\\" in value:
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
    return "'" + value.replace("'", "''") + "'"


def _qualified(table: str, schema: str | None) -> str:
    if schema is None:
        return quote_ident(table)
    return f"{quote_ident(schema)}.{quote_ident(table)}"


def enable_rls_sql(table: str, schema: str | None = "public") -> str:
    """``ALTER TABLE ... ENABLE ROW LEVEL SECURITY`` (idempotent in PostgreSQL itself).

    Deliberately not FORCE ROW LEVEL SECURITY: the table owner is the operator / migration
    role, which must see every tenant's rows; isolation is for the application role, which
    owns nothing (see everyskill_db.tenancy.grant_app_role and its proofs)."""
    return f"ALTER TABLE {_qualified(table, schema)} ENABLE ROW LEVEL SECURITY"


def disable_rls_sql(table: str, schema: str | None = "public") -> str:
    """``ALTER TABLE ... DISABLE ROW LEVEL SECURITY``."""
    return f"ALTER TABLE {_qualified(table, schema)} DISABLE ROW LEVEL SECURITY"


def _dollar_quote(body: str) -> str:
    # An expression holding "$$" would end a plain dollar-quoted body early.
    tag = "$$"
    while tag in body:
        tag = tag[:-1] + "x$"
    return f"{tag}{body}{tag}"


def tenant_policy_sql(
    table: str,
    using: str = DEFAULT_USING,
    with_check: str | None = None,
    schema: str | None = "public",
) -> str:
    """A DO block creating the ``tenant_isolation`` policy on ``table`` unless ``pg_policies``
    already has a policy of that name on that table in that schema; so running it twice is
    harmless. ``with_check`` None means: the same expression as ``using``. ``schema`` None
    means the current schema (the one unqualified CREATE TABLE uses).

    The policy is PERMISSIVE (PostgreSQL's default, written out). A RESTRICTIVE policy only
    narrows what permissive ones grant: alone, it lets a role that is neither superuser nor
    owner see no row at all. The original TypeScript schema made exactly that mistake, and
    never noticed because its application connected as the owner, which bypasses RLS."""
    schema_match = "current_schema()" if schema is None else quote_literal(schema)
    create = (
        f"CREATE POLICY {quote_ident(POLICY_NAME)} ON {_qualified(table, schema)}"
        f" AS PERMISSIVE FOR ALL USING ({using})"
        f" WITH CHECK ({using if with_check is None else with_check})"
    )
    body = (
        " BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies"
        f" WHERE schemaname = {schema_match} AND tablename = {quote_literal(table)}"
        f" AND policyname = {quote_literal(POLICY_NAME)})"
        f" THEN {create}; END IF; END "
    )
    return f"DO {_dollar_quote(body)}"


def drop_tenant_policy_sql(table: str, schema: str | None = "public") -> str:
    """``DROP POLICY IF EXISTS tenant_isolation ON ...``."""
    return f"DROP POLICY IF EXISTS {quote_ident(POLICY_NAME)} ON {_qualified(table, schema)}"


def _node(sql: str) -> SQL:
    # peewee hands every statement to psycopg2 with a (possibly empty) parameter tuple, so a
    # literal percent sign must be doubled to survive its %-formatting.
    return SQL(sql.replace("%", "%%"))


class EverySkillMigrator(PostgresqlMigrator):
    """playhouse's PostgresqlMigrator plus the row-level-security operations.

    Tables are qualified with the migrator's ``schema`` when it has one, else left to the
    search path, like every other playhouse operation."""

    @operation
    def enable_row_level_security(self, table: str) -> SQL:
        return _node(enable_rls_sql(table, self.schema))

    @operation
    def disable_row_level_security(self, table: str) -> SQL:
        return _node(disable_rls_sql(table, self.schema))

    @operation
    def create_tenant_policy(
        self, table: str, using: str = DEFAULT_USING, with_check: str | None = None
    ) -> SQL:
        return _node(tenant_policy_sql(table, using, with_check, self.schema))

    @operation
    def drop_tenant_policy(self, table: str) -> SQL:
        return _node(drop_tenant_policy_sql(table, self.schema))
