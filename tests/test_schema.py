"""The migrations' schema refuses bad values to raw SQL, comes down to nothing and up again,
and re-runs safely; plus rls.py's SQL builders on their own.

What the schema holds (tables, columns, keys, indexes, policies) is docs/schema.md, checked
against a migrated database by tests/test_schema_doc.py; this module tests behaviour.
"""

from __future__ import annotations

import uuid

import peewee
import pytest
from schema_doc import catalog

from everyskill_db.database import open_database
from everyskill_db.rls import DEFAULT_USING, EverySkillMigrator, tenant_policy_sql
from everyskill_db.runner import MigrationRunner
from everyskill_db.tenancy import TENANT_TABLES

# As PostgreSQL deparses the default tenant predicate into pg_policies.
CURRENT_TENANT = "(tenant_id = current_setting('app.current_tenant_id'::text, true))"

# The value rules of validation.py, frozen as CHECK constraints by 0034 and 0037:
# table, column, values the database must reject, values it must accept.
NON_NEGATIVE = ([-1, -1000], [0, 7, None])
PERCENT = ([-1, 101], [0, 100, None])
VALUE_RULES = [
    (
        "skill_feedback",
        "feedback_type",
        ["thumbs", "THUMBS_UP", ""],
        ["thumbs_up", "thumbs_down", "suggestion", "training_example", "bug_report"],
    ),
    ("skill_feedback", "sentiment", [2, -2], [-1, 0, 1, None]),
    ("skill_feedback", "quality_score", [0, 11], [1, 10, None]),
    (
        "skill_feedback",
        "status",
        ["rejected", "Pending"],
        ["pending", "accepted", "dismissed", "implemented", "approved"],
    ),
    (
        "benchmark_runs",
        "status",
        ["done", "cancelled"],
        ["pending", "running", "completed", "failed"],
    ),
    ("benchmark_runs", "best_quality_score", *PERCENT),
    ("benchmark_runs", "cheapest_cost_microcents", *NON_NEGATIVE),
    ("benchmark_results", "quality_score", *PERCENT),
    ("benchmark_results", "test_case_index", [-1], [0, 3]),
    ("benchmark_results", "input_tokens", *NON_NEGATIVE),
    ("benchmark_results", "output_tokens", *NON_NEGATIVE),
    ("benchmark_results", "total_tokens", *NON_NEGATIVE),
    ("benchmark_results", "latency_ms", *NON_NEGATIVE),
    ("benchmark_results", "estimated_cost_microcents", *NON_NEGATIVE),
    ("token_measurements", "input_tokens", *NON_NEGATIVE),
    ("token_measurements", "output_tokens", *NON_NEGATIVE),
    ("token_measurements", "total_tokens", *NON_NEGATIVE),
    ("token_measurements", "estimated_cost_microcents", *NON_NEGATIVE),
    ("token_measurements", "latency_ms", *NON_NEGATIVE),
    ("skills", "total_uses", [-1], [0, 5]),
    ("skills", "total_feedback", [-1], [0, 5]),
    ("skills", "positive_feedback_pct", *PERCENT),
    ("skills", "avg_token_cost_microcents", *NON_NEGATIVE),
    # 0037: the remaining value lists (docs/schema.md)
    ("tenants", "plan", ["free", "Paid"], ["freemium", "paid"]),
    (
        "skills",
        "visibility",
        ["public", "GLOBAL_APPROVED"],
        ["global_approved", "tenant", "personal", "private"],
    ),
    ("skill_feedback", "source", ["email", ""], ["web", "mcp", "api", "hook"]),
]


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture
def empty_db(empty_db_url):
    database = open_database(empty_db_url)
    yield database
    database.close()


@pytest.fixture(scope="module")
def migrated(migrated_db_url):
    """The session's migrated database, on a connection of this module's own."""
    database = open_database(migrated_db_url)
    yield database
    database.close()


# --- CHECK constraints against raw SQL --------------------------------------------------


def _insert(db, table: str, row: dict) -> None:
    columns = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    db.execute_sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))


@pytest.fixture
def parents(migrated):
    """A tenant, user, skill and benchmark run for the value-rule inserts, in a transaction
    that the test's end rolls back (the session database stays empty)."""
    ids = {key: str(uuid.uuid4()) for key in ("tenant", "user", "skill", "run")}
    with migrated.atomic() as transaction:
        _insert(migrated, "tenants", {"id": ids["tenant"], "name": "T", "slug": ids["tenant"]})
        _insert(migrated, "users", {"id": ids["user"], "tenant_id": ids["tenant"],
                                    "email": f"{ids['user']}@x.test"})
        _insert(migrated, "skills", _skill_row(ids["tenant"]) | {"id": ids["skill"]})
        _insert(migrated, "benchmark_runs",
                _minimal_row("benchmark_runs", ids) | {"id": ids["run"]})
        yield ids
        transaction.rollback()


def _skill_row(tenant_id: str) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "tenant_id": tenant_id,
        "name": "s",
        "slug": uuid.uuid4().hex,
        "description": "d",
        "category": "c",
        "content": "#",
    }


def _minimal_row(table: str, ids: dict) -> dict:
    """The smallest valid row of ``table``, every rule-checked column left to its default."""
    common = {"id": str(uuid.uuid4()), "tenant_id": ids["tenant"]}
    if table == "tenants":
        return {"id": common["id"], "name": "t", "slug": common["id"]}
    if table == "skills":
        return _skill_row(ids["tenant"])
    if table == "skill_feedback":
        return {**common, "skill_id": ids["skill"], "feedback_type": "thumbs_up"}
    if table == "token_measurements":
        return {**common, "skill_id": ids["skill"], "model_name": "m"}
    if table == "benchmark_runs":
        return {**common, "skill_id": ids["skill"], "triggered_by": ids["user"], "models": ["m"]}
    assert table == "benchmark_results"
    return {
        **common,
        "benchmark_run_id": ids["run"],
        "model_name": "m",
        "model_provider": "p",
        "test_case_index": 0,
    }


REJECTED = [(t, c, v) for t, c, bad, _ in VALUE_RULES for v in bad]
ACCEPTED = [(t, c, v) for t, c, _, good in VALUE_RULES for v in good]


@pytest.mark.parametrize(("table", "column", "value"), REJECTED)
def test_check_constraint_rejects_raw_insert(migrated, parents, table, column, value):
    with pytest.raises(peewee.IntegrityError) as raised, migrated.atomic():
        _insert(migrated, table, _minimal_row(table, parents) | {column: value})
    assert raised.value.orig.diag.constraint_name == f"{table}_{column}_check"


@pytest.mark.parametrize(("table", "column", "value"), ACCEPTED)
def test_check_constraint_accepts_allowed_value(migrated, parents, table, column, value):
    row = _minimal_row(table, parents) | {column: value}
    _insert(migrated, table, row)
    stored = migrated.execute_sql(f"SELECT {column} FROM {table} WHERE id = %s", (row["id"],))
    assert stored.fetchall() == [(value,)]


def test_every_value_rule_is_a_constraint_of_the_schema(migrated):
    constraints = {
        name for table in catalog(migrated)["tables"].values()
        for name, kind, _ in table["constraints"] if kind == "check"
    }
    assert constraints == {f"{table}_{column}_check" for table, column, _, _ in VALUE_RULES}


# --- down, up again, and re-running -----------------------------------------------------


def test_down_to_nothing_then_up_again(empty_db):
    runner = MigrationRunner(empty_db)
    applied = runner.up()
    migrated = catalog(empty_db)
    assert runner.down(applied[0]) == applied[::-1]
    assert catalog(empty_db) == {"tables": {}, "enums": {}, "functions": []}
    assert empty_db.get_tables(schema="public") == [runner.table_name]
    assert runner.up() == applied
    assert catalog(empty_db) == migrated


def test_every_up_twice_is_harmless(empty_db, migrated):
    runner = MigrationRunner(empty_db)
    modules = [migration.load() for migration in runner.migrations()]
    for module in modules:
        with runner.migrator.migration_context():
            module.up(runner.migrator, empty_db)
            module.up(runner.migrator, empty_db)
    # And once more over the finished schema: an early migration after the later ones.
    for module in modules:
        with runner.migrator.migration_context():
            module.up(runner.migrator, empty_db)
    assert catalog(empty_db) == catalog(migrated)


def test_frozen_policies_use_the_tenant_predicate_of_rls_py(migrated):
    """The migrations write the tenant predicate as a literal; rls.DEFAULT_USING is its one
    home in the package. Both must deparse to the same expression in every policy."""
    with migrated.atomic() as transaction:
        migrated.execute_sql("CREATE TEMPORARY TABLE predicate_probe (tenant_id text)")
        migrated.execute_sql(f"CREATE POLICY probe ON predicate_probe USING ({DEFAULT_USING})")
        (predicate,) = migrated.execute_sql(
            "SELECT qual FROM pg_policies WHERE tablename = 'predicate_probe'"
        ).fetchone()
        transaction.rollback()
    assert predicate == CURRENT_TENANT
    tables = catalog(migrated)["tables"]
    for table in TENANT_TABLES:
        policies = {name: rest for name, *rest in tables[table]["policies"]}
        *_, using, check = policies["tenant_isolation"]
        assert check == predicate, table
        assert using == predicate if table != "skills" else predicate in using
        for name, (*_, using, _) in policies.items():
            assert predicate in using, (table, name)


# --- rls.py on its own ------------------------------------------------------------------


def test_policy_sql_quotes_names_and_scopes_the_check_to_its_schema(
    empty_db, empty_db_url, sql, caplog
):
    migrator = EverySkillMigrator(empty_db)
    awkward = 'o\'brien "tasks"'
    empty_db.execute_sql("CREATE SCHEMA other")
    for schema in ("public", "other"):
        empty_db.execute_sql(
            f'CREATE TABLE {schema}."o\'brien ""tasks""" (tenant_id text, label text)'
        )
    caplog.set_level("DEBUG", logger="peewee")
    with migrator.migration_context():
        migrator.migrate(
            migrator.enable_row_level_security(awkward),
            migrator.create_tenant_policy(awkward, using="label LIKE 'a%'"),
            migrator.create_tenant_policy(awkward, using="label LIKE 'a%'"),  # no-op
        )
    # The same table name in another schema still gets its own policy.
    empty_db.execute_sql(tenant_policy_sql(awkward, schema="other"))

    policies = sql(
        empty_db_url,
        "SELECT schemaname, tablename, permissive, qual FROM pg_policies ORDER BY schemaname",
    )
    assert policies == [
        ("other", awkward, "PERMISSIVE", CURRENT_TENANT),
        ("public", awkward, "PERMISSIVE", "(label ~~ 'a%'::text)"),
    ]
    # The SQL went through peewee's database, where `migrate plan` and --verbose see it.
    assert any("CREATE POLICY" in record.getMessage() for record in caplog.records)


def test_policy_can_be_dropped_and_rls_disabled(empty_db, empty_db_url, sql):
    migrator = EverySkillMigrator(empty_db)
    empty_db.execute_sql("CREATE TABLE notes (tenant_id text)")
    with migrator.migration_context():
        migrator.migrate(
            migrator.enable_row_level_security("notes"),
            migrator.create_tenant_policy("notes"),
            migrator.drop_tenant_policy("notes"),
            migrator.drop_tenant_policy("notes"),
            migrator.disable_row_level_security("notes"),
        )
    assert sql(empty_db_url, "SELECT count(*) FROM pg_policies") == [(0,)]
    assert sql(empty_db_url, "SELECT relrowsecurity FROM pg_class WHERE relname = 'notes'") == [
        (False,)
    ]
