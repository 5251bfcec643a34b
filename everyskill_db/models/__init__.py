"""The nine EverySkill tables as peewee models, bound to everyskill_db.database_proxy.

    from everyskill_db.models import ALL_MODELS, Skill

    for skill in Skill.select().where(Skill.total_feedback > 0):
        print(skill.name, skill.positive_feedback_pct)

ALL_MODELS lists them in dependency order; TENANT_MODELS the eight tables whose rows belong
to a tenant and are guarded by row level security.
"""

from everyskill_db.models.base import BaseModel
from everyskill_db.models.benchmarks import BenchmarkResult, BenchmarkRun
from everyskill_db.models.feedback import SkillFeedback
from everyskill_db.models.skills import Skill, SkillVersion
from everyskill_db.models.tenancy import Tenant, User
from everyskill_db.models.tokens import TokenMeasurement, UsageEvent

__all__ = [
    "ALL_MODELS",
    "TENANT_MODELS",
    "BaseModel",
    "BenchmarkResult",
    "BenchmarkRun",
    "Skill",
    "SkillFeedback",
    "SkillVersion",
    "Tenant",
    "TokenMeasurement",
    "UsageEvent",
    "User",
]

TENANT_MODELS = (
    User,
    Skill,
    SkillVersion,
    UsageEvent,
    SkillFeedback,
    TokenMeasurement,
    BenchmarkRun,
    BenchmarkResult,
)
ALL_MODELS = (Tenant, *TENANT_MODELS)
