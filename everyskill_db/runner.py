"""The migration runner: playhouse's Runner with EverySkill's migrator and directory.

    from everyskill_db.database import open_database
    from everyskill_db.runner import MigrationRunner

    runner = MigrationRunner(open_database("postgresql://app@db/everyskill"))
    runner.up()                      # apply everything pending
    for row in runner.status():
        print(row.name, row.applied)

Migrations are the numbered files of ``migrations_directory()``: the package
``everyskill_db.migrations`` once installed (setup.cfg maps the repository's top-level
``migrations/`` onto it), else the ``migrations/`` next to the package in a checkout.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

from playhouse.migrations import Runner

__all__ = ["MigrationRunner", "migrations_directory"]

HISTORY_TABLE = "schema_migration"


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


def _migrator_class() -> Any:
    # Imported late: rls.py is written alongside this module and the runner
    # must stay importable (and usable with the stock migrator) without it.
    try:
        from everyskill_db.rls import EverySkillMigrator
    except ImportError:
        from playhouse.migrate import PostgresqlMigrator as EverySkillMigrator
    return EverySkillMigrator


class MigrationRunner(Runner):
    """playhouse.migrations.Runner bound to EverySkill's migrations and migrator."""

    def __init__(
        self,
        database: Any,
        directory: str | None = None,
        table_name: str = HISTORY_TABLE,
        schema: str | None = None,
    ) -> None:
        super().__init__(database, directory or migrations_directory(), table_name, schema)
        self.migrator = _migrator_class()(database, schema=schema)
