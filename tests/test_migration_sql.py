"""A migration, once written, runs the same SQL forever.

    pytest tests/test_migration_sql.py                       # compare
    pytest tests/test_migration_sql.py --update-snapshots    # (re)write tests/migration_sql/

``tests/migration_sql/<migration>.sql`` holds, for each migration file, the SQL that
``MigrationRunner(db).plan()`` (what ``python -m everyskill_db.migrate plan`` prints) runs
for it on an empty database. A test fails when the planned SQL of a migration differs from
its snapshot, when a migration has none yet, and when a snapshot has no migration.

The snapshots live under tests/, not beside the migrations: ``migrations/`` is installed as
the package ``everyskill_db.migrations``, and the original TypeScript runner named its
migration files ``NNNN_name.sql``, so .sql files there would read as migrations.

The second half scans the migration files themselves: frozen files execute literal SQL or
peewee's own migrator operations only, never code of this package, so that editing
``everyskill_db`` cannot change what an old migration does.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
from playhouse.migrate import PostgresqlMigrator

from everyskill_db.database import open_database
from everyskill_db.rls import EverySkillMigrator
from everyskill_db.runner import MigrationRunner, file_checksum, migrations_directory

SNAPSHOTS = Path(__file__).parent / "migration_sql"
UPDATE = "pytest tests/test_migration_sql.py --update-snapshots"
HEADER = (
    "-- {name}\n"
    "-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.\n"
    f"-- Generated, never edited by hand: {UPDATE}\n"
)

MIGRATIONS = sorted(
    (path.stem, path) for path in Path(migrations_directory()).glob("[0-9]*.py")
)


def render(name: str, statements: list[str]) -> str:
    """One snapshot file: a header, then every statement verbatim, each ended by ';'."""
    return HEADER.format(name=name) + "".join(f"\n{sql};\n" for sql in statements)


@pytest.fixture(scope="module")
def planned(create_database, update_snapshots) -> dict[str, str]:
    """migration name -> its rendered plan on an empty database (written out under
    --update-snapshots, stale snapshots removed)."""
    database = open_database(create_database())
    with database.connection_context():
        plan = MigrationRunner(database).plan()
    database.close()
    rendered = {name: render(name, statements) for name, statements in plan}
    if update_snapshots:
        SNAPSHOTS.mkdir(exist_ok=True)
        for stale in set(SNAPSHOTS.glob("*.sql")) - {SNAPSHOTS / f"{n}.sql" for n in rendered}:
            stale.unlink()
        for name, text in rendered.items():
            (SNAPSHOTS / f"{name}.sql").write_text(text, encoding="utf-8")
    return rendered


def test_every_migration_is_planned(planned):
    assert list(planned) == [name for name, _ in MIGRATIONS]


@pytest.mark.parametrize("name", [name for name, _ in MIGRATIONS])
def test_planned_sql_matches_snapshot(planned, name):
    snapshot = SNAPSHOTS / f"{name}.sql"
    if not snapshot.exists():
        pytest.fail(f"{name} has no SQL snapshot {snapshot.name} yet: run {UPDATE}", pytrace=False)
    stored = snapshot.read_text(encoding="utf-8")
    if planned[name] != stored:
        pytest.fail(
            f"the SQL planned for {name} differs from tests/migration_sql/{snapshot.name}: an "
            "applied migration must run the same SQL forever. If the change is in a helper it "
            "calls, freeze the old SQL in the file as a literal; if the migration is new and "
            f"not applied anywhere yet, run {UPDATE}.\n"
            + _diff(stored, planned[name]),
            pytrace=False,
        )


def test_no_snapshot_without_its_migration():
    names = {name for name, _ in MIGRATIONS}
    stale = sorted(path.name for path in SNAPSHOTS.glob("*.sql") if path.stem not in names)
    assert stale == [], f"snapshots of no migration: {stale}; run {UPDATE}"


def _diff(old: str, new: str) -> str:
    import difflib

    return "".join(difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), "snapshot", "planned"
    ))


# --- the migration files themselves ------------------------------------------------------

# Operations our migrator adds to playhouse's: their SQL is the package's current code.
PACKAGE_ONLY_OPERATIONS = sorted(
    name for name in vars(EverySkillMigrator)
    if not name.startswith("_") and not hasattr(PostgresqlMigrator, name)
)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize(("name", "path"), MIGRATIONS, ids=[name for name, _ in MIGRATIONS])
def test_migration_uses_no_package_code(name, path):
    tree = _tree(path)
    imports = [
        alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    ]
    assert [i for i in imports if i.split(".")[0] == "everyskill_db"] == []
    calls = sorted({
        node.attr for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in PACKAGE_ONLY_OPERATIONS
    })
    assert calls == [], (
        f"{name} calls {calls}, whose SQL changes with the package: write that SQL in the "
        "file as a literal (migrator.sql(...)); tests/migration_sql/ has it as it runs today"
    )


def test_the_scan_knows_the_package_operations():
    assert {"enable_row_level_security", "create_tenant_policy"} <= set(PACKAGE_ONLY_OPERATIONS)


def _previous_checksums(path: Path) -> tuple | None:
    for node in _tree(path).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "PREVIOUS_CHECKSUMS"
            for target in node.targets
        ):
            return ast.literal_eval(node.value)
    return None


@pytest.mark.parametrize(("name", "path"), MIGRATIONS, ids=[name for name, _ in MIGRATIONS])
def test_previous_checksums_are_sha256_of_other_bytes(name, path):
    """A file rewritten without changing its SQL lists the sha256 of its earlier bytes, so
    that a database which applied the earlier file does not count it as edited."""
    previous = _previous_checksums(path)
    if previous is None:
        return
    assert isinstance(previous, tuple) and previous
    for checksum in previous:
        assert re.fullmatch(r"[0-9a-f]{64}", checksum), checksum
    assert file_checksum(os.fspath(path)) not in previous
