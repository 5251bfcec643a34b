"""everyskill_db: the Python data layer of EverySkill.

    import everyskill_db
    from everyskill_db import Skill, SkillFeedback

    everyskill_db.connect()                    # url argument, $DATABASE_URL, or embedded
    for skill in Skill.select().order_by(Skill.total_feedback.desc()).limit(5):
        print(skill.name, skill.positive_feedback_pct)

Set up a database with ``python -m everyskill_db.migrate``.
"""

from everyskill_db.database import connect, database_proxy
from everyskill_db.errors import (
    ConfigurationError,
    DatabaseConnectionError,
    EverySkillDBError,
    MigrationError,
    MigrationLockTimeout,
    TenantContextError,
    ValidationError,
)
from everyskill_db.models import (
    BenchmarkResult,
    BenchmarkRun,
    Skill,
    SkillFeedback,
    SkillVersion,
    Tenant,
    TokenMeasurement,
    UsageEvent,
    User,
)
from everyskill_db.sanitize import SanitizeResult, sanitize_object, sanitize_payload

__version__ = "0.1.0"

__all__ = [
    "BenchmarkResult",
    "BenchmarkRun",
    "ConfigurationError",
    "DatabaseConnectionError",
    "EverySkillDBError",
    "MigrationError",
    "MigrationLockTimeout",
    "SanitizeResult",
    "Skill",
    "SkillFeedback",
    "SkillVersion",
    "Tenant",
    "TenantContextError",
    "TokenMeasurement",
    "UsageEvent",
    "User",
    "ValidationError",
    "connect",
    "database_proxy",
    "sanitize_object",
    "sanitize_payload",
]
