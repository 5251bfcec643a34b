"""What using a skill costs: usage events and token measurements.

    TokenMeasurement.create(tenant=acme, skill=skill, model_name="claude-sonnet-4",
                            input_tokens=1200, output_tokens=300, total_tokens=1500,
                            estimated_cost_microcents=4200)
    skill.token_measurements

Use everyskill_db.aggregates.record_token_measurement(s) to keep the skill's average cost
true. usage_event_id is plain text, not a relation (usage_events.id is a uuid).
"""

from __future__ import annotations

from peewee import DateTimeField, ForeignKeyField, IntegerField, TextField, UUIDField
from playhouse.postgres_ext import BinaryJSONField, DateTimeTZField

from everyskill_db.models.base import BaseModel, new_id, utc_now, utc_now_naive
from everyskill_db.models.skills import Skill
from everyskill_db.models.tenancy import Tenant, User

__all__ = ["TokenMeasurement", "UsageEvent"]


class UsageEvent(BaseModel):
    # The one id the server makes: uuid DEFAULT gen_random_uuid(), returned on insert.
    id = UUIDField(primary_key=True)
    tenant = ForeignKeyField(Tenant, backref="usage_events")
    tool_name = TextField()
    skill_id = TextField(null=True)
    user = ForeignKeyField(User, null=True, backref="usage_events", index=False)
    metadata = BinaryJSONField(null=True, index=False)
    created_at = DateTimeField(default=utc_now_naive)

    class Meta:
        table_name = "usage_events"


class TokenMeasurement(BaseModel):
    id = TextField(primary_key=True, default=new_id)
    tenant = ForeignKeyField(Tenant, backref="token_measurements")
    skill = ForeignKeyField(Skill, backref="token_measurements", on_delete="CASCADE")
    usage_event_id = TextField(null=True)
    user = ForeignKeyField(User, null=True, backref="token_measurements", index=False)
    input_tokens = IntegerField(null=True)
    output_tokens = IntegerField(null=True)
    total_tokens = IntegerField(null=True)
    model_name = TextField(index=True)
    model_provider = TextField(default="anthropic")
    estimated_cost_microcents = IntegerField(null=True)
    latency_ms = IntegerField(null=True)
    source = TextField(default="hook")
    created_at = DateTimeTZField(default=utc_now, index=True)

    class Meta:
        table_name = "token_measurements"
