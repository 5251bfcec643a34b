"""Test fixtures: a real PostgreSQL, throwaway databases and roles, model factories.

The server comes from, in this order:
1. EVERYSKILL_TEST_DATABASE_URL, a superuser URL of an existing server;
2. pytest-docker running postgres:16 from tests/docker-compose.yml, when a Docker engine answers;
3. the embedded server (pgserver) in a temporary directory.
If none works the session fails and says so; it never passes by skipping.

Every database and role a session makes has a unique name and is dropped at the end, so
two sessions (tox -p) can share one server.
"""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
import subprocess
import tempfile
import uuid
import warnings
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg2
import pytest

import everyskill_db
from everyskill_db import models

NO_SERVER = (
    "no PostgreSQL for the tests: set EVERYSKILL_TEST_DATABASE_URL to a superuser URL "
    "(e.g. postgresql://postgres@127.0.0.1:5432/postgres), or start a Docker engine "
    "(pytest-docker runs postgres:16 from tests/docker-compose.yml), or install the "
    "embedded server (pip install -e '.[test]' on Python < 3.13)"
)

RUN_TAG = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"


def _answers(url: str) -> bool:
    try:
        psycopg2.connect(url, connect_timeout=5).close()
    except psycopg2.OperationalError:
        return False
    return True


def _docker_engine_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        probe = subprocess.run(["docker", "info"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def _docker_url(request: pytest.FixtureRequest) -> str:
    services = request.getfixturevalue("docker_services")
    port = services.port_for("postgres", 5432)
    url = f"postgresql://postgres:postgres@{request.getfixturevalue('docker_ip')}:{port}/postgres"
    services.wait_until_responsive(timeout=60.0, pause=0.5, check=lambda: _answers(url))
    return url


@pytest.fixture(scope="session")
def pg_admin_url(request: pytest.FixtureRequest):
    """A superuser URL of the server the whole session uses."""
    url = os.environ.get("EVERYSKILL_TEST_DATABASE_URL")
    if url:
        if not _answers(url):
            pytest.fail(
                f"EVERYSKILL_TEST_DATABASE_URL={everyskill_db.database.mask_url(url)} does not "
                f"answer. {NO_SERVER}",
                pytrace=False,
            )
        yield url
        return
    if _docker_engine_answers():
        yield _docker_url(request)
        return
    # A short path: the server's unix socket lives in it, and socket paths are short.
    data_dir = tempfile.mkdtemp(prefix="esdb-", dir="/tmp")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' XDG_RUNTIME_DIR warning, harmless
        try:
            import pgserver
        except ImportError:
            pytest.fail(NO_SERVER, pytrace=False)
        server = pgserver.get_server(data_dir, cleanup_mode="delete")
    try:
        yield f"postgresql://postgres@/postgres?host={quote(str(server.pgdata), safe='/')}"
    finally:
        server.cleanup()


def database_url(admin_url: str, name: str) -> str:
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path="/" + name))


def _role_url(db_url: str, role: str, password: str) -> str:
    parts = urlsplit(db_url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{role}:{quote(password, safe='')}@{host}"))


@pytest.fixture(scope="session")
def role_url():
    """``role_url(db_url, role, password)``: the URL of ``db_url`` logged in as ``role``."""
    return _role_url


@pytest.fixture(scope="session")
def named_database_url(pg_admin_url):
    """``named_database_url(name)``: the URL of database ``name`` on the test server."""
    return lambda name: database_url(pg_admin_url, name)


def _admin_execute(admin_url: str, *statements: str) -> None:
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True  # CREATE/DROP DATABASE refuse to run in a transaction
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


@pytest.fixture(scope="session")
def _made(pg_admin_url):
    """What the session made on the server; at the end its databases are dropped first, so
    the grants in them go too, and then its roles."""
    made = {"databases": [], "roles": []}
    yield made
    for name in made["databases"]:
        _admin_execute(pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for role in made["roles"]:
        _admin_execute(pg_admin_url, f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture(scope="session")
def create_database(pg_admin_url, _made):
    """Factory of empty, uniquely named databases; all dropped when the session ends."""
    counter = itertools.count()

    def create() -> str:
        name = f"esdb_test_{RUN_TAG}_{next(counter)}"
        _admin_execute(pg_admin_url, f'CREATE DATABASE "{name}"')
        _made["databases"].append(name)
        return database_url(pg_admin_url, name)

    return create


@pytest.fixture(scope="session")
def make_role(pg_admin_url, _made):
    """Factory of fresh LOGIN roles, neither superuser nor owner of anything; dropped when
    the session ends."""
    counter = itertools.count()

    def make() -> tuple[str, str]:
        role = f"esdb_app_{RUN_TAG}_{next(counter)}"
        password = secrets.token_urlsafe(16)
        _admin_execute(
            pg_admin_url,
            f"CREATE ROLE \"{role}\" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE "
            f"PASSWORD '{password}'",
        )
        _made["roles"].append(role)
        return role, password

    return make


@pytest.fixture
def empty_db_url(create_database) -> str:
    return create_database()


@pytest.fixture(scope="session")
def migrated_db_url(create_database) -> str:
    """One database per session with every migration applied."""
    from everyskill_db.runner import MigrationRunner

    url = create_database()
    database = everyskill_db.database.open_database(url)
    with database.connection_context():
        MigrationRunner(database).up()
    return url


@pytest.fixture(scope="session")
def _session_database(migrated_db_url):
    database = everyskill_db.database.open_database(migrated_db_url)
    yield database
    database.close()


@pytest.fixture
def db(_session_database):
    """The migrated database, bound to the models; every table is emptied afterwards."""
    everyskill_db.database_proxy.initialize(_session_database)
    yield _session_database
    if not _session_database.is_closed() and _session_database.in_transaction():
        _session_database.rollback()
    tables = ", ".join(f'"{model._meta.table_name}"' for model in models.ALL_MODELS)
    _session_database.execute_sql(f"TRUNCATE {tables} CASCADE")
    _session_database.close()


class Factory:
    """Quick rows for tests: ``factory.skill(factory.tenant())``."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)

    def tenant(self, **fields) -> models.Tenant:
        n = next(self._numbers)
        fields.setdefault("name", f"Tenant {n}")
        fields.setdefault("slug", f"tenant-{n}-{uuid.uuid4().hex[:6]}")
        return models.Tenant.create(**fields)

    def user(self, tenant: models.Tenant, **fields) -> models.User:
        n = next(self._numbers)
        fields.setdefault("email", f"user{n}-{uuid.uuid4().hex[:6]}@example.test")
        return models.User.create(tenant=tenant, **fields)

    def skill(self, tenant: models.Tenant, **fields) -> models.Skill:
        n = next(self._numbers)
        fields.setdefault("name", f"Skill {n}")
        fields.setdefault("slug", f"skill-{n}")
        fields.setdefault("description", "A skill for tests")
        fields.setdefault("category", "testing")
        fields.setdefault("content", "# Skill\n")
        return models.Skill.create(tenant=tenant, **fields)


@pytest.fixture
def factory(db) -> Factory:
    return Factory()


@pytest.fixture(scope="session")
def sql():
    """``sql(url, statement, params=())``: run one statement on its own connection, committed
    at once (autocommit), and return its rows (``[]`` for a statement without result)."""

    def run(url: str, statement: str, params: tuple = ()) -> list[tuple]:
        conn = psycopg2.connect(url)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                # No parameters: None, so that a literal % in plain SQL is left alone.
                cursor.execute(statement, params or None)
                return cursor.fetchall() if cursor.description else []
        finally:
            conn.close()

    return run


@pytest.fixture
def migrated_copy(empty_db_url) -> str:
    """The URL of a migrated database of this test's own, free to be broken."""
    from everyskill_db.runner import MigrationRunner

    database = everyskill_db.database.open_database(empty_db_url)
    with database.connection_context():
        MigrationRunner(database).up()
    database.close()
    return empty_db_url


@pytest.fixture
def app_url(db, make_role, role_url, migrated_db_url):
    """The URL of a fresh application role on the session's migrated database: granted by
    grant_app_role, so row level security binds it."""
    from everyskill_db.tenancy import grant_app_role

    role, password = make_role()
    grant_app_role(db, role)
    yield role_url(migrated_db_url, role, password)
    # The grants would keep make_role from dropping the role at the end of the session.
    db.execute_sql(f'DROP OWNED BY "{role}"')


@pytest.fixture
def app_db(app_url):
    """An unbound database connected as ``app_url``'s role (not the models' default)."""
    from everyskill_db.tenancy import rls_bypass_reason

    database = everyskill_db.database.open_database(app_url)
    assert rls_bypass_reason(database) is None
    yield database
    database.close()


# --- issue 15: stored snapshots (tests/migration_sql/, docs/schema.md) -----------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite tests/migration_sql/*.sql and docs/schema.md from a freshly migrated "
        "database instead of comparing with them",
    )


@pytest.fixture(scope="session")
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    """True under ``pytest --update-snapshots``: snapshot tests write instead of compare."""
    return bool(request.config.getoption("--update-snapshots"))
