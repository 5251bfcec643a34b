"""Benchmark runs comparing models on a skill, and their per-case results.

    run = BenchmarkRun.create(tenant=acme, skill=skill, triggered_by=ada,
                              models=["claude-sonnet-4", "gpt-4o"])
    BenchmarkResult.create(tenant=acme, benchmark_run=run, model_name="gpt-4o",
                           model_provider="openai", test_case_index=0, quality_score=87)
    run.results

Deleting a skill deletes its runs, and deleting a run deletes its results. The free-text
columns of results are SanitizedTextFields: model outputs can echo secrets from inputs.
"""

from __future__ import annotations

from peewee import BooleanField, ForeignKeyField, IntegerField, TextField
from playhouse.postgres_ext import ArrayField, DateTimeTZField

from everyskill_db.fields import SanitizedTextField
from everyskill_db.models.base import BaseModel, new_id, utc_now
from everyskill_db.models.skills import Skill, SkillVersion
from everyskill_db.models.tenancy import Tenant, User

__all__ = ["BenchmarkResult", "BenchmarkRun"]


class BenchmarkRun(BaseModel):
    id = TextField(primary_key=True, default=new_id)
    tenant = ForeignKeyField(Tenant, backref="benchmark_runs")
    skill = ForeignKeyField(Skill, backref="benchmark_runs", on_delete="CASCADE")
    skill_version = ForeignKeyField(
        SkillVersion, null=True, backref="benchmark_runs", index=False
    )
    triggered_by = ForeignKeyField(
        User, column_name="triggered_by", backref="benchmark_runs", index=False
    )
    status = TextField(default="pending", index=True)
    models = ArrayField(TextField, index=False)
    best_model = TextField(null=True)
    best_quality_score = IntegerField(null=True)
    cheapest_model = TextField(null=True)
    cheapest_cost_microcents = IntegerField(null=True)
    started_at = DateTimeTZField(null=True)
    completed_at = DateTimeTZField(null=True)
    created_at = DateTimeTZField(default=utc_now)

    class Meta:
        table_name = "benchmark_runs"


class BenchmarkResult(BaseModel):
    id = TextField(primary_key=True, default=new_id)
    tenant = ForeignKeyField(Tenant, backref="benchmark_results")
    benchmark_run = ForeignKeyField(BenchmarkRun, backref="results", on_delete="CASCADE")
    model_name = TextField(index=True)
    model_provider = TextField()
    test_case_index = IntegerField()
    input_used = SanitizedTextField(null=True)
    output_produced = SanitizedTextField(null=True)
    expected_output = SanitizedTextField(null=True)
    input_tokens = IntegerField(null=True)
    output_tokens = IntegerField(null=True)
    total_tokens = IntegerField(null=True)
    latency_ms = IntegerField(null=True)
    estimated_cost_microcents = IntegerField(null=True)
    quality_score = IntegerField(null=True)
    quality_notes = SanitizedTextField(null=True)
    matches_expected = BooleanField(null=True)
    error_message = SanitizedTextField(null=True)
    created_at = DateTimeTZField(default=utc_now)

    class Meta:
        table_name = "benchmark_results"
