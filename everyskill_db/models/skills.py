"""Skills and their versions.

    skill = Skill.create(tenant=acme, name="Review", slug="review", description="...",
                         category="quality", content="# Review", tags=["git"])
    SkillVersion.create(tenant=acme, skill=skill, version=1, ...)
    skill.versions, skill.feedback, skill.token_measurements, skill.benchmark_runs

published_version_id, draft_version_id and forked_from_id are plain text: skills and
skill_versions reference each other, and the schema keeps that circle free of constraints.
The three aggregate columns are maintained by everyskill_db.aggregates; do not set them by hand.
"""

from __future__ import annotations

from peewee import DateTimeField, ForeignKeyField, IntegerField, TextField
from playhouse.postgres_ext import ArrayField, BinaryJSONField, DateTimeTZField

from everyskill_db.models.base import BaseModel, new_id, utc_now, utc_now_naive
from everyskill_db.models.tenancy import Tenant, User

__all__ = ["Skill", "SkillVersion"]


class Skill(BaseModel):
    id = TextField(primary_key=True, default=new_id)
    tenant = ForeignKeyField(Tenant, backref="skills")
    name = TextField()
    slug = TextField()
    description = TextField()
    category = TextField()
    tags = ArrayField(TextField, null=True, default=list, index=False)
    status = TextField(default="published")
    visibility = TextField(default="tenant")
    content = TextField()
    author = ForeignKeyField(User, null=True, backref="authored_skills", index=False)
    published_version_id = TextField(null=True)
    draft_version_id = TextField(null=True)
    forked_from_id = TextField(null=True)
    total_uses = IntegerField(default=0)
    average_rating = IntegerField(null=True)
    total_feedback = IntegerField(default=0)
    positive_feedback_pct = IntegerField(null=True)
    avg_token_cost_microcents = IntegerField(null=True)
    created_at = DateTimeField(default=utc_now_naive)
    updated_at = DateTimeField(default=utc_now_naive)

    class Meta:
        table_name = "skills"
        indexes = ((("tenant", "slug"), True),)


class SkillVersion(BaseModel):
    id = TextField(primary_key=True, default=new_id)
    tenant = ForeignKeyField(Tenant, backref="skill_versions")
    skill = ForeignKeyField(Skill, backref="versions", on_delete="CASCADE", index=False)
    version = IntegerField()
    content_url = TextField()
    content_hash = TextField()
    content_type = TextField()
    name = TextField()
    description = TextField()
    metadata = BinaryJSONField(null=True, index=False)
    created_by = ForeignKeyField(
        User, column_name="created_by", null=True, backref="created_versions", index=False
    )
    created_at = DateTimeTZField(default=utc_now)

    class Meta:
        table_name = "skill_versions"
