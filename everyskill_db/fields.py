"""Field types of the models: free text that never stores a secret.

    class SkillFeedback(TenantModel):
        comment = SanitizedTextField(null=True)

    SkillFeedback.create(..., comment="my key is sk-ant-api03-...")
    # stored: "my key is [REDACTED]"; logged at WARNING:
    # redacted anthropic_api_key from skill_feedback.comment

Sanitizing in ``db_value`` covers every way peewee writes a value: Model.create, save,
insert, insert_many and update queries all convert values through the field. Raw SQL does
not, which is why the package's own helpers never write these columns with raw SQL.

peewee also converts the right-hand side of a comparison through the field, so a query
``SkillFeedback.comment == "password=x1y2z3"`` compares against the redacted text (which is
what is stored) and logs the same WARNING, for a read.
"""

from __future__ import annotations

import logging
from typing import Any

import peewee

from everyskill_db.sanitize import sanitize_payload

__all__ = ["SanitizedTextField"]

logger = logging.getLogger("everyskill_db.sanitize")


class SanitizedTextField(peewee.TextField):
    """A TEXT column whose values are passed through sanitize_payload before storage."""

    def db_value(self, value: Any) -> Any:
        value = super().db_value(value)
        if not value:
            return value
        result = sanitize_payload(value)
        if result.secrets_found:
            logger.warning(
                "redacted %s from %s.%s",
                ", ".join(result.secrets_found),
                self.model._meta.table_name,
                self.column_name,
            )
        return result.sanitized
