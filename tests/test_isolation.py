"""Proofs that row level security isolates tenants for the application's own role.

Everything here runs as a freshly created LOGIN role (neither superuser, nor BYPASSRLS, nor
owner) that got grant_app_role, on a database of its own: migrated, seeded by the owner with
one row per tenant table for tenants A and B, plus a global_approved skill of B's. The
owner connection (which bypasses RLS) only seeds and checks what really is in the tables.

Cases: 8 tenant tables x 8 checks, each its own parametrized test (ids name the table), 3
checks that B's global_approved skill is read-only for A, the doctor's verdict for the role,
and the pooled connection test (its id is the number of checkouts, 1000); pytest's count is
the number of cases checked.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import peewee
import pytest

from everyskill_db.database import open_database
from everyskill_db.models import TENANT_MODELS
from everyskill_db.runner import MigrationRunner
from everyskill_db.tenancy import current_tenant, grant_app_role, rls_report, tenant_context

TABLES = [model._meta.table_name for model in TENANT_MODELS]

# A text column per table that any write may change without breaking a constraint.
TEXT_COLUMN = {
    "users": "name",
    "skills": "description",
    "skill_versions": "description",
    "usage_events": "tool_name",
    "skill_feedback": "comment",
    "token_measurements": "model_name",
    "benchmark_runs": "best_model",
    "benchmark_results": "quality_notes",
}

MOVE = 'UPDATE "{table}" SET tenant_id = %s WHERE id = %s'
DELETE = 'DELETE FROM "{table}" WHERE id = %s'

POOL_CHECKOUTS = 1000


def _id() -> str:
    return str(uuid.uuid4())


def tenant_rows(tenant_id: str, visibility: str = "tenant") -> dict[str, dict[str, Any]]:
    """One valid row per tenant table for ``tenant_id``, parents before children."""
    user, skill, version, run = _id(), _id(), _id(), _id()
    return {
        "users": {
            "id": user,
            "tenant_id": tenant_id,
            "email": f"{user}@example.test",
            "name": "seed",
        },
        "skills": {
            "id": skill,
            "tenant_id": tenant_id,
            "name": "Seed",
            "slug": f"seed-{skill}",
            "description": "seed",
            "category": "testing",
            "content": "# Seed",
            "visibility": visibility,
            "author_id": user,
        },
        "skill_versions": {
            "id": version,
            "tenant_id": tenant_id,
            "skill_id": skill,
            "version": 1,
            "content_url": "https://example.test/v1",
            "content_hash": "sha256:0",
            "content_type": "text/markdown",
            "name": "Seed",
            "description": "seed",
        },
        "usage_events": {
            "id": _id(),
            "tenant_id": tenant_id,
            "tool_name": "seed",
            "skill_id": skill,
            "user_id": user,
        },
        "skill_feedback": {
            "id": _id(),
            "tenant_id": tenant_id,
            "skill_id": skill,
            "skill_version_id": version,
            "user_id": user,
            "feedback_type": "thumbs_up",
            "comment": "seed",
        },
        "token_measurements": {
            "id": _id(),
            "tenant_id": tenant_id,
            "skill_id": skill,
            "user_id": user,
            "model_name": "seed",
            "input_tokens": 1,
        },
        "benchmark_runs": {
            "id": run,
            "tenant_id": tenant_id,
            "skill_id": skill,
            "triggered_by": user,
            "models": ["seed"],
            "best_model": "seed",
        },
        "benchmark_results": {
            "id": _id(),
            "tenant_id": tenant_id,
            "benchmark_run_id": run,
            "model_name": "seed",
            "model_provider": "seed",
            "test_case_index": 0,
            "quality_notes": "seed",
        },
    }


def insert_sql(table: str, row: dict[str, Any]) -> tuple[str, tuple]:
    columns = ", ".join(f'"{column}"' for column in row)
    marks = ", ".join(["%s"] * len(row))
    return f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', tuple(row.values())


@dataclass
class World:
    owner: peewee.Database  # superuser: bypasses RLS, sees the truth
    app: peewee.Database  # the application role: RLS applies
    pool_url: str
    a: str
    b: str
    rows: dict[str, dict[str, dict[str, Any]]]  # tenant key -> table -> seeded row
    b_global_skill: dict[str, Any]

    def fresh_row(self, table: str, tenant: str) -> dict[str, Any]:
        """A new, valid row of ``table`` for tenant key ``tenant``, its parents seeded."""
        row = dict(self.rows[tenant][table], id=_id())
        if table == "users":
            row["email"] = f"{row['id']}@example.test"
        if table == "skills":
            row["slug"] = f"seed-{row['id']}"
        return row


@pytest.fixture(scope="module")
def world(create_database, make_role, role_url):
    url = create_database()
    owner = open_database(url)
    a, b = _id(), _id()
    rows = {"A": tenant_rows(a), "B": tenant_rows(b)}
    b_global = dict(
        tenant_rows(b, visibility="global_approved")["skills"], author_id=rows["B"]["users"]["id"]
    )
    role, password = make_role()
    with owner.connection_context():
        MigrationRunner(owner).up()
        grant_app_role(owner, role)
        with owner.atomic():
            for tenant_id in (a, b):
                owner.execute_sql(
                    "INSERT INTO tenants (id, name, slug) VALUES (%s, %s, %s)",
                    (tenant_id, tenant_id, tenant_id),
                )
            for table in TABLES:
                for seeded in (rows["A"], rows["B"]):
                    owner.execute_sql(*insert_sql(table, seeded[table]))
            owner.execute_sql(*insert_sql("skills", b_global))
    app_url = role_url(url, role, password)
    app = open_database(app_url)
    pool_url = app_url.replace("postgresql://", "postgresql+pool://", 1)
    yield World(owner, app, pool_url, a, b, rows, b_global)
    app.close()
    # The role outlives this database by a little; its privileges here must not stop its drop.
    owner.execute_sql(f'DROP OWNED BY "{role}"')
    owner.close()


def test_the_app_role_is_really_bound_by_rls(world):
    with world.app.connection_context():
        assert rls_report(world.app) == []


def attempt(database: peewee.Database, statement: str, params: tuple = ()) -> Any:
    """Run one write in a savepoint that is always rolled back, so the seed stays as it is
    whatever the policies do; return the rows it affected, or "rejected" when a row level
    security check refused it."""
    try:
        with database.atomic() as txn:
            affected = database.execute_sql(statement, params).rowcount
            txn.rollback()
    except peewee.ProgrammingError as exc:
        if "row-level security policy" not in str(exc):
            raise
        return "rejected"
    return affected


def edit_sql(table: str) -> str:
    return f'UPDATE "{table}" SET "{TEXT_COLUMN[table]}" = %s WHERE id = %s'


def visible_ids(database: peewee.Database, table: str) -> set[str]:
    return {row[0] for row in database.execute_sql(f'SELECT id::text FROM "{table}"')}


# -- with a tenant set ------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_select_sees_only_own_rows(world, table):
    for mine, tenant_id in (("A", world.a), ("B", world.b)):
        expected = {world.rows[mine][table]["id"]}
        if table == "skills":
            expected.add(world.b_global_skill["id"])  # global_approved: everyone reads it
        with tenant_context(tenant_id, database=world.app):
            assert visible_ids(world.app, table) == expected


@pytest.mark.parametrize("table", TABLES)
def test_insert_with_other_tenant_id_rejected(world, table):
    with tenant_context(world.a, database=world.app):
        assert attempt(world.app, *insert_sql(table, world.fresh_row(table, "B"))) == "rejected"
        # The same row for the tenant in force goes in: the tenant was the only fault.
        assert attempt(world.app, *insert_sql(table, world.fresh_row(table, "A"))) == 1


@pytest.mark.parametrize("table", TABLES)
def test_update_cannot_change_other_tenant_rows(world, table):
    theirs = world.rows["B"][table]["id"]
    with tenant_context(world.a, database=world.app):
        assert attempt(world.app, edit_sql(table), ("hacked", theirs)) == 0
        assert attempt(world.app, MOVE.format(table=table), (world.a, theirs)) == 0


@pytest.mark.parametrize("table", TABLES)
def test_update_cannot_move_own_row_to_other_tenant(world, table):
    mine = world.rows["A"][table]["id"]
    with tenant_context(world.a, database=world.app):
        assert attempt(world.app, MOVE.format(table=table), (world.b, mine)) == "rejected"


@pytest.mark.parametrize("table", TABLES)
def test_delete_cannot_remove_other_tenant_rows(world, table):
    delete = DELETE.format(table=table)
    with tenant_context(world.a, database=world.app):
        assert attempt(world.app, delete, (world.rows["B"][table]["id"],)) == 0
        # While a row of the tenant in force goes.
        fresh = world.fresh_row(table, "A")
        with world.app.atomic() as txn:
            world.app.execute_sql(*insert_sql(table, fresh))
            assert world.app.execute_sql(delete, (fresh["id"],)).rowcount == 1
            txn.rollback()


@pytest.mark.parametrize("action", ["edit", "take over", "delete"])
def test_global_approved_skill_is_read_only_for_other_tenants(world, action):
    """Tenant A reads B's global_approved skill; it must not edit, take or delete it, and
    neither may a connection with no tenant."""
    skill = world.b_global_skill["id"]
    statement, params = {
        "edit": (edit_sql("skills"), ("hacked", skill)),
        "take over": (MOVE.format(table="skills"), (world.a, skill)),
        "delete": (DELETE.format(table="skills"), (skill,)),
    }[action]
    with tenant_context(world.a, database=world.app):
        assert attempt(world.app, statement, params) in (0, "rejected")
    with world.app.atomic():
        assert attempt(world.app, statement, params) in (0, "rejected")


# -- with no tenant set -----------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_without_tenant_no_rows_visible(world, table):
    with world.app.atomic():
        assert current_tenant() is None
        expected = {world.b_global_skill["id"]} if table == "skills" else set()
        assert visible_ids(world.app, table) == expected


@pytest.mark.parametrize("table", TABLES)
def test_without_tenant_insert_rejected(world, table):
    with world.app.atomic():
        for tenant in ("A", "B"):
            assert attempt(world.app, *insert_sql(table, world.fresh_row(table, tenant))) == (
                "rejected"
            )


@pytest.mark.parametrize("table", TABLES)
def test_without_tenant_update_and_delete_change_nothing(world, table):
    with world.app.atomic():
        for tenant in ("A", "B"):
            row = world.rows[tenant][table]["id"]
            assert attempt(world.app, edit_sql(table), ("hacked", row)) == 0
            assert attempt(world.app, MOVE.format(table=table), (world.a, row)) == 0
            assert attempt(world.app, DELETE.format(table=table), (row,)) == 0


# -- pooled connections -----------------------------------------------------------------------


@pytest.mark.parametrize("checkouts", [POOL_CHECKOUTS])
def test_pooled_checkouts_never_inherit_a_tenant(world, checkouts):
    """Two threads share a pool of two connections, alternating tenants on each checkout;
    every tenth block ends in an exception. Every checkout must start with no tenant."""
    joiner = "&" if "?" in world.pool_url else "?"  # the embedded server's URL has ?host=
    pool = open_database(f"{world.pool_url}{joiner}max_connections=2")
    tenants = (world.a, world.b)
    user_of = {world.a: world.rows["A"]["users"]["id"], world.b: world.rows["B"]["users"]["id"]}

    class Boom(Exception):
        pass

    def setting() -> Any:
        cursor = pool.execute_sql("SELECT current_setting('app.current_tenant_id', true)")
        return cursor.fetchone()[0]

    def run(offset: int, count: int) -> set[int]:
        backends = set()
        for n in range(offset, offset + count):
            tenant_id = tenants[n % 2]
            with pool.connection_context():
                assert setting() in ("", None), f"checkout {n} inherited tenant {setting()!r}"
                backends.add(pool.execute_sql("SELECT pg_backend_pid()").fetchone()[0])
                try:
                    with tenant_context(tenant_id, database=pool):
                        assert setting() == tenant_id
                        assert visible_ids(pool, "users") == {user_of[tenant_id]}
                        if n % 10 == 9:
                            raise Boom
                except Boom:
                    pass
                assert current_tenant() is None
        return backends

    half = checkouts // 2
    try:
        with ThreadPoolExecutor(max_workers=2) as executor:
            futures = [executor.submit(run, start, half) for start in (0, half)]
            backends = set().union(*(future.result() for future in futures))
    finally:
        pool.close_all()
    assert 1 <= len(backends) <= 2  # so the connections really were reused
    print(f"isolation: {checkouts} pooled checkouts over {len(backends)} connections")
