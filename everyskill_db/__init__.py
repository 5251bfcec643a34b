"""everyskill_db: the Python data layer of EverySkill.

    import everyskill_db
    from everyskill_db import Skill, record_feedback, tenant_context

    everyskill_db.connect()                    # url argument, $DATABASE_URL, or embedded
    with tenant_context(tenant_id):
        record_feedback(skill_id, "thumbs_up", comment="Saved me an hour")
        for skill in Skill.select().order_by(Skill.total_feedback.desc()).limit(5):
            print(skill.name, skill.positive_feedback_pct)

Set up a database with ``python -m everyskill_db.migrate``; check that tenant isolation
holds for your connection with ``python -m everyskill_db.migrate doctor``.
"""

from everyskill_db.aggregates import (
    IngestResult,
    SkillAggregates,
    recompute_all_skill_aggregates,
    recompute_skill_aggregates,
    record_feedback,
    record_token_measurement,
    record_token_measurements,
)
from everyskill_db.database import connect, database_proxy
from everyskill_db.errors import (
    ConfigurationError,
    ConstraintViolation,
    DatabaseConnectionError,
    EverySkillDBError,
    LockNotAvailable,
    MigrationError,
    MigrationLockTimeout,
    PermissionDenied,
    QueryError,
    TenantContextError,
    TransactionConflict,
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
from everyskill_db.tenancy import (
    Finding,
    current_tenant,
    grant_app_role,
    rls_bypass_reason,
    rls_report,
    tenant_context,
)

__version__ = "0.1.0"

__all__ = [
    "BenchmarkResult",
    "BenchmarkRun",
    "ConfigurationError",
    "ConstraintViolation",
    "DatabaseConnectionError",
    "EverySkillDBError",
    "Finding",
    "IngestResult",
    "LockNotAvailable",
    "MigrationError",
    "MigrationLockTimeout",
    "PermissionDenied",
    "QueryError",
    "SanitizeResult",
    "Skill",
    "SkillAggregates",
    "SkillFeedback",
    "SkillVersion",
    "Tenant",
    "TenantContextError",
    "TokenMeasurement",
    "TransactionConflict",
    "UsageEvent",
    "User",
    "ValidationError",
    "connect",
    "current_tenant",
    "database_proxy",
    "grant_app_role",
    "recompute_all_skill_aggregates",
    "recompute_skill_aggregates",
    "record_feedback",
    "record_token_measurement",
    "record_token_measurements",
    "rls_bypass_reason",
    "rls_report",
    "sanitize_object",
    "sanitize_payload",
    "tenant_context",
]
