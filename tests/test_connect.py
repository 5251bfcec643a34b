"""connect(): which database, and one clear sentence when it cannot work."""

from __future__ import annotations

import importlib.util
import logging
import subprocess
import sys
import warnings
from urllib.parse import quote, urlsplit

import pytest

import everyskill_db
from everyskill_db import ConfigurationError, DatabaseConnectionError, EverySkillDBError
from everyskill_db.database import mask_url, open_database


def test_explicit_url_wins_over_the_environment(empty_db_url, monkeypatch, caplog):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/nowhere")
    with caplog.at_level(logging.INFO, logger="everyskill_db"):
        database = everyskill_db.connect(empty_db_url)
    assert everyskill_db.database_proxy.obj is database
    assert database.database == urlsplit(empty_db_url).path.lstrip("/")
    assert "using database" in caplog.text


def test_database_url_from_the_environment(empty_db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", empty_db_url)
    database = everyskill_db.connect()
    with database.connection_context():
        assert database.execute_sql("SELECT current_database()").fetchone()[0] == \
            database.database


def test_embedded_default_persists_between_runs(tmp_path, monkeypatch):
    """No url, no DATABASE_URL: the embedded server, whose data outlives the process."""
    env_script = (
        "import everyskill_db\n"
        "db = everyskill_db.connect()\n"
        "db.execute_sql('CREATE TABLE IF NOT EXISTS kept (n int)')\n"
        "db.execute_sql('INSERT INTO kept VALUES (1)')\n"
        "print(db.execute_sql('SELECT count(*) FROM kept').fetchone()[0])\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' XDG_RUNTIME_DIR warning, harmless
        embedded = importlib.util.find_spec("pgserver") is not None
    if not embedded:
        # Python 3.13 has no pgserver wheel: the default must say how to get one.
        monkeypatch.delenv("DATABASE_URL", raising=False)
        with pytest.raises(ConfigurationError, match="no embedded server: pgserver has no build"):
            everyskill_db.connect()
        return
    data_dir = tmp_path / "pgdata"
    env = {"PATH": "/usr/bin:/bin", "EVERYSKILL_DATA_DIR": str(data_dir), "HOME": str(tmp_path)}
    counts = [
        subprocess.run([sys.executable, "-c", env_script], env=env, capture_output=True,
                       text=True, check=True, timeout=120).stdout.strip()
        for _ in range(2)
    ]
    assert counts == ["1", "2"]
    assert (data_dir / "PG_VERSION").exists()


@pytest.mark.parametrize(("url", "expected"), [
    ("mysql://root:hunter2@localhost/app", "unsupported database URL mysql://root:***@"),
    ("postgresql://u:hunter2@localhost", "names no database"),
    ("postgresql://u:hunter2@localhost:notaport/db", "malformed database URL"),
    ("not a url at all", "unsupported database URL"),
    ("postgresql://u:hun/ter2@localhost/db", "malformed database URL postgresql://u:***@"),
    ("postgresql://u:hunter2@localhost/db?bogus_option=1", "unusable database URL"),
])
def test_malformed_urls_are_configuration_errors(url, expected):
    with pytest.raises(ConfigurationError) as excinfo:
        everyskill_db.connect(url)
    assert expected in str(excinfo.value)
    assert "hunter2" not in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_unreachable_server(pg_admin_url):
    url = "postgresql://someone:hunter2@127.0.0.1:1/everyskill"
    with pytest.raises(DatabaseConnectionError) as excinfo:
        everyskill_db.connect(url)
    message = str(excinfo.value)
    assert message.startswith("cannot connect to postgresql://someone:***@127.0.0.1:1/everyskill")
    assert "refused" in message and "hunter2" not in message and "\n" not in message


def test_missing_database(named_database_url):
    with pytest.raises(DatabaseConnectionError, match='database "esdb_no_such_database" does not'):
        open_database(named_database_url("esdb_no_such_database"))


def test_role_that_cannot_log_in(pg_admin_url, make_role, create_database, role_url):
    url = create_database()
    role, password = make_role()
    import psycopg2

    conn = psycopg2.connect(pg_admin_url)
    conn.autocommit = True
    conn.cursor().execute(f'ALTER ROLE "{role}" NOLOGIN')
    conn.close()
    with pytest.raises(DatabaseConnectionError) as excinfo:
        open_database(role_url(url, role, password))
    assert "not permitted to log in" in str(excinfo.value)
    assert password not in str(excinfo.value)


def test_wrong_password(tmp_path):
    """Needs a server that checks passwords: a private embedded one with scram-sha-256."""
    data_dir = tmp_path / "pw"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' XDG_RUNTIME_DIR warning, harmless
        pgserver = pytest.importorskip("pgserver", reason="pgserver has no wheel for this Python")
        server = pgserver.get_server(data_dir, cleanup_mode="stop")
        socket = quote(str(server.pgdata), safe="/")
        admin = open_database(f"postgresql://postgres@/postgres?host={socket}")
        with admin.connection_context():
            admin.execute_sql("CREATE ROLE checked LOGIN PASSWORD 'right-password'")
        hba = server.pgdata / "pg_hba.conf"
        hba.write_text("local all checked scram-sha-256\n" + hba.read_text())
        # A restart, not pg_reload_conf(): the reload is asynchronous, the restart is not.
        server.cleanup()
        server = pgserver.get_server(data_dir, cleanup_mode="delete")
    try:
        open_database(f"postgresql://checked:right-password@/postgres?host={socket}")
        with pytest.raises(DatabaseConnectionError) as excinfo:
            open_database(f"postgresql://checked:wrong-password@/postgres?host={socket}")
    finally:
        server.cleanup()
    message = str(excinfo.value)
    assert 'password authentication failed for user "checked"' in message
    assert "wrong-password" not in message and "checked:***@" in message


def test_every_error_derives_from_the_root():
    for error in (ConfigurationError, DatabaseConnectionError, everyskill_db.ValidationError,
                  everyskill_db.TenantContextError, everyskill_db.MigrationError):
        assert issubclass(error, EverySkillDBError)


@pytest.mark.parametrize(("url", "masked"), [
    ("postgresql://u:p%40ss@h:5/d", "postgresql://u:***@h:5/d"),
    ("postgresql://u:se/cret@h/d", "postgresql://u:***@h/d"),
    ("postgresql://u:se?cr#et@h/d", "postgresql://u:***@h/d"),
    ("postgresql://u:p@ss@h/d?sslmode=require", "postgresql://u:***@h/d?sslmode=require"),
    ("postgresql://u@h/d", "postgresql://u@h/d"),
    ("postgresql:///d?host=/tmp&password=secret", "postgresql:///d?host=/tmp&password=***"),
])
def test_mask_url(url, masked):
    assert mask_url(url) == masked
