"""Benchmark: the aggregate helpers against hand-written baselines, side by side.

    $ python bench/aggregates.py          # server: postgresql://postgres@127.0.0.1:5432/postgres
    $ python bench/aggregates.py --admin-url postgresql://postgres@db/postgres

One process, one run, in a database of its own (esdb_bench_<pid>, migrated with
MigrationRunner, dropped at the end). Data is generated in SQL (generate_series). Measures:
  recompute_all   recompute_all_skill_aggregates() on 10,000 skills with 1,000,000 feedback
                  rows, against one hand-written UPDATE ... FROM (... GROUP BY ...) through
                  psycopg2, and against a loop of one SELECT and one UPDATE per skill (timed
                  on a sample of skills and extrapolated);
  record_feedback median latency against a bare single-row INSERT, on a skill with 1,000
                  feedback rows and one with 100,000;
  bulk ingest     record_token_measurements() of 100,000 rows, rows/s against a COPY of the
                  same rows; and, for scale, the path the application role takes under row
                  level security (a role made for the run, dropped at the end).
Prints data sizes, the machine, medians and ratios.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import platform
import random
import secrets
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg2

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from everyskill_db.aggregates import (  # noqa: E402
    recompute_all_skill_aggregates,
    record_feedback,
    record_token_measurements,
)
from everyskill_db.database import open_database  # noqa: E402
from everyskill_db.runner import MigrationRunner  # noqa: E402
from everyskill_db.tenancy import grant_app_role, tenant_context  # noqa: E402

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TENANTS = 10
SKILLS = 10_000
FEEDBACK_ROWS = 1_000_000
MEASUREMENT_ROWS = 200_000
LOOP_SAMPLE = 500
LATENCY_CALLS = 200
INGEST_ROWS = 100_000
ROUNDS = 7

TYPES = "ARRAY['thumbs_up','thumbs_down','suggestion','training_example','bug_report']"

# What one would write by hand: same definitions (round() of numeric rounds half away from
# zero, i.e. half up for these non-negative values), no locking, every skill rewritten.
HAND_WRITTEN_UPDATE = """
UPDATE skills AS s
SET total_feedback = COALESCE(f.total, 0),
    positive_feedback_pct = f.pct,
    avg_token_cost_microcents = c.mean,
    updated_at = now() AT TIME ZONE 'UTC'
FROM skills AS k
LEFT JOIN (
    SELECT skill_id, count(*) AS total,
           round(100.0 * count(*) FILTER (WHERE feedback_type = 'thumbs_up')
                 / NULLIF(count(*) FILTER (WHERE feedback_type IN ('thumbs_up', 'thumbs_down')),
                          0))::integer AS pct
    FROM skill_feedback GROUP BY skill_id
) AS f ON f.skill_id = k.id
LEFT JOIN (
    SELECT skill_id, round(avg(estimated_cost_microcents))::integer AS mean
    FROM token_measurements GROUP BY skill_id
) AS c ON c.skill_id = k.id
WHERE s.id = k.id"""

LOOP_SELECT = """
SELECT (SELECT count(*) FROM skill_feedback WHERE skill_id = %(id)s),
       (SELECT round(100.0 * count(*) FILTER (WHERE feedback_type = 'thumbs_up')
                     / NULLIF(count(*), 0))::integer
        FROM skill_feedback
        WHERE skill_id = %(id)s AND feedback_type IN ('thumbs_up', 'thumbs_down')),
       (SELECT round(avg(estimated_cost_microcents))::integer
        FROM token_measurements WHERE skill_id = %(id)s)"""
LOOP_UPDATE = """
UPDATE skills SET total_feedback = %s, positive_feedback_pct = %s,
                  avg_token_cost_microcents = %s, updated_at = now() AT TIME ZONE 'UTC'
WHERE id = %s"""

BARE_INSERT = (
    "INSERT INTO skill_feedback (id, tenant_id, skill_id, feedback_type, sentiment)"
    " VALUES (%s, 't1', %s, 'thumbs_up', 1)"
)
RESET = (
    "UPDATE skills SET total_feedback = 0, positive_feedback_pct = NULL,"
    " avg_token_cost_microcents = NULL"
)
SNAPSHOT = (
    "SELECT md5(string_agg(concat_ws(',', id, total_feedback, positive_feedback_pct,"
    " avg_token_cost_microcents), ';' ORDER BY id)) FROM skills"
)


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def as_role(url: str, role: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{role}:{quote(password, safe='')}@{host}"))


def autocommit(url: str):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


def run(conn, statement: str, params=None):
    with conn.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def generate(raw) -> None:
    run(
        raw,
        f"INSERT INTO tenants (id, name, slug) SELECT 't' || g, 'Tenant ' || g, 'tenant-' || g"
        f" FROM generate_series(1, {TENANTS}) g",
    )
    run(
        raw,
        f"INSERT INTO skills (id, tenant_id, name, slug, description, category, content)"
        f" SELECT 's' || g, 't' || (g % {TENANTS} + 1), 'Skill ' || g, 'skill-' || g, 'd',"
        f" 'bench', '# skill' FROM generate_series(1, {SKILLS}) g",
    )
    run(
        raw,
        f"INSERT INTO skill_feedback (id, tenant_id, skill_id, feedback_type)"
        f" SELECT gen_random_uuid()::text, 't' || (s % {TENANTS} + 1), 's' || s,"
        f" ({TYPES})[1 + (g::bigint * 7919) % 5]"
        f" FROM (SELECT g, 1 + g % {SKILLS} AS s FROM generate_series(1, {FEEDBACK_ROWS}) g) x",
    )
    run(
        raw,
        f"INSERT INTO token_measurements (id, tenant_id, skill_id, model_name,"
        f" estimated_cost_microcents)"
        f" SELECT gen_random_uuid()::text, 't' || (s % {TENANTS} + 1), 's' || s, 'm',"
        f" CASE WHEN g % 10 = 0 THEN NULL ELSE (g::bigint * 7919) % 100000 END"
        f" FROM (SELECT g, 1 + g % {SKILLS} AS s FROM generate_series(1, {MEASUREMENT_ROWS}) g) x",
    )
    run(raw, "VACUUM ANALYZE")


def bench_recompute_all(database, raw) -> dict:
    ours, hand = [], []
    for _ in range(ROUNDS):
        for label, times, action in (
            ("ours", ours, lambda: recompute_all_skill_aggregates(database=database)),
            ("hand", hand, lambda: run(raw, HAND_WRITTEN_UPDATE)),
        ):
            run(raw, RESET)
            run(raw, "VACUUM skills")
            times.append(timed(action))
            snapshot = run(raw, SNAPSHOT)[0][0]
            if label == "ours":
                ours_snapshot = snapshot
            elif snapshot != ours_snapshot:
                raise SystemExit("the hand-written UPDATE and recompute_all disagree")

    sample = [f"s{n}" for n in random.Random(5).sample(range(1, SKILLS + 1), LOOP_SAMPLE)]
    run(raw, RESET)

    def loop() -> None:
        for skill_id in sample:
            values = run(raw, LOOP_SELECT, {"id": skill_id})[0]
            run(raw, LOOP_UPDATE, (*values, skill_id))

    loop_sample = timed(loop)
    return {
        "ours": statistics.median(ours),
        "hand": statistics.median(hand),
        "loop": loop_sample * SKILLS / LOOP_SAMPLE,
        "loop_sample": loop_sample,
    }


def bench_latency(database, raw) -> dict:
    results = {}
    for size in (1_000, 100_000):
        skill_id = f"hot{size}"
        run(
            raw,
            "INSERT INTO skills (id, tenant_id, name, slug, description, category, content)"
            " VALUES (%s, 't1', %s, %s, 'd', 'bench', '# hot')",
            (skill_id, skill_id, skill_id),
        )
        run(
            raw,
            f"INSERT INTO skill_feedback (id, tenant_id, skill_id, feedback_type)"
            f" SELECT gen_random_uuid()::text, 't1', %s, ({TYPES})[1 + g %% 5]"
            f" FROM generate_series(1, {size}) g",
            (skill_id,),
        )
        run(raw, "VACUUM ANALYZE skill_feedback")
        ours, bare = [], []
        for _ in range(LATENCY_CALLS):  # interleaved, so that drift hits both alike
            started = time.perf_counter()
            record_feedback(skill_id, "thumbs_up", database=database)
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            run(raw, BARE_INSERT, (str(uuid.uuid4()), skill_id))
            bare.append(time.perf_counter() - started)
        results[size] = (statistics.median(ours), statistics.median(bare))
    return results


def bench_ingest(database, raw, app_role) -> dict:
    skill_ids = [f"s{n}" for n in range(1, 101)]
    created = datetime.datetime.now(datetime.timezone.utc)
    rows = [
        {
            "skill": skill_ids[i % len(skill_ids)],
            "model_name": "claude-sonnet-4",
            "input_tokens": 1000 + i % 500,
            "output_tokens": 200 + i % 300,
            "estimated_cost_microcents": 3000 + i % 1000,
            "latency_ms": 400 + i % 900,
            "created_at": created,
        }
        for i in range(INGEST_ROWS)
    ]
    tenant_of = dict(run(raw, "SELECT id, tenant_id FROM skills WHERE id = ANY(%s)", (skill_ids,)))
    columns = (
        "id, tenant_id, skill_id, model_name, input_tokens, output_tokens, total_tokens,"
        " estimated_cost_microcents, latency_ms, created_at"
    )
    text = "".join(
        f"{uuid.uuid4()}\t{tenant_of[r['skill']]}\t{r['skill']}\t{r['model_name']}\t"
        f"{r['input_tokens']}\t{r['output_tokens']}\t{r['input_tokens'] + r['output_tokens']}\t"
        f"{r['estimated_cost_microcents']}\t{r['latency_ms']}\t{created.isoformat()}\n"
        for r in rows
    )

    def copy() -> None:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.copy_expert(f"COPY token_measurements ({columns}) FROM STDIN", io.StringIO(text))
        raw.commit()
        raw.autocommit = True

    ours, baseline, app = [], [], []
    # The application role writes as one tenant: the same rows, on that tenant's skills.
    own = [skill_id for skill_id in skill_ids if tenant_of[skill_id] == "t1"]
    tenant_one = [dict(row, skill=own[i % len(own)]) for i, row in enumerate(rows)]
    runs = [
        (ours, lambda: record_token_measurements(rows, database=database)),
        (baseline, copy),
        (app, lambda: ingest_as(app_role, tenant_one)),
    ]
    for _ in range(2):
        for times, action in runs:
            run(raw, "DELETE FROM token_measurements WHERE skill_id = ANY(%s)", (skill_ids,))
            run(raw, "VACUUM ANALYZE token_measurements")
            times.append(timed(action))
    return {"ours": min(ours), "copy": min(baseline), "app": min(app), "app_rows": len(tenant_one)}


def ingest_as(database, rows) -> None:
    with tenant_context("t1", database=database):
        record_token_measurements(rows, database=database)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="a superuser URL")
    args = parser.parse_args()
    started = time.perf_counter()
    name = f"esdb_bench_{os.getpid()}"
    role, password = f"esdb_bench_app_{os.getpid()}", secrets.token_urlsafe(16)
    admin = autocommit(args.admin_url)
    run(admin, f'CREATE DATABASE "{name}"')
    try:
        url = with_database(args.admin_url, name)
        database = open_database(url)
        with database.connection_context():
            MigrationRunner(database).up()
        raw = autocommit(url)
        run(raw, f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{password}'")
        with database.connection_context():
            grant_app_role(database, role)
        app_role = open_database(as_role(url, role, password))
        server = run(raw, "SHOW server_version")[0][0]
        print(
            f"machine: {platform.platform()}, Python {platform.python_version()},"
            f" {os.cpu_count()} CPUs, PostgreSQL {server}"
        )
        print(
            f"data: {TENANTS} tenants, {SKILLS:,} skills, {FEEDBACK_ROWS:,} feedback rows,"
            f" {MEASUREMENT_ROWS:,} token measurements (generated in SQL)"
        )
        print(f"generating ... {timed(lambda: generate(raw)):.1f} s")

        with database.connection_context():
            r = bench_recompute_all(database, raw)
            print(f"\nrecompute_all, {SKILLS:,} skills, from stale values (median of {ROUNDS}):")
            print(f"  recompute_all_skill_aggregates  {r['ours']:8.3f} s")
            print(
                f"  hand-written UPDATE ... FROM    {r['hand']:8.3f} s"
                f"   ours / hand = {r['ours'] / r['hand']:.2f}x (target <= 1.1x)"
            )
            print(
                f"  loop, select + update per skill {r['loop']:8.3f} s (extrapolated from"
                f" {LOOP_SAMPLE} skills: {r['loop_sample']:.3f} s)"
                f"   speed-up = {r['loop'] / r['ours']:.1f}x"
            )

            lat = bench_latency(database, raw)
            print(f"\nrecord_feedback latency, median of {LATENCY_CALLS} (owner, no tenant):")
            for size, (ours, bare) in lat.items():
                print(
                    f"  skill with {size:>7,} rows: record_feedback {ours * 1000:7.2f} ms,"
                    f" bare INSERT {bare * 1000:6.2f} ms   ratio = {ours / bare:.2f}x"
                )

            ing = bench_ingest(database, raw, app_role)
            ours_rate, copy_rate = INGEST_ROWS / ing["ours"], INGEST_ROWS / ing["copy"]
            print(f"\nbulk ingest of {INGEST_ROWS:,} token measurements, 100 skills (best of 2):")
            print(
                f"  record_token_measurements {ours_rate:10,.0f} rows/s ({ing['ours']:.2f} s,"
                " validation + COPY + recompute, one transaction)"
            )
            print(
                f"  COPY of the same rows     {copy_rate:10,.0f} rows/s ({ing['copy']:.2f} s)"
                f"   ours / COPY = {ours_rate / copy_rate:.2f}x (target >= 0.8x)"
            )
            app_rate = ing["app_rows"] / ing["app"]
            print(
                "  as the application role (RLS applies: COPY to a temporary table, then"
                " INSERT ... SELECT), the same number of rows on one tenant's skills:"
            )
            print(
                f"  record_token_measurements {app_rate:10,.0f} rows/s ({ing['app']:.2f} s)"
                f"   / COPY = {app_rate / copy_rate:.2f}x"
            )
        raw.close()
        database.close()
        app_role.close()
    finally:
        run(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        run(admin, f"DROP ROLE IF EXISTS {role}")
        admin.close()
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
