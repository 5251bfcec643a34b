"""Value rules shared by the models, the helpers and (frozen) migration 0034.

    from everyskill_db.validation import validate_row

    validate_row("skill_feedback", {"feedback_type": "thumbs_up", "sentiment": 1})  # fine
    validate_row("skill_feedback", {"quality_score": 11})
    # ValidationError: skill_feedback.quality_score cannot be 11: allowed is an integer
    # from 1 to 10, or NULL

A rule only judges values that are present and not None: whether a column may be NULL is
the schema's business, and the database answers it. Migrations 0034 and 0037 write the same rules
as CHECK constraints, so raw SQL cannot store what the models refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from everyskill_db.errors import ValidationError

__all__ = [
    "BENCHMARK_RUN_STATUSES",
    "FEEDBACK_SOURCES",
    "FEEDBACK_STATUSES",
    "FEEDBACK_TYPES",
    "RULES",
    "SENTIMENTS",
    "SKILL_VISIBILITIES",
    "TENANT_PLANS",
    "USER_ROLES",
    "OneOf",
    "Range",
    "validate_row",
]

FEEDBACK_TYPES = ("thumbs_up", "thumbs_down", "suggestion", "training_example", "bug_report")
FEEDBACK_STATUSES = ("pending", "accepted", "dismissed", "implemented", "approved")
BENCHMARK_RUN_STATUSES = ("pending", "running", "completed", "failed")
SENTIMENTS = (-1, 0, 1)


@dataclass(frozen=True)
class OneOf:
    """The value must be one of ``values``."""

    values: tuple

    def accepts(self, value: Any) -> bool:
        # bool is an int: True must not pass for sentiment 1.
        return not isinstance(value, bool) and value in self.values

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)


@dataclass(frozen=True)
class Range:
    """An integer from ``low`` to ``high`` (inclusive); ``high`` None means no upper bound."""

    low: int
    high: int | None = None

    def accepts(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return self.low <= value and (self.high is None or value <= self.high)

    def describe(self) -> str:
        if self.high is None:
            return f"an integer >= {self.low}"
        return f"an integer from {self.low} to {self.high}"


NON_NEGATIVE = Range(0)
PERCENT = Range(0, 100)

USER_ROLES = ("admin", "member")
TENANT_PLANS = ("freemium", "paid")
SKILL_VISIBILITIES = ("global_approved", "tenant", "personal", "private")
FEEDBACK_SOURCES = ("web", "mcp", "api", "hook")

RULES: dict[str, dict[str, Any]] = {
    "tenants": {
        "plan": OneOf(TENANT_PLANS),
    },
    "users": {
        "role": OneOf(USER_ROLES),
    },
    "skill_feedback": {
        "feedback_type": OneOf(FEEDBACK_TYPES),
        "sentiment": OneOf(SENTIMENTS),
        "quality_score": Range(1, 10),
        "status": OneOf(FEEDBACK_STATUSES),
        "source": OneOf(FEEDBACK_SOURCES),
    },
    "benchmark_runs": {
        "status": OneOf(BENCHMARK_RUN_STATUSES),
        "best_quality_score": PERCENT,
        "cheapest_cost_microcents": NON_NEGATIVE,
    },
    "benchmark_results": {
        "quality_score": PERCENT,
        "test_case_index": NON_NEGATIVE,
        "input_tokens": NON_NEGATIVE,
        "output_tokens": NON_NEGATIVE,
        "total_tokens": NON_NEGATIVE,
        "latency_ms": NON_NEGATIVE,
        "estimated_cost_microcents": NON_NEGATIVE,
    },
    "token_measurements": {
        "input_tokens": NON_NEGATIVE,
        "output_tokens": NON_NEGATIVE,
        "total_tokens": NON_NEGATIVE,
        "estimated_cost_microcents": NON_NEGATIVE,
        "latency_ms": NON_NEGATIVE,
    },
    "skills": {
        "visibility": OneOf(SKILL_VISIBILITIES),
        "total_uses": NON_NEGATIVE,
        "total_feedback": NON_NEGATIVE,
        "positive_feedback_pct": PERCENT,
        "avg_token_cost_microcents": NON_NEGATIVE,
    },
}


def validate_row(table: str, values: Mapping[str, Any]) -> None:
    """Raise ValidationError for the first value in ``values`` (column -> value) that breaks
    a rule of ``table``; columns without rules and None values pass."""
    rules = RULES.get(table)
    if not rules:
        return
    for column, value in values.items():
        rule = rules.get(column)
        if rule is None or value is None or rule.accepts(value):
            continue
        raise ValidationError(table, column, value, rule.describe())
