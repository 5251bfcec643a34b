"""The migration runner: playhouse's Runner made safe for production.

    from everyskill_db.database import open_database
    from everyskill_db.runner import MigrationRunner

    runner = MigrationRunner(open_database("postgresql://owner@db/everyskill"))
    runner.up()                                   # apply everything pending
    for state in runner.status():
        print(state.name, state.applied, "EDITED" if state.edited else "")

Migrations are the numbered files of ``migrations_directory()``: the package
``everyskill_db.migrations`` once installed (setup.cfg maps the repository's top-level
``migrations/`` onto it), else the ``migrations/`` beside the package in a checkout.

What this adds to ``playhouse.migrations.Runner`` (whose planning and history it reuses):

- one migration, one transaction: a failure rolls that migration back, history included,
  and the MigrationError names the migration and the statement that failed;
- a session-level advisory lock held for the whole run, so concurrent runners apply each
  migration once; the wait is bounded by ``lock_timeout`` and a runner that gives up names
  the holder (pid, application_name, client, connected since);
- the sha256 of each file, its duration and how it got there (run, fake, legacy) in the
  history table; ``up`` refuses to run while an applied file has been edited;
- adoption of a database migrated by the original TypeScript runner (see LEGACY_LEDGER);
- ``plan()``: the SQL ``up`` would run, found by running it and rolling back;
- ``check(models)``: pending, edited or missing files and model drift, for a deploy gate.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.util
import os
import re
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Callable, NamedTuple

import peewee
from peewee import CharField, FloatField
from playhouse.migrations import Migration, Runner
from playhouse.migrations import MigrationError as PlayhouseMigrationError
from playhouse.schema_diff import diff_models

from everyskill_db.errors import MigrationError, MigrationLockTimeout
from everyskill_db.rls import EverySkillMigrator

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "HISTORY_TABLE",
    "LEGACY_LEDGER",
    "LOCK_KEY",
    "MigrationRunner",
    "MigrationState",
    "migrations_directory",
]

HISTORY_TABLE = "schema_migration"
DEFAULT_LOCK_TIMEOUT = 60.0  # seconds

# One key per database for every runner of this package ("ESDB"). Below 2**31, so pg_locks
# shows it as classid 0, objid LOCK_KEY, objsubid 1 (the bigint form).
LOCK_KEY = 0x45534442

# The original TypeScript runner recorded applied files here, one row per file, with the
# file name (``0030_create_skill_feedback.sql``) in a ``name`` column.
#
# Adoption rule, applied only while our history table does not exist yet (afterwards our
# history is the record, so a later ``down`` is not undone by the ledger):
# - a migration whose name (without ``.sql``) is in the ledger counts as applied;
# - every migration numbered below the first one so recognised counts as applied too: the
#   TypeScript stack created the foundation under other names. That is only believed when
#   the foundation tables exist; otherwise the run stops rather than guess.
# Adopted migrations are recorded in our history with method "legacy"; none of them runs.
LEGACY_LEDGER = "_applied_migrations"
LEGACY_NAME_COLUMNS = ("name", "filename", "migration_name")
LEGACY_FOUNDATION_TABLES = ("tenants", "users", "skills", "skill_versions", "usage_events")

LOCK_NOT_AVAILABLE = "55P03"  # SQLSTATE of a lock wait cut short by lock_timeout
STATEMENT_PREVIEW = 240  # characters of a failing statement quoted in an error

MIGRATION_TEMPLATE = '''\
"""{name}"""


def up(migrator, db):
    # migrator.migrate(migrator.sql("ALTER TABLE skills ADD COLUMN IF NOT EXISTS ..."))
    pass


def down(migrator, db):
    pass
'''

Notify = Callable[[str, str, "float | None"], None]


def migrations_directory() -> str:
    """The directory holding the packaged migrations, from any working directory."""
    try:
        spec = importlib.util.find_spec("everyskill_db.migrations")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return next(iter(spec.submodule_search_locations))
    # A source checkout without an install: migrations/ sits beside the package.
    package_dir = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(os.path.dirname(package_dir), "migrations")


def file_checksum(path: str) -> str:
    """sha256 of a migration file's bytes, as stored in the history table."""
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def load_migration(name: str, path: str) -> Any:
    """Import one migration file; a file that cannot be imported is a MigrationError."""
    try:
        return Migration(0, name, path, None).load()
    except SyntaxError as exc:
        raise MigrationError(
            f"{os.path.basename(path)}: syntax error on line {exc.lineno}: {exc.msg}"
        ) from None
    except Exception as exc:
        raise MigrationError(
            f"{os.path.basename(path)} cannot be imported: {type(exc).__name__}: {exc}"
        ) from None


class MigrationState(NamedTuple):
    """A migration file and its history row, merged; what ``status()`` returns.

    Field order extends playhouse's Migration tuple (idx, name, path, applied)."""

    idx: int
    name: str
    path: str | None  # None: applied, but the file is gone
    applied: datetime.datetime | None  # None: pending
    checksum: str | None = None  # of the file as it is now
    recorded_checksum: str | None = None  # of the file when it was applied
    duration: float | None = None  # seconds
    method: str | None = None  # run, fake or legacy

    @property
    def pending(self) -> bool:
        return self.applied is None

    @property
    def edited(self) -> bool:
        """Applied, and the file changed since (unknown for rows written without a checksum)."""
        return bool(
            self.applied and self.checksum and self.recorded_checksum
            and self.checksum != self.recorded_checksum
        )

    def load(self) -> Any:
        return load_migration(self.name, self.path)


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


_TRANSACTION_CONTROL = re.compile(
    r"\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)\b", re.IGNORECASE
)
_SECRET_LITERAL = re.compile(r"(PASSWORD\s+)'(?:[^']|'')*'", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")


def _preview(sql: str) -> str:
    """A statement fit for one line of an error: blanks collapsed, secrets hidden, cut short."""
    text = " ".join(sql.split())
    text = _URL_PASSWORD.sub(r"\1***@", _SECRET_LITERAL.sub(r"\1'***'", text))
    if len(text) > STATEMENT_PREVIEW:
        text = text[: STATEMENT_PREVIEW - 3] + "..."
    return text


class _RollBack(Exception):
    """Raised inside plan() to roll back the migrations it ran."""


class MigrationRunner(Runner):
    """playhouse.migrations.Runner bound to EverySkill's migrations and migrator.

    ``notify(event, subject, seconds)`` is called as the run goes: events "applied",
    "reverted", "faked" and "adopted" with a migration name and its duration (None when
    nothing ran), and "waiting" with a description of the lock holder.
    """

    def __init__(
        self,
        database: Any,
        directory: str | None = None,
        table_name: str = HISTORY_TABLE,
        schema: str | None = None,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        notify: Notify | None = None,
    ) -> None:
        super().__init__(database, directory or migrations_directory(), table_name, schema)
        self.migrator = EverySkillMigrator(database, schema=schema)
        self.lock_timeout = lock_timeout
        self.notify = notify or (lambda event, subject, seconds: None)
        self._lock_depth = 0
        self._statements: list[tuple[str, Any, Exception | None]] = []
        self._plan: list[tuple[str, list[str]]] | None = None

        runner = self

        class History(self.History):
            checksum = CharField(max_length=64, null=True)
            duration = FloatField(null=True)
            method = CharField(max_length=8, default="run")

            class Meta:
                legacy_table_names = False
                table_name = self.table_name
                schema = self.schema

            @classmethod
            def create_table(cls, safe: bool = True, **options: Any) -> None:
                # The stock Runner.up() calls this once its plan is validated and before its
                # first write: the moment to bring an older history table up to date and to
                # record the migrations adopted from a legacy ledger, in one transaction.
                with runner.database.atomic():
                    adopted = runner._legacy_applied() if not cls.table_exists() else {}
                    super().create_table(safe=True, **options)
                    runner._add_missing_history_columns()
                    for name in sorted(adopted):
                        runner._record(name, runner._path_of(name), None, "legacy")
                if runner._plan is None:
                    for name in sorted(adopted):
                        runner.notify("adopted", name, None)

        self.History = History

    # -- reading ---------------------------------------------------------------------------

    def migrations(self) -> list[Migration]:
        if not os.path.isdir(self.directory):
            raise MigrationError(f"migrations directory {self.directory} does not exist")
        found = Migration.load_directory(self.directory)
        by_number: dict[int, list[str]] = {}
        for migration in found:
            by_number.setdefault(migration.idx, []).append(migration.name)
        for number, names in sorted(by_number.items()):
            if len(names) > 1:
                raise MigrationError(
                    f"migrations {', '.join(n + '.py' for n in names)} in {self.directory} "
                    f"share the number {number}; renumber one of them"
                )
        return found

    def status(self) -> list[MigrationState]:
        """Files and history merged, in numeric order; see MigrationState."""
        history = self._history()
        states = []
        for migration in self.migrations():
            row = history.pop(migration.name, {})
            states.append(MigrationState(
                migration.idx, migration.name, migration.path, row.get("applied"),
                file_checksum(migration.path), row.get("checksum"), row.get("duration"),
                row.get("method"),
            ))
        for name, row in history.items():
            states.append(MigrationState(
                _index(name), name, None, row.get("applied"), None, row.get("checksum"),
                row.get("duration"), row.get("method"),
            ))
        return sorted(states, key=lambda state: (state.idx, state.name))

    def applied(self) -> dict[str, datetime.datetime]:
        return {name: row["applied"] for name, row in self._history().items()}

    def _history(self) -> dict[str, dict[str, Any]]:
        if not self.History.table_exists():
            now = datetime.datetime.now()
            return {name: {"applied": now, "method": "legacy"} for name in self._legacy_applied()}
        # A table written by the stock Runner lacks our columns until the next up().
        present = self._history_columns()
        fields = [f for f in self.History._meta.sorted_fields if f.column_name in present]
        return {row["name"]: row for row in self.History.select(*fields).dicts()}

    def _history_columns(self) -> set[str]:
        return {c.name for c in self.database.get_columns(self.table_name, self.schema)}

    def _path_of(self, name: str) -> str | None:
        path = os.path.join(self.directory, name + ".py")
        return path if os.path.exists(path) else None

    # -- legacy adoption (see LEGACY_LEDGER) -----------------------------------------------

    def _legacy_applied(self) -> set[str]:
        if not self.database.table_exists(LEGACY_LEDGER, self.schema):
            return set()
        columns = {c.name for c in self.database.get_columns(LEGACY_LEDGER, self.schema)}
        column = next((c for c in LEGACY_NAME_COLUMNS if c in columns), None)
        if column is None:
            raise MigrationError(
                f"legacy ledger {LEGACY_LEDGER} has none of the columns "
                f"{', '.join(LEGACY_NAME_COLUMNS)}; cannot tell what it applied"
            )
        ledger = peewee.Table(LEGACY_LEDGER, schema=self.schema).bind(self.database)
        names = {
            os.path.splitext(os.path.basename(str(value)))[0]
            for value, in ledger.select(peewee.Column(ledger, column)).tuples()
        }
        files = self.migrations()
        recognised = [m for m in files if m.name in names]
        if not recognised:
            return set()
        first = min(m.idx for m in recognised)
        foundation = [m for m in files if m.idx < first]
        missing = [
            t for t in LEGACY_FOUNDATION_TABLES if not self.database.table_exists(t, self.schema)
        ]
        if foundation and missing:
            raise MigrationError(
                f"{LEGACY_LEDGER} lists {recognised[0].name} but the foundation tables "
                f"{', '.join(missing)} are missing; refusing to guess which of "
                f"{', '.join(m.name for m in foundation)} were applied"
            )
        return {m.name for m in recognised + foundation}

    def _add_missing_history_columns(self) -> None:
        present = self._history_columns()
        missing = [
            f for f in self.History._meta.sorted_fields if f.column_name not in present
        ]
        self.migrator.migrate(*(
            self.migrator.add_column(self.table_name, f.column_name, f) for f in missing
        ))

    # -- writing ---------------------------------------------------------------------------

    def up(self, target: str | None = None, fake: bool = False) -> list[str]:
        """Apply pending migrations in order (through ``target``), under the lock."""
        with self.locked(), _as_our_error():
            edited = [s.name for s in self.status() if s.edited]
            if edited:
                raise MigrationError(
                    f"refusing to migrate: {', '.join(edited)} changed after being applied "
                    "(checksum differs); restore the file, or put the change in a new migration"
                )
            return super().up(target, fake)

    def down(self, target: str | None = None) -> list[str]:
        """Revert the latest migration, or every one back through ``target``, under the lock."""
        with self.locked(), _as_our_error():
            # Record any adoption first: down() must find the rows it deletes.
            self.History.create_table()
            return super().down(target)

    def plan(self, target: str | None = None) -> list[tuple[str, list[str]]]:
        """The SQL ``up(target)`` would run, per migration, with parameters inlined.

        Found by really running the pending migrations inside one transaction, under the
        lock, then rolling it back: so migrations that look at the schema plan exactly what
        they would do. Nothing is changed."""
        self._plan = []
        try:
            with self.locked():
                try:
                    with self.database.atomic():
                        self.up(target)
                        raise _RollBack
                except _RollBack:
                    pass
            return self._plan
        finally:
            self._plan = None

    def check(self, models: Iterable[Any]) -> list[str]:
        """Why a deploy should wait: pending, edited or missing migrations, model drift.

        An empty list means the database is up to date and matches ``models``."""
        problems = []
        for state in self.status():
            if state.pending:
                problems.append(f"pending: {state.name}")
            elif state.path is None:
                problems.append(f"applied but its file is missing: {state.name}")
            elif state.edited:
                problems.append(f"edited after it was applied: {state.name}")
        drift = diff_models(self.database, list(models))
        problems.extend(f"models differ from the database: {line}"
                        for line in str(drift).splitlines())
        return problems

    def create(self, name: str = "", body: str | None = None) -> str:
        return super().create(name, body or MIGRATION_TEMPLATE.format(name=name))

    def _run(self, name: str, module: Any, direction: str, fake: bool = False) -> None:
        path = getattr(module, "__file__", None)
        if fake:
            self._record(name, path, None, "fake")
            self.notify("faked", name, None)
            return
        atomic = getattr(module, "atomic", True)
        self._statements = []
        self.database.query_hooks.append(self._capture)
        started = time.perf_counter()
        try:
            with self.migrator.migration_context(atomic):
                getattr(module, direction)(self.migrator, self.database)
                self.database.query_hooks.remove(self._capture)
                seconds = time.perf_counter() - started
                if direction == "up":
                    self._record(name, path, seconds, "run")
                else:
                    self.History.delete().where(self.History.name == name).execute()
        except Exception as exc:
            raise MigrationError(self._failure(name, direction, atomic, exc)) from exc
        finally:
            if self._capture in self.database.query_hooks:
                self.database.query_hooks.remove(self._capture)
        if self._plan is not None:
            self._plan.append((name, [self._render(sql, p) for sql, p, _ in self._statements]))
        else:
            self.notify("applied" if direction == "up" else "reverted", name, seconds)

    def _record(self, name: str, path: str | None, seconds: float | None, method: str) -> None:
        checksum = file_checksum(path) if path else None
        self.History.create(name=name, checksum=checksum, duration=seconds, method=method)

    def _capture(self, event: peewee.QueryEvent) -> None:
        # Savepoints come from the runner's own transactions, not from the migration.
        if not _TRANSACTION_CONTROL.match(event.sql):
            self._statements.append((event.sql, event.params, event.exception))

    def _render(self, sql: str, params: Any) -> str:
        # peewee executes every statement with a parameter tuple, so psycopg2 %-formats even
        # a statement without parameters; mogrify() does the same, giving the SQL as it ran.
        return self.database.cursor().mogrify(sql, params or ()).decode()

    def _failure(self, name: str, direction: str, atomic: bool, exc: Exception) -> str:
        failed = next((sql for sql, _, error in reversed(self._statements) if error), None)
        where = f"; statement: {_preview(failed)}" if failed else ""
        outcome = (
            "rolled back, nothing of it was applied" if atomic
            else "NOT rolled back (atomic = False): check the schema by hand"
        )
        return f"{name} ({direction}) failed and was {outcome}: {_first_line(exc)}{where}"

    # -- the advisory lock -----------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the migration lock of this database (re-entrant within this runner)."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        database = self.database
        database.connect(reuse_if_open=True)
        previous_name = self._setting("application_name")
        self._set("application_name", f"everyskill_db.migrate {socket.gethostname()}:{os.getpid()}")
        try:
            self._acquire()
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0
                self._quietly("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        finally:
            self._quietly("SELECT set_config('application_name', %s, false)", (previous_name,))

    def _acquire(self) -> None:
        database = self.database
        if database.execute_sql("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0]:
            return
        self.notify("waiting", self.lock_holder(), None)
        # Wait server-side: lock_timeout bounds pg_advisory_lock like any other lock wait.
        previous_timeout = self._setting("lock_timeout")
        self._set("lock_timeout", f"{max(1, round(self.lock_timeout * 1000))}ms")
        try:
            database.execute_sql("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        except peewee.DatabaseError as exc:
            if getattr(getattr(exc, "orig", None), "pgcode", None) != LOCK_NOT_AVAILABLE:
                raise
            raise MigrationLockTimeout(
                f"gave up after {self.lock_timeout:g}s (--lock-timeout) waiting for the "
                f"migration lock of database {database.database}, held by {self.lock_holder()}"
            ) from None
        finally:
            self._set("lock_timeout", previous_timeout)

    def lock_holder(self) -> str:
        """Who holds this database's migration lock, from pg_locks and pg_stat_activity."""
        row = self.database.execute_sql(
            """
            SELECT a.pid, a.application_name, a.client_addr, a.backend_start
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid = 0 AND l.objid = %s AND l.objsubid = 1
            """,
            (LOCK_KEY,),
        ).fetchone()
        if row is None:
            return "a session that has released it since"
        pid, application, client, since = row
        since_text = since.isoformat(sep=" ", timespec="seconds") if since else "unknown"
        return (
            f"pid {pid} (application_name {application or '-'!r}, "
            f"client {client or 'local socket'}, connected since {since_text})"
        )

    def _setting(self, name: str) -> str:
        return self.database.execute_sql("SELECT current_setting(%s)", (name,)).fetchone()[0]

    def _set(self, name: str, value: str) -> None:
        self.database.execute_sql("SELECT set_config(%s, %s, false)", (name, value))

    def _quietly(self, sql: str, params: tuple) -> None:
        # Cleanup after a lost connection must not hide the error that ended the run; the
        # server drops a dead session's advisory lock and settings by itself.
        try:
            self.database.execute_sql(sql, params)
        except (peewee.DatabaseError, peewee.InterfaceError):
            pass


def _index(name: str) -> int:
    match = re.match(r"\d+", name)
    return int(match.group()) if match else -1


@contextmanager
def _as_our_error() -> Iterator[None]:
    # The stock Runner raises playhouse's MigrationError (unknown target, no up()); ours
    # derives from it and from EverySkillDBError, so callers need one except clause.
    try:
        yield
    except MigrationError:
        raise
    except PlayhouseMigrationError as exc:
        raise MigrationError(str(exc)) from None
