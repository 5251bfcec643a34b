"""Where the data lives: connect(), the database proxy, the embedded default.

    import everyskill_db

    db = everyskill_db.connect("postgresql://app:secret@db.internal/everyskill")
    db = everyskill_db.connect()   # $DATABASE_URL, else an embedded PostgreSQL

Every model binds to ``database_proxy``; connect() points it at a real database. The URL
comes from the argument, then ``DATABASE_URL``, then an embedded server (pgserver, installed
with the ``embedded`` extra) whose data directory persists between runs: ``EVERYSKILL_DATA_DIR``
or a per-user data directory. Pooled connections: ``postgresql+pool://...?max_connections=20``.

A URL that cannot work fails here, at once, with one sentence naming the problem; the
password never appears in it, nor in the log line saying which database is in use.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import warnings
from pathlib import Path
from urllib.parse import quote, urlsplit

import peewee
from playhouse import db_url
from playhouse.postgres_ext import PooledPostgresqlExtDatabase, PostgresqlExtDatabase

from everyskill_db.errors import ConfigurationError, DatabaseConnectionError, first_line

__all__ = [
    "bound_database",
    "connect", "database_proxy", "embedded_url", "mask_url", "open_database", "resolve_url"]

logger = logging.getLogger("everyskill_db")

database_proxy = peewee.DatabaseProxy()

EMBEDDED_DATABASE = "everyskill"

_SCHEMES = {
    "postgres": PostgresqlExtDatabase,
    "postgresql": PostgresqlExtDatabase,
    "postgres+pool": PooledPostgresqlExtDatabase,
    "postgresql+pool": PooledPostgresqlExtDatabase,
}

# The embedded server stops when the last process using it exits; holding the handle
# here keeps it running for as long as this process needs it.
_embedded_server = None


def mask_url(url: str) -> str:
    """Return ``url`` with its password replaced by ``***``; safe to print or log.

    Works on the text rather than a parse, so that a URL too broken to parse (a password
    holding an unescaped / ? # or @) keeps its password hidden too: everything between the
    user's ``:`` and the last ``@`` is masked, which may hide more than the password, never less.
    """
    scheme, separator, rest = url.partition("://")
    if separator:
        userinfo, at, hostinfo = rest.rpartition("@")
        if at and ":" in userinfo:
            url = f"{scheme}://{userinfo.split(':', 1)[0]}:***@{hostinfo}"
    return _QUERY_PASSWORD.sub(r"\1***", url)


_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def resolve_url(url: str | None = None) -> str:
    """The URL to use: ``url``, else ``$DATABASE_URL``, else the embedded server's."""
    if url:
        return url
    from_env = os.environ.get("DATABASE_URL")
    if from_env:
        return from_env
    return embedded_url()


def open_database(url: str) -> PostgresqlExtDatabase:
    """A checked, unbound database for ``url``; the proxy is left alone.

    Raises ConfigurationError for a URL that cannot describe a PostgreSQL database and
    DatabaseConnectionError when the server cannot be reached, refuses the credentials
    or has no such database.
    """
    masked = mask_url(url)
    try:
        scheme = urlsplit(url).scheme
        kwargs = db_url.parse(url, unquote_password=True, unquote_user=True)
    except ValueError:
        # Not the parser's message: it may quote part of a password (an unescaped "/" ends
        # the host early and what follows is reported as a port).
        raise ConfigurationError(
            f"malformed database URL {masked}: expected postgresql://user:password@host:port/"
            "dbname, with / ? # @ in the password percent-encoded"
        ) from None
    database_class = _SCHEMES.get(scheme)
    if database_class is None:
        raise ConfigurationError(
            f"unsupported database URL {masked}: expected "
            "postgresql://user:password@host:port/dbname"
        )
    if not kwargs.get("database"):
        raise ConfigurationError(
            f"database URL {masked} names no database: expected "
            "postgresql://user:password@host:port/dbname"
        )
    database = database_class(**kwargs)
    try:
        database.connect()
    except peewee.OperationalError as exc:
        raise DatabaseConnectionError(f"cannot connect to {masked}: {first_line(exc)}") from None
    except peewee.DatabaseError as exc:  # the driver refused the options (invalid dsn ...)
        raise ConfigurationError(f"unusable database URL {masked}: {first_line(exc)}") from None
    finally:
        if not database.is_closed():
            database.close()
    return database


def connect(url: str | None = None) -> PostgresqlExtDatabase:
    """Point every model at the database for ``url`` (see resolve_url) and return it."""
    database = open_database(resolve_url(url))
    database_proxy.initialize(database)
    logger.info("using database %s", describe(database))
    return database


def bound_database(database: peewee.Database | None = None) -> peewee.Database:
    """``database`` if given, else the database connect() bound the models to."""
    if database is not None:
        return database
    if database_proxy.obj is None:
        raise ConfigurationError(
            "no database: call everyskill_db.connect() first, or pass database="
        )
    return database_proxy.obj


def describe(database: peewee.Database) -> str:
    """``user@host:port/dbname`` of a database, without its password."""
    params = database.connect_params
    host = params.get("host") or "localhost"
    port = f":{params['port']}" if params.get("port") else ""
    user = f"{params['user']}@" if params.get("user") else ""
    return f"{user}{host}{port}/{database.database}"


def embedded_url() -> str:
    """Start (or join) the embedded PostgreSQL server and return its URL.

    The data directory is ``$EVERYSKILL_DATA_DIR``, else ``everyskill-db/pgdata`` in the
    user's data directory; it survives the process, so the data does too.
    """
    global _embedded_server
    with warnings.catch_warnings():
        # pgserver asks platformdirs for a runtime dir, which warns when XDG_RUNTIME_DIR
        # is unset (cron, CI); the fallback it takes is fine.
        warnings.simplefilter("ignore")
        try:
            import pgserver
        except ImportError:
            if sys.version_info >= (3, 13):
                remedy = "pgserver has no build for this Python, so set DATABASE_URL"
            else:
                remedy = "pip install 'everyskill-db[embedded]', or set DATABASE_URL"
            raise ConfigurationError(
                "no database URL given (--database-url or DATABASE_URL) and no embedded "
                f"server: {remedy}"
            ) from None
        data_dir = Path(os.environ.get("EVERYSKILL_DATA_DIR") or _default_data_dir()).expanduser()
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        try:
            _embedded_server = pgserver.get_server(data_dir, cleanup_mode="stop")
        except Exception as exc:
            raise DatabaseConnectionError(
                f"cannot start the embedded PostgreSQL in {data_dir}: {exc}"
            ) from None
    socket_dir = str(_embedded_server.pgdata)
    _ensure_database(socket_dir, EMBEDDED_DATABASE)
    return f"postgresql://postgres@/{EMBEDDED_DATABASE}?host={quote(socket_dir, safe='/')}"


def _default_data_dir() -> Path:
    import platformdirs  # comes with pgserver

    return Path(platformdirs.user_data_dir("everyskill-db")) / "pgdata"


def _ensure_database(socket_dir: str, name: str) -> None:
    server = PostgresqlExtDatabase("postgres", user="postgres", host=socket_dir)
    with server.connection_context():
        exists = server.execute_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if exists.fetchone() is None:
            try:
                server.execute_sql(f'CREATE DATABASE "{name}"')
            except peewee.DatabaseError:
                # Another process created it between our check and our CREATE.
                again = server.execute_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if again.fetchone() is None:
                    raise
