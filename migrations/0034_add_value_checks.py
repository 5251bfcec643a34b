"""Add CHECK constraints for the value rules of everyskill_db.validation, so that a script
writing raw SQL cannot store what the models refuse.

The rules are frozen here as literals (a later change to validation.py needs a new migration).
Each constraint is named <table>_<column>_check. NULL passes every CHECK, so nullable columns
stay nullable. Re-running is harmless: each constraint is dropped, if present, and added again
in one ALTER TABLE.
"""

NON_NEGATIVE = ">= 0"
PERCENT = "BETWEEN 0 AND 100"

# (table, column, condition on the column)
CHECKS = [
    (
        "skill_feedback",
        "feedback_type",
        "IN ('thumbs_up', 'thumbs_down', 'suggestion', 'training_example', 'bug_report')",
    ),
    ("skill_feedback", "sentiment", "IN (-1, 0, 1)"),
    ("skill_feedback", "quality_score", "BETWEEN 1 AND 10"),
    (
        "skill_feedback",
        "status",
        "IN ('pending', 'accepted', 'dismissed', 'implemented', 'approved')",
    ),
    ("benchmark_runs", "status", "IN ('pending', 'running', 'completed', 'failed')"),
    ("benchmark_runs", "best_quality_score", PERCENT),
    ("benchmark_runs", "cheapest_cost_microcents", NON_NEGATIVE),
    ("benchmark_results", "quality_score", PERCENT),
    ("benchmark_results", "test_case_index", NON_NEGATIVE),
    ("benchmark_results", "input_tokens", NON_NEGATIVE),
    ("benchmark_results", "output_tokens", NON_NEGATIVE),
    ("benchmark_results", "total_tokens", NON_NEGATIVE),
    ("benchmark_results", "latency_ms", NON_NEGATIVE),
    ("benchmark_results", "estimated_cost_microcents", NON_NEGATIVE),
    ("token_measurements", "input_tokens", NON_NEGATIVE),
    ("token_measurements", "output_tokens", NON_NEGATIVE),
    ("token_measurements", "total_tokens", NON_NEGATIVE),
    ("token_measurements", "estimated_cost_microcents", NON_NEGATIVE),
    ("token_measurements", "latency_ms", NON_NEGATIVE),
    ("skills", "total_uses", NON_NEGATIVE),
    ("skills", "total_feedback", NON_NEGATIVE),
    ("skills", "positive_feedback_pct", PERCENT),
    ("skills", "avg_token_cost_microcents", NON_NEGATIVE),
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
