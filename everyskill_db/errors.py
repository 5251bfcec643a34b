"""The exception tree of everyskill_db.

    from everyskill_db import EverySkillDBError, ValidationError

    try:
        SkillFeedback.create(skill=skill, tenant=tenant, feedback_type="like")
    except ValidationError as exc:
        print(exc.field, exc.value, exc.allowed)
    except EverySkillDBError as exc:      # anything else the package raises
        print(exc)

Every error the package raises on purpose derives from EverySkillDBError, so one
``except`` clause covers them. ValidationError is also a ValueError, and MigrationError
is also playhouse's MigrationError, so code written against either keeps working.
"""

from __future__ import annotations

from typing import Any

from playhouse.migrations import MigrationError as _PlayhouseMigrationError

__all__ = [
    "ConfigurationError",
    "ConstraintViolation",
    "DatabaseConnectionError",
    "EverySkillDBError",
    "LockNotAvailable",
    "MigrationError",
    "MigrationLockTimeout",
    "PermissionDenied",
    "QueryError",
    "TenantContextError",
    "TransactionConflict",
    "ValidationError",
    "first_line",
]


def first_line(exc: BaseException) -> str:
    """The first non-blank line of an exception's text (psycopg2 puts the useful sentence
    there and DETAIL/HINT/CONTEXT below), else the exception's class name."""
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__


class EverySkillDBError(Exception):
    """Root of every exception everyskill_db raises on purpose."""


class ConfigurationError(EverySkillDBError):
    """A setting is unusable: a malformed database URL, a missing optional extra."""


class DatabaseConnectionError(EverySkillDBError):
    """The database cannot be reached, refuses the credentials, or does not exist."""


class ValidationError(EverySkillDBError, ValueError):
    """A value breaks a rule of the schema; raised before anything is written."""

    def __init__(self, table: str, field: str, value: Any, allowed: str) -> None:
        self.table = table
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{table}.{field} cannot be {value!r}: allowed is {allowed}")


class TenantContextError(EverySkillDBError):
    """No tenant, an empty tenant, or a conflicting tenant for the work at hand."""


class QueryError(EverySkillDBError):
    """PostgreSQL refused a statement for a reason the caller can act on.

    The driver's exception is ``__cause__``; ``sqlstate`` is its SQLSTATE code and
    ``constraint`` the name of the constraint involved, when there is one."""

    def __init__(self, message: str, *, sqlstate: str | None = None,
                 constraint: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.constraint = constraint


class ConstraintViolation(QueryError):
    """A row broke a constraint: unique, foreign key, check or not-null (SQLSTATE 23xxx)."""


class PermissionDenied(QueryError):
    """The role may not do this: a missing privilege or a row-level-security policy (42501)."""


class LockNotAvailable(QueryError):
    """A lock could not be had within lock_timeout (55P03)."""


class TransactionConflict(QueryError):
    """A deadlock or serialization failure (40P01, 40001): the whole transaction was rolled
    back and can be retried as it is."""

    retryable = True


class MigrationError(EverySkillDBError, _PlayhouseMigrationError):
    """A migration could not be planned, applied or reverted."""


class MigrationLockTimeout(MigrationError):
    """Another runner held the migration lock for longer than the allowed wait."""
