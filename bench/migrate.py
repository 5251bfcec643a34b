"""Benchmark: ``python -m everyskill_db.migrate`` against ``psql -f`` of the same SQL.

    $ python bench/migrate.py                       # server: postgresql://postgres@127.0.0.1/postgres
    $ python bench/migrate.py --admin-url postgresql://postgres@db/postgres --repeat 9

One process, one run. Each round makes fresh databases and times, side by side:
  cli, empty db    the command applying every migration to an empty database;
  cli, no-op       the same command again on that database (nothing to do);
  runner, empty db MigrationRunner(db).up() inside this process (no interpreter start-up);
  psql -f          psql applying the same SQL, in one transaction, to an empty database;
  python + import  starting the interpreter and importing the command, for scale: the part
                   of each cli figure that is not migrating.
The SQL comes from ``migrate plan`` on an empty database: exactly what the migrations run.
Prints the median of each, its ratio to psql, and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from everyskill_db.database import open_database  # noqa: E402
from everyskill_db.runner import MigrationRunner  # noqa: E402

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin(url: str, statement: str) -> str:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchone()[0] if cursor.description else ""
    finally:
        conn.close()


class Databases:
    """Fresh, uniquely named databases on the server of ``admin_url``; dropped on close."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.names: list[str] = []

    def fresh(self) -> str:
        name = f"esdb_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        admin(self.admin_url, f'CREATE DATABASE "{name}"')
        self.names.append(name)
        return urlunsplit(urlsplit(self.admin_url)._replace(path="/" + name))

    def close(self) -> None:
        for name in self.names:
            admin(self.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, cwd=tempfile.gettempdir()
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} failed: {result.stderr.strip()}")
    return elapsed, result.stdout


def planned(url: str) -> list[tuple[str, list[str]]]:
    database = open_database(url)
    with database.connection_context():
        return MigrationRunner(database).plan()


def in_process_up(url: str) -> float:
    database = open_database(url)
    with database.connection_context():
        started = time.perf_counter()
        MigrationRunner(database).up()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--admin-url", default=os.environ.get(
        "EVERYSKILL_TEST_DATABASE_URL", DEFAULT_ADMIN_URL),
        help="superuser URL of the server (default: $EVERYSKILL_TEST_DATABASE_URL, else "
        f"{DEFAULT_ADMIN_URL})")
    parser.add_argument("--repeat", type=int, default=5, help="rounds (default 5)")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    cli = [sys.executable, "-m", "everyskill_db.migrate", "--database-url"]
    databases = Databases(args.admin_url)
    try:
        _, sql = timed([*cli, databases.fresh(), "plan"], env)
        plan = planned(databases.fresh())
        sql_file = Path(tempfile.mkdtemp(prefix="esdb-bench-")) / "migrations.sql"
        sql_file.write_text(sql)

        times: dict[str, list[float]] = {
            "cli, empty db": [], "cli, no-op": [], "runner, empty db": [], "psql -f": [],
            "python + import": []}
        for _ in range(args.repeat):
            url = databases.fresh()
            times["cli, empty db"].append(timed([*cli, url], env)[0])
            times["cli, no-op"].append(timed([*cli, url], env)[0])
            times["runner, empty db"].append(in_process_up(databases.fresh()))
            psql = ["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "-1", "-f", str(sql_file),
                    databases.fresh()]
            times["psql -f"].append(timed(psql, env)[0])
            importing = [sys.executable, "-c", "import everyskill_db.migrate"]
            times["python + import"].append(timed(importing, env)[0])

        server = admin(args.admin_url, "SHOW server_version")
    finally:
        databases.close()

    baseline = statistics.median(times["psql -f"])
    statements = sum(len(executed) for _, executed in plan)
    print(f"migrations: {len(plan)}, statements: {statements}, rounds: {args.repeat} "
          "(fresh databases each round)")
    print(f"{'':18} {'median':>10} {'min':>10} {'max':>10} {'vs psql -f':>11}")
    for label, samples in times.items():
        median = statistics.median(samples)
        print(f"{label:18} {median * 1000:8.1f}ms {min(samples) * 1000:8.1f}ms "
              f"{max(samples) * 1000:8.1f}ms {median / baseline:10.2f}x")
    print(f"machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} cpus; "
          f"Python {platform.python_version()}; PostgreSQL {server}")


if __name__ == "__main__":
    main()
