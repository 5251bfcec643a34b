"""The cron command: recompute every skill's aggregates, tenant by tenant.

    $ python -m everyskill_db.aggregates [--tenant ID|SLUG] [--database-url URL]
    acme: 12 skill(s) updated in 0.04 s
    globex: 0 skill(s) updated in 0.01 s
    done: 2 tenant(s), 12 skill(s) updated in 0.05 s

One transaction per tenant. Bad input or an unreachable database: one line on stderr, exit 2.
"""

from __future__ import annotations

import sys
import time

import peewee

from everyskill_db.aggregates import recompute_all_skill_aggregates
from everyskill_db.cli import ArgumentParser
from everyskill_db.database import describe, open_database, resolve_url
from everyskill_db.errors import ConfigurationError, EverySkillDBError, first_line
from everyskill_db.models import Skill, Tenant

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """``python -m everyskill_db.aggregates``: recompute per tenant, printing progress."""
    parser = ArgumentParser(
        prog="python -m everyskill_db.aggregates",
        description="Recompute the feedback and cost aggregates of every skill, tenant by tenant.",
    )
    parser.add_argument("--tenant", help="only this tenant (id or slug)")
    parser.add_argument("--database-url", help="default: $DATABASE_URL, else the embedded server")
    args = parser.parse_args(argv)
    try:
        database = open_database(resolve_url(args.database_url))
        with database.connection_context():
            return _recompute_tenants(database, args.tenant)
    except EverySkillDBError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except peewee.DatabaseError as exc:
        print(f"error: {first_line(exc)}", file=sys.stderr)
        return 1


def _recompute_tenants(database: peewee.Database, wanted: str | None) -> int:
    if not database.table_exists(Skill._meta.table_name):
        raise ConfigurationError(
            f"{describe(database)} has no skills table: run python -m everyskill_db.migrate first"
        )
    query = Tenant.select(Tenant.id, Tenant.slug).order_by(Tenant.slug)
    if wanted is not None:
        query = query.where((Tenant.id == wanted) | (Tenant.slug == wanted))
    tenants = list(query.tuples().execute(database))
    if wanted is not None and not tenants:
        raise ConfigurationError(f"no tenant with id or slug {wanted!r}")
    started = time.perf_counter()
    total = 0
    for tenant_id, slug in tenants:
        tenant_started = time.perf_counter()
        changed = recompute_all_skill_aggregates(tenant_id, database=database)
        total += changed
        print(
            f"{slug}: {changed} skill(s) updated in {time.perf_counter() - tenant_started:.2f} s",
            flush=True,
        )
    print(
        f"done: {len(tenants)} tenant(s), {total} skill(s) updated "
        f"in {time.perf_counter() - started:.2f} s"
    )
    return 0

