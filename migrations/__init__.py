"""Numbered schema migrations of everyskill_db (installed as everyskill_db.migrations).

A migration file is frozen once it may have been applied anywhere: what it runs depends on
its own text and on peewee's migrator only. It executes literal SQL (``migrator.sql(...)``)
or playhouse's own operations, imports nothing from everyskill_db and calls none of
EverySkillMigrator's additions; each has ``down()``. tests/migration_sql/ holds the SQL each
one plans on an empty database, and tests/test_migration_sql.py fails when that changes. A
file whose bytes had to change without changing its SQL lists the sha256 of its earlier
bytes in ``PREVIOUS_CHECKSUMS``, so that databases which applied it do not count it as edited.
"""
