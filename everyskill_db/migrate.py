"""``python -m everyskill_db.migrate``: apply, inspect and gate EverySkill's migrations.

    $ python -m everyskill_db.migrate                      # apply everything pending
    $ python -m everyskill_db.migrate status
    $ python -m everyskill_db.migrate check && ./deploy    # exit 1 while anything is off
    $ python -m everyskill_db.migrate --database-url postgresql://owner@db/es plan

A thin argparse layer over everyskill_db.runner.MigrationRunner; ``--help`` tells it all.
Exit codes: 0 done, 1 ``check``/``doctor`` found something, 2 error (one line on stderr).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from typing import Any, Callable

import peewee

from everyskill_db.cli import ArgumentParser
from everyskill_db.database import mask_url, open_database, resolve_url
from everyskill_db.errors import EverySkillDBError
from everyskill_db.runner import (
    DEFAULT_LOCK_TIMEOUT,
    HISTORY_TABLE,
    LEGACY_LEDGER,
    MigrationRunner,
)

PROG = "python -m everyskill_db.migrate"

DESCRIPTION = f"""\
Apply and inspect the numbered migrations of everyskill_db (playhouse.migrations under the
hood). With no command, apply everything pending: the same as `up`.

Every run that changes the schema holds a PostgreSQL advisory lock for the whole run, so
several deploys started at once apply each migration exactly once: the others wait (at most
--lock-timeout seconds), then find nothing to do. Each migration runs in its own transaction:
if it fails, neither its schema changes nor its history row remain. The history table
{HISTORY_TABLE} stores a sha256 of each file; while an applied file has been edited, `up`
refuses to run. A database migrated by the original TypeScript runner (ledger
{LEGACY_LEDGER}) is recognised: the migrations it lists, and the foundation numbered below
them, are recorded as applied ("adopted") and not run again.
"""

EPILOG = """\
what each command does:
  (none) / up [TARGET]   apply pending migrations, through TARGET if given; prints each
                         name and its duration
  status                 list migrations: [x] applied, [ ] pending, [!] edited after being
                         applied, [?] applied but the file is gone
  down [TARGET]          revert the latest migration, or every one back through TARGET
  fake [TARGET]          record pending migrations as applied without running them
  plan [TARGET]          print the SQL `up` would run. It is found by running the pending
                         migrations in one transaction and rolling it back: nothing changes,
                         but the DDL takes its locks while it runs (on a busy production
                         database, plan against a copy)
  check                  deploy gate: exit 1 when a migration is pending, an applied file
                         was edited or is missing, or the models differ from the database
                         (playhouse.schema_diff); exit 0 when all is clean
  create NAME            write a numbered skeleton migration into the migrations directory
  grant-app-role ROLE    grant ROLE what the application needs, and nothing more
  doctor                 report why row level security would not isolate tenants for this
                         connection; one line per finding, exit 1 if any

database: --database-url, else $DATABASE_URL, else the embedded server (the "embedded"
extra). Passwords are never printed.

exit codes: 0 done, 1 check/doctor found something, 2 error (one line on stderr).

examples:
  python -m everyskill_db.migrate
  python -m everyskill_db.migrate --database-url postgresql://owner:secret@db/everyskill status
  DATABASE_URL=postgresql://owner@db/everyskill python -m everyskill_db.migrate check
  python -m everyskill_db.migrate plan > pending.sql
  python -m everyskill_db.migrate up 0031_create_token_measurements
  python -m everyskill_db.migrate down 0033_add_feedback_aggregates_to_skills
  python -m everyskill_db.migrate --lock-timeout 300 up
  python -m everyskill_db.migrate create add_skill_archived_flag
  python -m everyskill_db.migrate grant-app-role everyskill_app
  python -m everyskill_db.migrate --database-url postgresql://everyskill_app:pw@db/everyskill doctor
"""

_URL = re.compile(r"postgres(?:ql)?(?:\+\w+)?://\S+")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more seconds")
    return value


def _options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    # Declared on the main parser and again on each command, so they work on either side of
    # the command; the command's copies default to SUPPRESS so they never mask the main ones.
    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument(
        "--database-url", metavar="URL", default=default(None),
        help="PostgreSQL URL (default: $DATABASE_URL, else the embedded server)",
    )
    parser.add_argument(
        "--lock-timeout", metavar="SECONDS", type=_seconds,
        default=default(DEFAULT_LOCK_TIMEOUT),
        help="how long to wait for another run's migration lock before giving up with "
        f"exit 2 and naming its holder (default: {DEFAULT_LOCK_TIMEOUT:g}; 0: do not wait)",
    )
    parser.add_argument(
        "--directory", metavar="DIR", default=default(None),
        help="migrations directory (default: the migrations installed with everyskill_db)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=default(False),
        help="echo every SQL statement to stderr as it runs",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog=PROG, description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _options(parser, suppress=False)
    parser.set_defaults(command=_up, target=None)
    common = ArgumentParser(add_help=False)
    _options(common, suppress=True)
    commands = parser.add_subparsers(title="commands", metavar="[COMMAND]")

    def command(name: str, func: Callable[..., int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help, description=help)
        sub.set_defaults(command=func)
        return sub

    target = "a migration name, e.g. 0031_create_token_measurements"
    command("up", _up, "apply pending migrations").add_argument(
        "target", nargs="?", help=f"stop after this one ({target})")
    command("status", _status, "list migrations and their state")
    command("down", _down, "revert the latest migration, or back through TARGET").add_argument(
        "target", nargs="?", help=f"revert back through this one ({target})")
    command("fake", _fake, "record pending migrations as applied, running nothing").add_argument(
        "target", nargs="?", help=f"stop after this one ({target})")
    command("plan", _plan, "print the SQL up would run (runs it, then rolls back)").add_argument(
        "target", nargs="?", help=f"stop after this one ({target})")
    command("check", _check, "exit 1 if anything is pending, edited or drifted; else 0")
    command("create", _create, "write a numbered skeleton migration").add_argument(
        "name", help="what the migration does, e.g. add_skill_archived_flag")
    command("grant-app-role", _grant, "grant ROLE exactly what the application needs") \
        .add_argument("role", help="an existing login role")
    command("doctor", _doctor, "report what would keep RLS from isolating tenants")
    return parser


# -- commands: each takes (runner, args) and returns the exit code -------------------------

def _report(names: list[str]) -> int:
    if not names:
        print("nothing to do.")
    return 0


def _up(runner: MigrationRunner, args: argparse.Namespace) -> int:
    return _report(runner.up(args.target))


def _down(runner: MigrationRunner, args: argparse.Namespace) -> int:
    return _report(runner.down(args.target))


def _fake(runner: MigrationRunner, args: argparse.Namespace) -> int:
    return _report(runner.fake(args.target))


def _status(runner: MigrationRunner, args: argparse.Namespace) -> int:
    states = runner.status()
    width = max((len(s.name) for s in states), default=0)
    for state in states:
        if state.pending:
            marker, detail = " ", "pending"
        else:
            marker = "?" if state.path is None else "!" if state.edited else "x"
            detail = f"{state.applied:%Y-%m-%d %H:%M:%S}"
            if state.method and state.method != "run":
                detail += f"  ({state.method})"
            elif state.duration is not None:
                detail += f"  ({_duration(state.duration)})"
            if state.edited:
                detail += "  EDITED after it was applied"
            elif state.path is None:
                detail += "  file missing"
        print(f"[{marker}] {state.name:<{width}}  {detail}")
    pending = sum(s.pending for s in states)
    edited = sum(s.edited for s in states)
    print(f"{len(states) - pending} applied, {pending} pending, {edited} edited")
    return 0


def _plan(runner: MigrationRunner, args: argparse.Namespace) -> int:
    plan = runner.plan(args.target)
    if not plan:
        print("-- nothing to do.")
    for name, statements in plan:
        print(f"-- {name}")
        for sql in statements:
            print(sql.rstrip().rstrip(";") + ";")
        print()
    return 0


def _check(runner: MigrationRunner, args: argparse.Namespace) -> int:
    from everyskill_db.models import ALL_MODELS

    problems = runner.check(ALL_MODELS)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print("ok: no pending migration, no edited file, models match the database.")
    return 0


def _create(runner: MigrationRunner, args: argparse.Namespace) -> int:
    print(runner.create(args.name))
    return 0


def _grant(runner: MigrationRunner, args: argparse.Namespace) -> int:
    from everyskill_db.tenancy import grant_app_role

    grant_app_role(runner.database, args.role)
    print(f"granted {args.role} the application's privileges.")
    return 0


def _doctor(runner: MigrationRunner, args: argparse.Namespace) -> int:
    from everyskill_db.tenancy import rls_report

    findings = rls_report(runner.database)
    for finding in findings:
        where = f"{finding.table}: " if finding.table else ""
        print(f"{finding.kind}: {where}{finding.message}")
    if findings:
        return 1
    print("ok: row level security isolates tenants for this connection.")
    return 0


# -- plumbing ------------------------------------------------------------------------------

def _duration(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _notify(event: str, subject: str, seconds: float | None) -> None:
    if event == "waiting":
        print(f"waiting for the migration lock, held by {subject}", file=sys.stderr, flush=True)
    elif seconds is None:
        print(f"{event} {subject}", flush=True)
    else:
        print(f"{event} {subject} ({_duration(seconds)})", flush=True)


def _masked(text: str) -> str:
    return _URL.sub(lambda match: mask_url(match.group()), text)


def _error_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return _masked(lines[0] if lines else type(exc).__name__)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        sql_log = logging.getLogger("peewee")
        sql_log.addHandler(handler)
        sql_log.setLevel(logging.DEBUG)
    database = None
    try:
        if args.command is _create:
            # Writing a file needs no database: an unconnected one satisfies the Runner.
            database = peewee.PostgresqlDatabase(None)
        else:
            database = open_database(resolve_url(args.database_url))
        runner = MigrationRunner(
            database, args.directory, lock_timeout=args.lock_timeout, notify=_notify
        )
        return args.command(runner, args)
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as cat would.
        # Point stdout at /dev/null so the flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (EverySkillDBError, peewee.PeeweeException, OSError) as exc:
        print(f"error: {_error_line(exc)}", file=sys.stderr)
        return 2
    finally:
        if database is not None and not database.is_closed():
            database.close()


if __name__ == "__main__":
    sys.exit(main())
