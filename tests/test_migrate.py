"""``python -m everyskill_db.migrate`` and MigrationRunner, one test per promise.

The command runs in subprocesses, from a directory other than the repository, against
databases made by the conftest fixtures. Small migration directories written into tmp_path
stand in for the real ones where a test needs a migration that fails, blocks or is edited.
No sleeps: processes are synchronised on lines they print and on PostgreSQL locks.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg2
import pytest
from playhouse.migrations import Runner

import everyskill_db
from everyskill_db.database import open_database
from everyskill_db.runner import LOCK_KEY, MigrationRunner, migrations_directory

# Where the subprocesses import everyskill_db from: the same copy as this test process.
PACKAGE_ROOT = str(Path(everyskill_db.__file__).parent.parent)
PACKAGED = sorted(p.stem for p in Path(migrations_directory()).glob("[0-9]*.py"))
APPLIED_LINE = re.compile(r"^applied (\S+) \(\d+(?:\.\d+)? m?s\)$")


def migrate(*args: str, url: str | None = None, cwd: Path, **popen: object):
    """Run the command; Popen when ``popen`` options are given, else run to completion."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_ROOT, env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "everyskill_db.migrate"]
    if url is not None:
        command += ["--database-url", url]
    command += list(args)
    if popen:
        return subprocess.Popen(command, cwd=cwd, env=env, text=True, **popen)
    return subprocess.run(command, cwd=cwd, env=env, text=True, capture_output=True, timeout=120)


def write_migrations(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(exist_ok=True)
    for name, source in files.items():
        (directory / f"{name}.py").write_text(textwrap.dedent(source))
    return directory


def step(number: str, table: str) -> str:
    """A migration creating ``table`` and logging its run in table ``ran`` (made by 0001)."""
    return f"""
        def up(migrator, db):
            db.execute_sql("CREATE TABLE {table} (id int)")
            db.execute_sql("INSERT INTO ran (migration) VALUES ('{number}')")


        def down(migrator, db):
            db.execute_sql("DROP TABLE {table}")
        """


FIRST = """
    def up(migrator, db):
        db.execute_sql("CREATE TABLE ran (migration text)")
        db.execute_sql("INSERT INTO ran (migration) VALUES ('0001')")


    def down(migrator, db):
        db.execute_sql("DROP TABLE ran")
    """


@pytest.fixture
def steps(tmp_path) -> Path:
    """Three small migrations: 0001 makes table ``ran``; 0002 and 0003 make t2 and t3."""
    return write_migrations(tmp_path / "migrations", {
        "0001_ran": FIRST, "0002_t2": step("0002", "t2"), "0003_t3": step("0003", "t3"),
    })


def query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            # No parameters: None, so that a literal % in plain SQL is left alone.
            cursor.execute(sql, params or None)
            return cursor.fetchall() if cursor.description else []
    finally:
        conn.close()


def tables(url: str) -> set[str]:
    rows = query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {name for name, in rows}


def history(url: str) -> list[str]:
    if "schema_migration" not in tables(url):
        return []
    return [name for name, in query(url, "SELECT name FROM schema_migration ORDER BY name")]


def ran(url: str) -> list[str]:
    return [m for m, in query(url, "SELECT migration FROM ran ORDER BY migration")]


def lock_session(url: str, application_name: str = "esdb-test") -> psycopg2.extensions.connection:
    conn = psycopg2.connect(url, application_name=application_name)
    conn.autocommit = True
    return conn


def assert_one_error_line(result: subprocess.CompletedProcess, *fragments: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


# -- the command -----------------------------------------------------------------------------

def test_help_explains_every_command_and_option(tmp_path):
    result = migrate("--help", cwd=tmp_path)
    assert result.returncode == 0
    for word in ("status", "up [TARGET]", "down [TARGET]", "fake [TARGET]", "plan", "check",
                 "create NAME", "grant-app-role ROLE", "doctor", "--database-url",
                 "DATABASE_URL", "--verbose", "--lock-timeout", "--directory", "examples:",
                 "rolling it back"):
        assert word in result.stdout, word


def test_no_command_applies_everything_once_with_durations(empty_db_url, tmp_path):
    first = migrate(url=empty_db_url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    applied = [APPLIED_LINE.match(line).group(1) for line in first.stdout.splitlines()]
    assert applied == PACKAGED
    again = migrate(url=empty_db_url, cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, "nothing to do.\n")
    assert history(empty_db_url) == PACKAGED
    status = migrate("status", url=empty_db_url, cwd=tmp_path)
    assert [line[:4] for line in status.stdout.splitlines()[:-1]] == ["[x] "] * len(PACKAGED)
    assert status.stdout.splitlines()[-1] == f"{len(PACKAGED)} applied, 0 pending, 0 edited"


def test_database_url_comes_from_the_environment(empty_db_url, tmp_path, steps):
    env_run = subprocess.run(
        [sys.executable, "-m", "everyskill_db.migrate", "--directory", str(steps)],
        cwd=tmp_path, text=True, capture_output=True, timeout=120,
        env={**os.environ, "DATABASE_URL": empty_db_url, "PYTHONPATH": PACKAGE_ROOT},
    )
    assert env_run.returncode == 0, env_run.stderr
    assert history(empty_db_url) == ["0001_ran", "0002_t2", "0003_t3"]


def test_plan_prints_the_sql_and_changes_nothing(empty_db_url, tmp_path):
    plan = migrate("plan", url=empty_db_url, cwd=tmp_path)
    assert plan.returncode == 0, plan.stderr
    assert [line[3:] for line in plan.stdout.splitlines() if line.startswith("-- ")] == PACKAGED
    assert "CREATE TABLE IF NOT EXISTS skill_feedback" in plan.stdout
    assert "SAVEPOINT" not in plan.stdout
    assert tables(empty_db_url) == set()
    # The printed SQL is runnable as it stands and builds what `up` builds.
    query(empty_db_url, plan.stdout)
    assert tables(empty_db_url) >= {"tenants", "skills", "skill_feedback", "benchmark_results"}


def test_check_is_a_deploy_gate(empty_db_url, tmp_path):
    pending = migrate("check", url=empty_db_url, cwd=tmp_path)
    assert pending.returncode == 1
    assert f"pending: {PACKAGED[0]}" in pending.stdout
    assert migrate(url=empty_db_url, cwd=tmp_path).returncode == 0
    clean = migrate("check", url=empty_db_url, cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout
    query(empty_db_url, "ALTER TABLE skill_feedback ADD COLUMN mood text")
    drifted = migrate("check", url=empty_db_url, cwd=tmp_path)
    assert drifted.returncode == 1
    assert "drop column skill_feedback.mood" in drifted.stdout


def test_up_down_fake_and_targets(empty_db_url, tmp_path, steps):
    def run(*args: str) -> subprocess.CompletedProcess:
        result = migrate("--directory", str(steps), *args, url=empty_db_url, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return result

    run()
    reverted = run("down", "0002_t2").stdout.splitlines()
    assert [line.split(" (")[0] for line in reverted] == ["reverted 0003_t3", "reverted 0002_t2"]
    assert history(empty_db_url) == ["0001_ran"] and not {"t2", "t3"} & tables(empty_db_url)
    run("up", "0002_t2")
    assert history(empty_db_url) == ["0001_ran", "0002_t2"]
    assert run("fake").stdout == "faked 0003_t3\n"
    assert "t3" not in tables(empty_db_url)
    assert history(empty_db_url) == ["0001_ran", "0002_t2", "0003_t3"]
    assert "(fake)" in run("status").stdout
    assert ran(empty_db_url) == ["0001", "0002", "0002", "0003"]
    (steps / "0003_t3.py").unlink()
    assert re.search(r"^\[\?\] 0003_t3 .* file missing$", run("status").stdout, re.M)


def test_create_writes_the_next_numbered_skeleton(tmp_path, steps):
    # No database is needed to write a file, even an unreachable one.
    result = migrate("create", "add archived flag", "--directory", str(steps),
                     url="postgresql://nobody@127.0.0.1:1/none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    created = steps / "0004_add_archived_flag.py"
    assert result.stdout.strip() == str(created)
    source = created.read_text()
    assert "def up(migrator, db):" in source and "def down(migrator, db):" in source
    compile(source, str(created), "exec")


# -- safety ----------------------------------------------------------------------------------

def test_a_failing_migration_leaves_schema_and_history_as_before_it(empty_db_url, tmp_path):
    directory = write_migrations(tmp_path / "migrations", {
        "0001_ran": FIRST,
        "0002_broken": """
            def up(migrator, db):
                db.execute_sql("CREATE TABLE half_done (id int)")
                db.execute_sql("ALTER TABLE ran ADD COLUMN note text")
                db.execute_sql("INSERT INTO no_such_table VALUES (1)")
            """,
    })
    result = migrate("--directory", str(directory), url=empty_db_url, cwd=tmp_path)
    line = assert_one_error_line(result, "0002_broken", "rolled back",
                                 "INSERT INTO no_such_table VALUES (1)", "no_such_table")
    assert "Traceback" not in result.stderr and line
    assert result.stdout.startswith("applied 0001_ran (")
    assert history(empty_db_url) == ["0001_ran"]
    assert tables(empty_db_url) == {"ran", "schema_migration"}
    columns = query(empty_db_url, "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = 'ran'")
    assert columns == [("migration",)]


def test_concurrent_runs_apply_each_migration_exactly_once(empty_db_url, tmp_path, steps):
    holder = lock_session(empty_db_url)
    holder.cursor().execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
    runs = [
        migrate("--directory", str(steps), url=empty_db_url, cwd=tmp_path,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    try:
        # Every run has found the lock taken and is waiting: they all start together.
        for run in runs:
            assert run.stderr.readline().startswith("waiting for the migration lock, held by pid")
    finally:
        holder.close()
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, outputs
    stdouts = [out for out, _ in outputs]
    assert stdouts.count("nothing to do.\n") == 3
    (applying,) = [out for out in stdouts if out != "nothing to do.\n"]
    assert [APPLIED_LINE.match(line).group(1) for line in applying.splitlines()] == [
        "0001_ran", "0002_t2", "0003_t3"]
    assert ran(empty_db_url) == ["0001", "0002", "0003"]
    assert history(empty_db_url) == ["0001_ran", "0002_t2", "0003_t3"]


def test_a_runner_that_gives_up_on_the_lock_names_the_holder(empty_db_url, tmp_path, steps):
    holder = lock_session(empty_db_url, application_name="esdb-test-holder")
    try:
        cursor = holder.cursor()
        cursor.execute("SELECT pg_advisory_lock(%s), pg_backend_pid()", (LOCK_KEY,))
        pid = cursor.fetchone()[1]
        result = migrate("--lock-timeout", "0.2", "--directory", str(steps),
                         url=empty_db_url, cwd=tmp_path)
    finally:
        holder.close()
    assert result.returncode == 2
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("error: gave up after 0.2s")
    assert f"pid {pid}" in error and "esdb-test-holder" in error and "connected since" in error
    assert tables(empty_db_url) == set()


def test_an_edited_applied_file_is_marked_and_blocks_up(empty_db_url, tmp_path, steps):
    assert migrate("--directory", str(steps), "up", "0002_t2",
                   url=empty_db_url, cwd=tmp_path).returncode == 0
    edited = steps / "0002_t2.py"
    edited.write_text(edited.read_text() + "\n# tweaked after the fact\n")
    status = migrate("--directory", str(steps), "status", url=empty_db_url, cwd=tmp_path)
    assert re.search(r"^\[!\] 0002_t2 .*EDITED after it was applied$", status.stdout, re.M)
    assert status.stdout.splitlines()[-1] == "2 applied, 1 pending, 1 edited"
    refused = migrate("--directory", str(steps), url=empty_db_url, cwd=tmp_path)
    assert_one_error_line(refused, "0002_t2", "changed after being applied")
    assert "t3" not in tables(empty_db_url)
    check = migrate("--directory", str(steps), "check", url=empty_db_url, cwd=tmp_path)
    assert check.returncode == 1 and "edited after it was applied: 0002_t2" in check.stdout


def test_a_history_table_of_the_stock_runner_is_extended(empty_db_url, steps):
    database = open_database(empty_db_url)
    with database.connection_context():
        Runner(database, str(steps)).up("0001_ran")
        runner = MigrationRunner(database, str(steps))
        assert [s.name for s in runner.status() if not s.pending] == ["0001_ran"]
        assert runner.up() == ["0002_t2", "0003_t3"]
        states = runner.status()
    assert [(s.name, s.method, bool(s.recorded_checksum)) for s in states] == [
        ("0001_ran", "run", False), ("0002_t2", "run", True), ("0003_t3", "run", True)]


def test_a_process_killed_mid_migration_leaves_nothing_and_a_rerun_applies(
    empty_db_url, tmp_path
):
    directory = write_migrations(tmp_path / "migrations", {
        "0001_ran": FIRST,
        "0002_slow": """
            import sys


            def up(migrator, db):
                db.execute_sql("CREATE TABLE slow (id int)")
                db.execute_sql("INSERT INTO ran (migration) VALUES ('0002')")
                print("inside 0002", flush=True)
                sys.stdin.readline()  # the test kills the process here
            """,
    })
    child = migrate("--directory", str(directory), url=empty_db_url, cwd=tmp_path,
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout.readline().startswith("applied 0001_ran (")
    assert child.stdout.readline() == "inside 0002\n"
    child.kill()
    child.communicate(timeout=60)
    # The dead client's session ends server-side, rolling back and releasing the lock.
    waiter = lock_session(empty_db_url)
    waiter.cursor().execute("SET lock_timeout = '60s'; SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
    try:
        assert "slow" not in tables(empty_db_url)
        assert history(empty_db_url) == ["0001_ran"] and ran(empty_db_url) == ["0001"]
    finally:
        waiter.close()
    rerun = migrate("--directory", str(directory), url=empty_db_url, cwd=tmp_path,
                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert out.splitlines()[-1].startswith("applied 0002_slow (")
    assert history(empty_db_url) == ["0001_ran", "0002_slow"] and ran(empty_db_url) == [
        "0001", "0002"]


# -- a database migrated by the original TypeScript runner -----------------------------------

LEGACY_LEDGER_ROWS = [
    "0001_initial.sql", "0025_multi_tenancy.sql", "0030_create_skill_feedback.sql",
    "0031_create_token_measurements.sql", "0032_create_benchmark_tables.sql",
    "0033_add_feedback_aggregates_to_skills.sql",
]


def make_legacy_ledger(url: str, rows: list[str]) -> None:
    values = ", ".join(["(%s)"] * len(rows))
    query(url, "CREATE TABLE _applied_migrations (id serial PRIMARY KEY, name text NOT NULL "
          "UNIQUE, applied_at timestamptz NOT NULL DEFAULT now()); "
          f"INSERT INTO _applied_migrations (name) VALUES {values}", tuple(rows))


def test_a_typescript_migrated_database_is_adopted_not_migrated_again(empty_db_url, tmp_path):
    # The legacy schema: what the migrations through 0033 create, applied as plain SQL,
    # plus the TypeScript runner's ledger (foundation under its own names, then 0030-0033).
    through = "0033_add_feedback_aggregates_to_skills"
    legacy_sql = migrate("plan", through, url=empty_db_url, cwd=tmp_path)
    assert legacy_sql.returncode == 0, legacy_sql.stderr
    query(empty_db_url, legacy_sql.stdout)
    make_legacy_ledger(empty_db_url, LEGACY_LEDGER_ROWS)
    legacy_tables = tables(empty_db_url)

    before = migrate("status", url=empty_db_url, cwd=tmp_path)
    assert "(legacy)" in before.stdout and "[ ] 0034" in before.stdout
    result = migrate("--verbose", url=empty_db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    adopted = PACKAGED[: PACKAGED.index(through) + 1]
    assert [line for line in result.stdout.splitlines() if line.startswith("adopted")] == [
        f"adopted {name}" for name in adopted]
    assert [m.group(1) for m in map(APPLIED_LINE.match, result.stdout.splitlines()) if m] == [
        name for name in PACKAGED if name not in adopted]
    # Nothing the legacy runner made was made again (--verbose echoes every statement).
    echoed = [line for line in result.stderr.splitlines() if "schema_migration" not in line]
    assert echoed and not [
        line for line in echoed if re.search(r"CREATE (TABLE|TYPE|INDEX)|ADD COLUMN", line)]
    assert tables(empty_db_url) == legacy_tables | {"schema_migration"}
    assert history(empty_db_url) == PACKAGED
    assert migrate("check", url=empty_db_url, cwd=tmp_path).returncode == 0


def test_a_legacy_ledger_without_the_foundation_is_refused(empty_db_url, tmp_path):
    make_legacy_ledger(empty_db_url, ["0030_create_skill_feedback.sql"])
    result = migrate(url=empty_db_url, cwd=tmp_path)
    assert_one_error_line(result, "_applied_migrations", "tenants", "refusing to guess")
    assert tables(empty_db_url) == {"_applied_migrations"}


# -- bad input: one line on stderr, exit 2, nothing changed --------------------------------

BAD_DIRECTORIES = {
    "unknown target": ({"0001_ran": FIRST}, ["up", "0009_nope"], ["0009_nope"]),
    "two files, one number": (
        {"0001_ran": FIRST, "0002_a": step("0002", "a"), "0002_b": step("0002", "b")},
        [], ["0002_a.py", "0002_b.py", "share the number 2"],
    ),
    "no up()": ({"0001_ran": FIRST, "0002_empty": "def down(migrator, db):\n    pass\n"},
                [], ["0002_empty", "up()"]),
    "syntax error": ({"0001_ran": FIRST, "0002_typo": "def up(migrator, db)\n    pass\n"},
                     [], ["0002_typo.py", "syntax error on line 1"]),
}


@pytest.mark.parametrize("case", sorted(BAD_DIRECTORIES))
def test_bad_migrations_are_refused_before_anything_runs(case, empty_db_url, tmp_path):
    files, args, fragments = BAD_DIRECTORIES[case]
    directory = write_migrations(tmp_path / "migrations", files)
    result = migrate("--directory", str(directory), *args, url=empty_db_url, cwd=tmp_path)
    assert_one_error_line(result, *fragments)
    assert tables(empty_db_url) == set()


def test_a_missing_migrations_directory_is_one_line(empty_db_url, tmp_path):
    result = migrate("--directory", str(tmp_path / "nowhere"), url=empty_db_url, cwd=tmp_path)
    assert_one_error_line(result, str(tmp_path / "nowhere"), "does not exist")


def test_an_unreachable_database_is_one_line_without_the_password(tmp_path):
    url = "postgresql://operator:hunter2-secret@127.0.0.1:1/everyskill"
    result = migrate("status", url=url, cwd=tmp_path)
    line = assert_one_error_line(result, "operator:***@127.0.0.1:1/everyskill")
    assert "hunter2" not in result.stdout + result.stderr and line


def test_usage_errors_exit_2(tmp_path):
    assert migrate("frobnicate", cwd=tmp_path).returncode == 2
    assert migrate("--lock-timeout", "-1", "status", cwd=tmp_path).returncode == 2


# -- the tenancy verbs (their semantics are tested in test_tenancy*; here the wiring) --------

def test_grant_app_role_and_doctor(migrated_db_url, make_role, role_url, tmp_path):
    as_owner = migrate("doctor", url=migrated_db_url, cwd=tmp_path)
    assert as_owner.returncode == 1 and "superuser" in as_owner.stdout
    role, password = make_role()
    try:
        granted = migrate("grant-app-role", role, url=migrated_db_url, cwd=tmp_path)
        assert granted.returncode == 0, granted.stderr
        as_app = migrate("doctor", url=role_url(migrated_db_url, role, password), cwd=tmp_path)
    finally:
        # The grants live in a session-wide database that outlives the role's fixture.
        query(migrated_db_url, f'DROP OWNED BY "{role}"')
    assert as_app.returncode == 0, as_app.stdout + as_app.stderr
    assert password not in as_owner.stdout + granted.stdout + as_app.stdout
