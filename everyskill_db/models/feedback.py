"""Feedback on skills: thumbs, suggestions, training examples, bug reports.

    SkillFeedback.create(tenant=acme, skill=skill, user=ada, feedback_type="suggestion",
                         comment="Mention `git diff --staged`.")
    ada.feedback            # what ada wrote (user_id)
    grace.reviewed_feedback # what grace reviewed (reviewed_by)

Use everyskill_db.aggregates.record_feedback to keep the skill's aggregates true. Every
free-text column is a SanitizedTextField: secrets are redacted before they are stored.
usage_event_id is plain text on purpose: usage_events.id is a uuid, this column is not.
"""

from __future__ import annotations

from peewee import ForeignKeyField, IntegerField, TextField
from playhouse.postgres_ext import DateTimeTZField

from everyskill_db.fields import SanitizedTextField
from everyskill_db.models.base import BaseModel, new_id, utc_now
from everyskill_db.models.skills import Skill, SkillVersion
from everyskill_db.models.tenancy import Tenant, User

__all__ = ["SkillFeedback"]


class SkillFeedback(BaseModel):
    id = TextField(primary_key=True, default=new_id)
    tenant = ForeignKeyField(Tenant, backref="skill_feedback")
    skill = ForeignKeyField(Skill, backref="feedback", on_delete="CASCADE")
    skill_version = ForeignKeyField(SkillVersion, null=True, backref="feedback", index=False)
    user = ForeignKeyField(User, null=True, backref="feedback")
    usage_event_id = TextField(null=True)
    feedback_type = TextField(index=True)
    sentiment = IntegerField(null=True)
    comment = SanitizedTextField(null=True)
    suggested_content = SanitizedTextField(null=True)
    suggested_diff = SanitizedTextField(null=True)
    example_input = SanitizedTextField(null=True)
    example_output = SanitizedTextField(null=True)
    expected_output = SanitizedTextField(null=True)
    quality_score = IntegerField(null=True)
    status = TextField(default="pending", index=True)
    reviewed_by = ForeignKeyField(
        User, column_name="reviewed_by", null=True, backref="reviewed_feedback", index=False
    )
    reviewed_at = DateTimeTZField(null=True)
    review_notes = SanitizedTextField(null=True)
    source = TextField(default="web")
    created_at = DateTimeTZField(default=utc_now)

    class Meta:
        table_name = "skill_feedback"
