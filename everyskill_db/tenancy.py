"""Tenant isolation: the tenant in force, the application role's grants, and a doctor.

    from everyskill_db.tenancy import current_tenant, rls_report, tenant_context

    with tenant_context(acme.id):              # one transaction, app.current_tenant_id set
        skills = list(Skill.select())          # RLS shows acme's rows (and global_approved)
        current_tenant()                       # acme.id; None outside the block

    @tenant_context(acme.id)                   # the same, around each call
    def nightly_report(): ...

    for finding in rls_report():               # [] when RLS really isolates this connection
        print(finding.kind, finding.table, finding.message)

The tenant reaches PostgreSQL through ``set_config('app.current_tenant_id', ..., true)``: a
transaction-local setting, gone when the transaction ends, so a pooled connection never
carries one request's tenant into the next. The policies of the tenant tables compare
``tenant_id`` with it (see everyskill_db.rls).

Row level security binds only roles that are neither superuser, nor BYPASSRLS, nor owner of
the tables: the application must connect as such a role. ``grant_app_role`` gives one
exactly the privileges it needs; ``rls_bypass_reason`` and ``rls_report`` (the
``doctor`` command) say when a connection would see every tenant's rows.
"""

from __future__ import annotations

import contextvars
from contextlib import ContextDecorator
from dataclasses import dataclass
from typing import Any, NamedTuple

import peewee
from psycopg2 import sql

from everyskill_db.database import bound_database
from everyskill_db.errors import ConfigurationError, TenantContextError
from everyskill_db.models import TENANT_MODELS, Tenant
from everyskill_db.rls import POLICY_NAME, TENANT_SETTING, quote_ident

__all__ = [
    "APP_PRIVILEGES",
    "Finding",
    "TenantContext",
    "current_tenant",
    "grant_app_role",
    "rls_bypass_reason",
    "rls_report",
    "tenant_context",
]

TENANT_TABLES = tuple(model._meta.table_name for model in TENANT_MODELS)
TENANTS_TABLE = Tenant._meta.table_name
ENUM_TYPES = ("user_role",)
APP_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")

_current_tenant: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "everyskill_db_current_tenant", default=None
)


def current_tenant() -> str | None:
    """The id of the tenant whose ``tenant_context`` is in force here, else None."""
    return _current_tenant.get()


def _tenant_id(tenant: str | Tenant | None) -> str:
    value = tenant.id if isinstance(tenant, Tenant) else tenant
    if not isinstance(value, str) or not value.strip():
        raise TenantContextError(f"a tenant context needs a non-empty tenant id, got {value!r}")
    return value


class _Frame(NamedTuple):
    database: peewee.Database
    atomic: Any  # peewee's _atomic
    joined: bool  # entered inside an open transaction: ours is a savepoint
    previous: str | None  # the setting before, when joined
    token: contextvars.Token


class TenantContext(ContextDecorator):
    """What ``tenant_context`` returns; see there."""

    def __init__(self, tenant: str | Tenant, database: peewee.Database | None = None) -> None:
        self.tenant_id = _tenant_id(tenant)
        self.database = database
        # One frame per active ``with``: the same object may be entered again inside itself.
        self._frames: list[_Frame] = []

    def _recreate_cm(self) -> TenantContext:
        # The decorator form enters a fresh copy per call: safe across threads and recursion.
        return type(self)(self.tenant_id, self.database)

    def __enter__(self) -> str:
        outer = _current_tenant.get()
        if outer is not None and outer != self.tenant_id:
            raise TenantContextError(
                f"tenant {self.tenant_id!r} requested inside the context of tenant {outer!r}:"
                " finish that one first"
            )
        database = bound_database(self.database)
        joined = database.in_transaction()
        atomic = database.atomic()
        atomic.__enter__()
        try:
            previous = None
            if joined:
                # The enclosing transaction outlives this block, and set_config(..., true)
                # lasts as long as the transaction: remember what to put back on the way out.
                previous = _setting(database)
                if previous and previous != self.tenant_id:
                    raise TenantContextError(
                        f"tenant {self.tenant_id!r} requested in a transaction already set to"
                        f" tenant {previous!r}"
                    )
            _set_setting(database, self.tenant_id)
        except BaseException as exc:
            atomic.__exit__(type(exc), exc, exc.__traceback__)
            raise
        token = _current_tenant.set(self.tenant_id)
        self._frames.append(_Frame(database, atomic, joined, previous, token))
        return self.tenant_id

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        frame = self._frames.pop()
        database, atomic = frame.database, frame.atomic
        try:
            if exc_type is None and frame.joined:
                # Leaving a savepoint: the transaction goes on, this tenant must not.
                try:
                    _set_setting(database, frame.previous or "")
                except BaseException as error:
                    atomic.__exit__(type(error), error, error.__traceback__)
                    raise
            # An exception rolls the transaction (or savepoint) back, the setting with it.
            return bool(atomic.__exit__(exc_type, exc, tb))
        finally:
            _current_tenant.reset(frame.token)


def tenant_context(
    tenant: str | Tenant, *, database: peewee.Database | None = None
) -> TenantContext:
    """Run a block (or, as a decorator, each call) in one transaction as ``tenant``.

    Opens a transaction on ``database`` (default: the one everyskill_db.connect() bound),
    or a savepoint when one is already open, and sets ``app.current_tenant_id`` for it with
    ``set_config(..., true)``; the row level security policies filter on that. Leaving the
    block commits (rolls back on an exception) and the setting goes with the transaction;
    inside a longer transaction the previous setting is put back. ``current_tenant()``
    tells the tenant in force.

    Raises TenantContextError for a None or empty tenant, and for a different tenant inside
    an open one (the same tenant again is fine: it becomes a savepoint).
    """
    return TenantContext(tenant, database)


def _setting(database: peewee.Database) -> str | None:
    cursor = database.execute_sql("SELECT current_setting(%s, true)", (TENANT_SETTING,))
    return cursor.fetchone()[0]


def _set_setting(database: peewee.Database, value: str) -> None:
    database.execute_sql("SELECT set_config(%s, %s, true)", (TENANT_SETTING, value))


# -- the application role ---------------------------------------------------------------------


def grant_app_role(database: peewee.Database, role: str) -> None:
    """Give ``role`` exactly what the application needs, in one transaction; idempotent.

    SELECT, INSERT, UPDATE, DELETE on the tenant tables; SELECT on tenants; USAGE on their
    schema and on the enum type user_role. Any other privilege the role held on these
    tables (TRUNCATE, which ignores row level security, REFERENCES, TRIGGER) is revoked.
    Nothing else: no DDL, no BYPASSRLS, no ownership. Run it as the tables' owner.

    Raises ConfigurationError when the role does not exist, or when row level security could
    never bind it (superuser, BYPASSRLS, or owner of a tenant table).
    """
    with database.atomic():
        row = database.execute_sql(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", (role,)
        ).fetchone()
        if row is None:
            raise ConfigurationError(
                f"role {role!r} does not exist: create it first"
                f" (CREATE ROLE {quote_ident(role)} LOGIN PASSWORD '...')"
            )
        superuser, bypassrls = row
        reason = (
            "superuser" if superuser else "bypassrls" if bypassrls else _owned_table(database, role)
        )
        if reason:
            raise ConfigurationError(
                f"role {role!r} is {reason}: row level security would not apply to it;"
                " grant a role that is neither superuser, nor BYPASSRLS, nor table owner"
            )
        grantee = sql.Identifier(role)
        schema = sql.Identifier(_schema_of(database, TENANTS_TABLE))
        tenant_tables = sql.SQL(", ").join(
            sql.SQL("{}.{}").format(schema, sql.Identifier(name)) for name in TENANT_TABLES
        )
        tenants = sql.SQL("{}.{}").format(schema, sql.Identifier(TENANTS_TABLE))
        privileges = sql.SQL(", ").join(sql.SQL(p) for p in APP_PRIVILEGES)
        statements = [
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, grantee),
            # Start from nothing so that the result is exact, whatever was granted before.
            sql.SQL("REVOKE ALL ON TABLE {}, {} FROM {}").format(tenants, tenant_tables, grantee),
            sql.SQL("GRANT SELECT ON TABLE {} TO {}").format(tenants, grantee),
            sql.SQL("GRANT {} ON TABLE {} TO {}").format(privileges, tenant_tables, grantee),
        ]
        statements += [
            sql.SQL("GRANT USAGE ON TYPE {}.{} TO {}").format(
                schema, sql.Identifier(type_name), grantee
            )
            for type_name in ENUM_TYPES
        ]
        connection = database.connection()
        for statement in statements:
            database.execute_sql(statement.as_string(connection))
        # GRANT by a role that may not grant only warns, and grants nothing: check the result,
        # so that a run as the wrong role fails (and rolls back) instead of claiming success.
        missing = [
            name
            for name, privileges in [(TENANTS_TABLE, "SELECT")]
            + [(name, ", ".join(APP_PRIVILEGES)) for name in TENANT_TABLES]
            if not database.execute_sql(
                "SELECT has_table_privilege(%s, %s, %s)", (role, quote_ident(name), privileges)
            ).fetchone()[0]
        ]
        if missing:
            raise ConfigurationError(
                f"could not grant {role!r} its privileges on {', '.join(missing)}: run"
                " grant-app-role as the owner of the tables (or a superuser)"
            )


def _schema_of(database: peewee.Database, table: str) -> str:
    row = database.execute_sql(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.oid = to_regclass(%s)",
        (quote_ident(table),),
    ).fetchone()
    if row is None:
        raise ConfigurationError(
            f"table {table} not found: migrate the database first (python -m everyskill_db.migrate)"
        )
    return row[0]


def _owned_table(database: peewee.Database, role: str | None = None) -> str | None:
    """``owner of <table>`` for the first tenant table whose owning role ``role`` (default: the
    connected one) is a member of, and whose RLS is not FORCEd, else None."""
    row = database.execute_sql(
        "SELECT t.name FROM unnest(%s::text[]) WITH ORDINALITY AS t(name, position)"
        " JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name))"
        " WHERE pg_has_role(coalesce(%s, current_user), c.relowner, 'MEMBER')"
        " AND NOT c.relforcerowsecurity ORDER BY t.position LIMIT 1",
        (list(TENANT_TABLES), role),
    ).fetchone()
    return f"owner of {row[0]}" if row else None


# -- the doctor -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One reason row level security would not isolate tenants.

    ``table`` is None for findings about the connection; ``kind`` is one of "bypass",
    "missing-table", "rls-disabled", "no-policy", "restrictive-only"."""

    table: str | None
    kind: str
    message: str

    def __str__(self) -> str:
        where = f"{self.table}: " if self.table else ""
        return f"{self.kind}: {where}{self.message}"


def rls_bypass_reason(database: peewee.Database | None = None) -> str | None:
    """Why row level security does not bind the connected role: "superuser", "bypassrls" or
    "owner of <table>" (also when it is a member of the owning role); None when it does."""
    database = bound_database(database)
    superuser, bypassrls = database.execute_sql(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    if superuser:
        return "superuser"
    if bypassrls:
        return "bypassrls"
    return _owned_table(database)


def rls_report(database: peewee.Database | None = None) -> list[Finding]:
    """Every reason the tenant tables would not be isolated for this connection; [] if none.

    The connected role bypassing RLS; and for each tenant table: missing, RLS not enabled, no
    ``tenant_isolation`` policy, or RESTRICTIVE policies with no PERMISSIVE one (which lets
    no row through for a role RLS binds)."""
    database = bound_database(database)
    findings = []
    reason = rls_bypass_reason(database)
    if reason:
        user = database.execute_sql("SELECT current_user").fetchone()[0]
        findings.append(
            Finding(
                None,
                "bypass",
                f"row level security does not apply to role {user} ({reason}): it sees every"
                " tenant's rows; connect the application as a role given grant-app-role",
            )
        )
    rows = database.execute_sql(
        "SELECT t.name, c.oid IS NOT NULL, c.relrowsecurity,"
        " EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = %s),"
        " EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polpermissive),"
        " EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND NOT p.polpermissive)"
        " FROM unnest(%s::text[]) WITH ORDINALITY AS t(name, position)"
        " LEFT JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name))"
        " ORDER BY t.position",
        (POLICY_NAME, list(TENANT_TABLES)),
    ).fetchall()
    for table, exists, rls_enabled, has_policy, permissive, restrictive in rows:
        if not exists:
            findings.append(Finding(table, "missing-table", "no such table: migrate first"))
            continue
        if not rls_enabled:
            findings.append(
                Finding(
                    table,
                    "rls-disabled",
                    "row level security is not enabled: every row is visible to every tenant",
                )
            )
        if not has_policy:
            findings.append(Finding(table, "no-policy", f"no {POLICY_NAME} policy on the table"))
        if restrictive and not permissive:
            findings.append(
                Finding(
                    table,
                    "restrictive-only",
                    "only RESTRICTIVE policies: with no"
                    " PERMISSIVE one beside them, the application role sees no row at all",
                )
            )
    return findings
