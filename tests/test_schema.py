"""The migrations build exactly the schema of SCHEMA.md, take it down again, and re-run safely.

Every expectation below is written by hand from /work/shared/SCHEMA.md, in its own words
(ts = timestamp, tstz = timestamptz, tstz3 = timestamptz(3)), and compared with what
PostgreSQL's catalogs report after ``MigrationRunner(db).up()`` on an empty database: this
module is the executable form of the spec. Nothing here goes through the models.
"""

from __future__ import annotations

import re
import uuid

import peewee
import pytest

from everyskill_db.database import open_database
from everyskill_db.rls import EverySkillMigrator, tenant_policy_sql
from everyskill_db.runner import MigrationRunner

# --- the spec -------------------------------------------------------------------------

# table, then one line per column: name, type, nullable, default as SCHEMA.md writes it.
COLUMNS = """
tenants
    id                          text        no
    name                        text        no
    slug                        text        no
    domain                      text        yes
    logo                        text        yes
    is_active                   boolean     no      true
    plan                        text        no      'freemium'
    vanity_domain               text        yes
    created_at                  ts          no      now()
    updated_at                  ts          no      now()
users
    id                          text        no
    tenant_id                   text        no
    email                       text        no
    role                        user_role   no      'member'
    name                        text        yes
    email_verified              ts          yes
    image                       text        yes
    created_at                  ts          no      now()
    updated_at                  ts          no      now()
skills
    id                          text        no
    tenant_id                   text        no
    name                        text        no
    slug                        text        no
    description                 text        no
    category                    text        no
    tags                        text[]      yes     '{}'
    status                      text        no      'published'
    visibility                  text        no      'tenant'
    content                     text        no
    author_id                   text        yes
    published_version_id        text        yes
    draft_version_id            text        yes
    forked_from_id              text        yes
    total_uses                  integer     no      0
    average_rating              integer     yes
    total_feedback              integer     no      0
    positive_feedback_pct       integer     yes
    avg_token_cost_microcents   integer     yes
    created_at                  ts          no      now()
    updated_at                  ts          no      now()
skill_versions
    id                          text        no
    tenant_id                   text        no
    skill_id                    text        no
    version                     integer     no
    content_url                 text        no
    content_hash                text        no
    content_type                text        no
    name                        text        no
    description                 text        no
    metadata                    jsonb       yes
    created_by                  text        yes
    created_at                  tstz3       no      now()
usage_events
    id                          uuid        no      gen_random_uuid()
    tenant_id                   text        no
    tool_name                   text        no
    skill_id                    text        yes
    user_id                     text        yes
    metadata                    jsonb       yes
    created_at                  ts          no      now()
skill_feedback
    id                          text        no
    tenant_id                   text        no
    skill_id                    text        no
    skill_version_id            text        yes
    user_id                     text        yes
    usage_event_id              text        yes
    feedback_type               text        no
    sentiment                   integer     yes
    comment                     text        yes
    suggested_content           text        yes
    suggested_diff              text        yes
    example_input               text        yes
    example_output              text        yes
    expected_output             text        yes
    quality_score               integer     yes
    status                      text        no      'pending'
    reviewed_by                 text        yes
    reviewed_at                 tstz        yes
    review_notes                text        yes
    source                      text        no      'web'
    created_at                  tstz3       no      now()
token_measurements
    id                          text        no
    tenant_id                   text        no
    skill_id                    text        no
    usage_event_id              text        yes
    user_id                     text        yes
    input_tokens                integer     yes
    output_tokens               integer     yes
    total_tokens                integer     yes
    model_name                  text        no
    model_provider              text        no      'anthropic'
    estimated_cost_microcents   integer     yes
    latency_ms                  integer     yes
    source                      text        no      'hook'
    created_at                  tstz3       no      now()
benchmark_runs
    id                          text        no
    tenant_id                   text        no
    skill_id                    text        no
    skill_version_id            text        yes
    triggered_by                text        no
    status                      text        no      'pending'
    models                      text[]      no
    best_model                  text        yes
    best_quality_score          integer     yes
    cheapest_model              text        yes
    cheapest_cost_microcents    integer     yes
    started_at                  tstz        yes
    completed_at                tstz        yes
    created_at                  tstz3       no      now()
benchmark_results
    id                          text        no
    tenant_id                   text        no
    benchmark_run_id            text        no
    model_name                  text        no
    model_provider              text        no
    test_case_index             integer     no
    input_used                  text        yes
    output_produced             text        yes
    expected_output             text        yes
    input_tokens                integer     yes
    output_tokens               integer     yes
    total_tokens                integer     yes
    latency_ms                  integer     yes
    estimated_cost_microcents   integer     yes
    quality_score               integer     yes
    quality_notes               text        yes
    matches_expected            boolean     yes
    error_message               text        yes
    created_at                  tstz3       no      now()
"""

# Every foreign key (always to <table>.id) and its ON DELETE rule. Columns not listed here
# (published_version_id, forked_from_id, usage_event_id, usage_events.skill_id ...) have none.
FOREIGN_KEYS = """
users.tenant_id                     tenants         no action
skills.tenant_id                    tenants         no action
skills.author_id                    users           no action
skill_versions.tenant_id            tenants         no action
skill_versions.skill_id             skills          cascade
skill_versions.created_by           users           no action
usage_events.tenant_id              tenants         no action
usage_events.user_id                users           no action
skill_feedback.tenant_id            tenants         no action
skill_feedback.skill_id             skills          cascade
skill_feedback.skill_version_id     skill_versions  no action
skill_feedback.user_id              users           no action
skill_feedback.reviewed_by          users           no action
token_measurements.tenant_id        tenants         no action
token_measurements.skill_id         skills          cascade
token_measurements.user_id          users           no action
benchmark_runs.tenant_id            tenants         no action
benchmark_runs.skill_id             skills          cascade
benchmark_runs.skill_version_id     skill_versions  no action
benchmark_runs.triggered_by         users           no action
benchmark_results.tenant_id         tenants         no action
benchmark_results.benchmark_run_id  benchmark_runs  cascade
"""

# Every index but the primary keys: name, table, columns, unique or not.
INDEXES = """
tenants_slug_unique                     tenants             slug                unique
tenants_vanity_domain_unique            tenants             vanity_domain       unique
users_email_unique                      users               email               unique
users_tenant_id_idx                     users               tenant_id
skills_tenant_slug_unique               skills              tenant_id,slug      unique
skills_tenant_id_idx                    skills              tenant_id
skill_versions_tenant_id_idx            skill_versions      tenant_id
usage_events_tenant_id_idx              usage_events        tenant_id
skill_feedback_skill_id_idx             skill_feedback      skill_id
skill_feedback_user_id_idx              skill_feedback      user_id
skill_feedback_tenant_id_idx            skill_feedback      tenant_id
skill_feedback_feedback_type_idx        skill_feedback      feedback_type
skill_feedback_status_idx               skill_feedback      status
token_measurements_skill_id_idx         token_measurements  skill_id
token_measurements_model_name_idx       token_measurements  model_name
token_measurements_tenant_id_idx        token_measurements  tenant_id
token_measurements_created_at_idx       token_measurements  created_at
benchmark_runs_skill_id_idx             benchmark_runs      skill_id
benchmark_runs_tenant_id_idx            benchmark_runs      tenant_id
benchmark_runs_status_idx               benchmark_runs      status
benchmark_results_benchmark_run_id_idx  benchmark_results   benchmark_run_id
benchmark_results_model_name_idx        benchmark_results   model_name
benchmark_results_tenant_id_idx         benchmark_results   tenant_id
"""

PHASE_55_INDEXES = 15

# The unique indexes above are table constraints (usable by ON CONFLICT ON CONSTRAINT).
UNIQUE_CONSTRAINTS = {
    "tenants_slug_unique",
    "tenants_vanity_domain_unique",
    "users_email_unique",
    "skills_tenant_slug_unique",
}

TENANT_TABLES = [
    "users",
    "skills",
    "skill_versions",
    "usage_events",
    "skill_feedback",
    "token_measurements",
    "benchmark_runs",
    "benchmark_results",
]

# As PostgreSQL deparses them into pg_policies.
CURRENT_TENANT = "(tenant_id = current_setting('app.current_tenant_id'::text, true))"
SKILLS_READ = f"({CURRENT_TENANT} OR (visibility = 'global_approved'::text))"

ENUMS = {"user_role": ["admin", "member"]}

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
    # 0037: the remaining value lists of SCHEMA.md
    ("tenants", "plan", ["free", "Paid"], ["freemium", "paid"]),
    (
        "skills",
        "visibility",
        ["public", "GLOBAL_APPROVED"],
        ["global_approved", "tenant", "personal", "private"],
    ),
    ("skill_feedback", "source", ["email", ""], ["web", "mcp", "api", "hook"]),
]

TYPE_WORDS = {
    "ts": "timestamp without time zone",
    "tstz": "timestamp with time zone",
    "tstz3": "timestamp(3) with time zone",
}
ON_DELETE = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}


def _parse_columns(text: str) -> dict:
    tables: dict = {}
    for line in text.strip().splitlines():
        if not line.startswith(" "):
            table = tables[line.strip()] = {}
            continue
        name, type_, null, *default = line.split(None, 3)
        table[name] = (TYPE_WORDS.get(type_, type_), null == "yes", default[0] if default else None)
    return tables


def _parse_foreign_keys(text: str) -> dict:
    keys = {}
    for line in text.strip().splitlines():
        column, target, rule = line.split(None, 2)
        keys[tuple(column.split("."))] = (target, "id", rule)
    return keys


def _parse_indexes(text: str) -> dict:
    indexes = {}
    for line in text.strip().splitlines():
        name, table, columns, *unique = line.split()
        indexes[name] = (table, tuple(columns.split(",")), bool(unique))
    return indexes


SPEC = {
    "columns": _parse_columns(COLUMNS),
    "primary_keys": {table: ("id",) for table in _parse_columns(COLUMNS)},
    "foreign_keys": _parse_foreign_keys(FOREIGN_KEYS),
    "indexes": _parse_indexes(INDEXES),
    "unique_constraints": UNIQUE_CONSTRAINTS,
    "check_constraints": {f"{table}_{column}_check": table for table, column, _, _ in VALUE_RULES},
    "rls": {
        table: (table in TENANT_TABLES, False)  # (enabled, forced): never forced
        for table in _parse_columns(COLUMNS)
    },
    "policies": {
        (table, "tenant_isolation"): (
            "PERMISSIVE",
            ["public"],
            "ALL",
            SKILLS_READ if table == "skills" else CURRENT_TENANT,
            CURRENT_TENANT,
        )
        for table in TENANT_TABLES
    } | {
        # 0036: other tenants read a global_approved skill but cannot change or delete it.
        ("skills", f"tenant_{command.lower()}_own_rows"): (
            "RESTRICTIVE", ["public"], command, CURRENT_TENANT, None
        )
        for command in ("UPDATE", "DELETE")
    },
    "enums": ENUMS,
}

# --- reading the catalogs ---------------------------------------------------------------


def _rows(db, sql: str, *params) -> list:
    return db.execute_sql(sql, params).fetchall()


def _spec_default(expression: str | None) -> str | None:
    # pg_get_expr adds the column's type as a cast ('freemium'::text); the type itself is
    # compared separately, so compare defaults as SCHEMA.md writes them.
    if expression is None:
        return None
    return re.sub(r"::[a-z_ ]+(\[\])?$", "", expression)


def catalog(db, history_table: str) -> dict:
    """What the public schema holds, in the shape of SPEC (the history table left out)."""
    tables = [t for t in db.get_tables(schema="public") if t != history_table]
    in_scope = "c.relnamespace = 'public'::regnamespace AND c.relname <> %s"
    columns: dict = {table: {} for table in tables}
    for table, name, type_, not_null, default in _rows(
        db,
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
        " pg_get_expr(d.adbin, d.adrelid)"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        f" WHERE {in_scope} AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped",
        history_table,
    ):
        columns[table][name] = (type_, not not_null, _spec_default(default))

    constraints = _rows(
        db,
        "SELECT con.conname, con.contype, c.relname,"
        " ARRAY(SELECT attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)"
        "       JOIN pg_attribute ON attrelid = con.conrelid AND attnum = k.n ORDER BY k.i),"
        " con.confrelid::regclass::text,"
        " ARRAY(SELECT attname FROM unnest(con.confkey) k(n)"
        "       JOIN pg_attribute ON attrelid = con.confrelid AND attnum = k.n),"
        " con.confdeltype"
        " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
        f" WHERE {in_scope}",
        history_table,
    )
    foreign_keys = {}
    for _, kind, table, cols, target, target_cols, on_delete in constraints:
        if kind == "f":
            ((column, target_column),) = zip(cols, target_cols)
            foreign_keys[(table, column)] = (target, target_column, ON_DELETE[on_delete])

    indexes = {
        name: (table, tuple(cols), unique)
        for name, table, cols, unique in _rows(
            db,
            "SELECT i.relname, c.relname,"
            " ARRAY(SELECT attname FROM unnest(x.indkey) WITH ORDINALITY k(n, o)"
            "       JOIN pg_attribute ON attrelid = x.indrelid AND attnum = k.n ORDER BY k.o),"
            " x.indisunique"
            " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            " JOIN pg_class c ON c.oid = x.indrelid"
            f" WHERE {in_scope} AND NOT x.indisprimary",
            history_table,
        )
    }
    policies = {
        (table, name): (permissive, list(roles), cmd, qual, with_check)
        for table, name, permissive, roles, cmd, qual, with_check in _rows(
            db,
            "SELECT tablename, policyname, permissive, roles::text[], cmd, qual, with_check"
            " FROM pg_policies WHERE schemaname = 'public'",
        )
    }
    return {
        "columns": columns,
        "primary_keys": {
            table: tuple(cols) for _, kind, table, cols, *_ in constraints if kind == "p"
        },
        "foreign_keys": foreign_keys,
        "indexes": indexes,
        "unique_constraints": {name for name, kind, *_ in constraints if kind == "u"},
        "check_constraints": {name: table for name, kind, table, *_ in constraints if kind == "c"},
        "rls": {
            table: (enabled, forced)
            for table, enabled, forced in _rows(
                db,
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c"
                f" WHERE {in_scope} AND c.relkind = 'r'",
                history_table,
            )
        },
        "policies": policies,
        "enums": {
            name: list(labels)
            for name, labels in _rows(
                db,
                "SELECT t.typname, ARRAY(SELECT enumlabel FROM pg_enum"
                "       WHERE enumtypid = t.oid ORDER BY enumsortorder)"
                " FROM pg_type t WHERE t.typnamespace = 'public'::regnamespace"
                " AND t.typtype = 'e'",
            )
        },
    }


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture
def empty_db(empty_db_url):
    database = open_database(empty_db_url)
    yield database
    database.close()


@pytest.fixture(scope="module")
def migrated(create_database):
    """A database of this module's own, migrated up from empty, and its catalog."""
    database = open_database(create_database())
    runner = MigrationRunner(database)
    runner.up()
    yield database, catalog(database, runner.table_name)
    database.close()


# --- the schema -------------------------------------------------------------------------


def test_spec_lists_the_fifteen_phase_55_indexes():
    phase_55 = [
        name
        for name, (table, _, _) in SPEC["indexes"].items()
        if table in {"skill_feedback", "token_measurements", "benchmark_runs", "benchmark_results"}
    ]
    assert len(phase_55) == PHASE_55_INDEXES


@pytest.mark.parametrize("table", list(SPEC["columns"]))
def test_columns_types_nullability_defaults(migrated, table):
    _, found = migrated
    assert found["columns"][table] == SPEC["columns"][table]


def test_exactly_the_tables_of_the_spec(migrated):
    _, found = migrated
    assert sorted(found["columns"]) == sorted(SPEC["columns"])


@pytest.mark.parametrize(
    "section",
    ["primary_keys", "foreign_keys", "indexes", "unique_constraints", "rls", "policies", "enums"],
)
def test_catalog_section_matches_spec(migrated, section):
    _, found = migrated
    assert found[section] == SPEC[section]


def test_check_constraints_are_named_after_table_and_column(migrated):
    _, found = migrated
    assert found["check_constraints"] == SPEC["check_constraints"]


# --- CHECK constraints against raw SQL --------------------------------------------------


def _insert(db, table: str, row: dict) -> None:
    columns = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    db.execute_sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))


@pytest.fixture(scope="module")
def parents(migrated):
    """One committed tenant, user, skill and benchmark run for the value-rule inserts."""
    db, _ = migrated
    ids = {key: str(uuid.uuid4()) for key in ("tenant", "user", "skill", "run")}
    _insert(db, "tenants", {"id": ids["tenant"], "name": "T", "slug": "t"})
    _insert(db, "users", {"id": ids["user"], "tenant_id": ids["tenant"], "email": "u@x.test"})
    _insert(db, "skills", _skill_row(ids["tenant"]) | {"id": ids["skill"]})
    _insert(db, "benchmark_runs", _minimal_row("benchmark_runs", ids) | {"id": ids["run"]})
    return ids


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
    db, _ = migrated
    with pytest.raises(peewee.IntegrityError) as raised, db.atomic():
        _insert(db, table, _minimal_row(table, parents) | {column: value})
    assert raised.value.orig.diag.constraint_name == f"{table}_{column}_check"


@pytest.mark.parametrize(("table", "column", "value"), ACCEPTED)
def test_check_constraint_accepts_allowed_value(migrated, parents, table, column, value):
    db, _ = migrated
    row = _minimal_row(table, parents) | {column: value}
    with db.atomic() as transaction:
        _insert(db, table, row)
        stored = db.execute_sql(f"SELECT {column} FROM {table} WHERE id = %s", (row["id"],))
        assert stored.fetchall() == [(value,)]
        transaction.rollback()


# --- down, up again, and re-running -----------------------------------------------------


def test_down_to_nothing_then_up_again(empty_db):
    runner = MigrationRunner(empty_db)
    applied = runner.up()
    assert runner.down(applied[0]) == applied[::-1]
    assert catalog(empty_db, runner.table_name) == {
        "columns": {},
        "primary_keys": {},
        "foreign_keys": {},
        "indexes": {},
        "unique_constraints": set(),
        "check_constraints": {},
        "rls": {},
        "policies": {},
        "enums": {},
    }
    assert empty_db.get_tables(schema="public") == [runner.table_name]
    assert runner.up() == applied
    assert catalog(empty_db, runner.table_name) == SPEC


def test_every_up_twice_is_harmless(empty_db):
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
    assert catalog(empty_db, runner.table_name) == SPEC


# --- rls.py on its own ------------------------------------------------------------------


def test_policy_sql_quotes_names_and_scopes_the_check_to_its_schema(empty_db, caplog):
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

    policies = _rows(
        empty_db,
        "SELECT schemaname, tablename, permissive, qual FROM pg_policies ORDER BY schemaname",
    )
    assert policies == [
        ("other", awkward, "PERMISSIVE", CURRENT_TENANT),
        ("public", awkward, "PERMISSIVE", "(label ~~ 'a%'::text)"),
    ]
    # The SQL went through peewee's database, where `migrate plan` and --verbose see it.
    assert any("CREATE POLICY" in record.getMessage() for record in caplog.records)


def test_policy_can_be_dropped_and_rls_disabled(empty_db):
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
    assert _rows(empty_db, "SELECT count(*) FROM pg_policies") == [(0,)]
    assert _rows(empty_db, "SELECT relrowsecurity FROM pg_class WHERE relname = 'notes'") == [
        (False,)
    ]
