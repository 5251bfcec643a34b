"""CHECK constraints for the three remaining value lists of docs/schema.md: tenants.plan,
skills.visibility (which decides what other tenants may read) and skill_feedback.source.

Frozen like 0034: the lists are literals here, each constraint is named
<table>_<column>_check, and re-running is harmless (drop if present, add, in one ALTER TABLE).
"""

# The sha256 of this file before its docstring cited docs/schema.md (same SQL, other bytes).
PREVIOUS_CHECKSUMS = ("e21cfdac76a2e1ebcdbd5cfab4d5e82e3b19b83697711f13b123c49ab512057c",)

CHECKS = [
    ("tenants", "plan", "IN ('freemium', 'paid')"),
    ("skills", "visibility", "IN ('global_approved', 'tenant', 'personal', 'private')"),
    ("skill_feedback", "source", "IN ('web', 'mcp', 'api', 'hook')"),
]


def up(migrator, db):
    for table, column, condition in CHECKS:
        name = f"{table}_{column}_check"
        migrator.migrate(
            migrator.sql(
                f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name},"
                f" ADD CONSTRAINT {name} CHECK ({column} {condition})"
            )
        )


def down(migrator, db):
    for table, column, _ in reversed(CHECKS):
        migrator.migrate(
            migrator.sql(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {table}_{column}_check")
        )
