"""Every value rule refuses bad values on every write path, before anything is written."""

from __future__ import annotations

import uuid

import pytest

from everyskill_db import (
    BenchmarkResult,
    BenchmarkRun,
    EverySkillDBError,
    Skill,
    SkillFeedback,
    Tenant,
    TokenMeasurement,
    User,
    ValidationError,
)
from everyskill_db.validation import RULES, OneOf, Range, validate_row

MODELS = {m._meta.table_name: m for m in
          (SkillFeedback, BenchmarkRun, BenchmarkResult, TokenMeasurement, Skill, User, Tenant)}


def bad_values(rule):
    if isinstance(rule, OneOf):
        return ["bogus", True] if isinstance(rule.values[0], int) else ["bogus", ""]
    below = [rule.low - 1]
    above = [] if rule.high is None else [rule.high + 1]
    return [*below, *above, "5", True, 1.5]


CASES = [
    pytest.param(table, column, value, id=f"{table}.{column}={value!r}")
    for table, rules in RULES.items()
    for column, rule in rules.items()
    for value in bad_values(rule)
]


def valid_fields(factory, table):
    if table == "tenants":
        return {"name": "t", "slug": f"t-{uuid.uuid4().hex[:8]}"}
    tenant = factory.tenant()
    if table == "users":
        return {"tenant": tenant, "email": f"{tenant.slug}@example.test"}
    if table == "skills":
        return {"tenant": tenant, "name": "n", "slug": tenant.slug, "description": "d",
                "category": "c", "content": "x"}
    skill = factory.skill(tenant)
    if table == "skill_feedback":
        return {"tenant": tenant, "skill": skill, "feedback_type": "thumbs_up"}
    if table == "token_measurements":
        return {"tenant": tenant, "skill": skill, "model_name": "m"}
    run = BenchmarkRun.create(tenant=tenant, skill=skill, triggered_by=factory.user(tenant),
                              models=["m"])
    if table == "benchmark_runs":
        return {"tenant": tenant, "skill": skill, "triggered_by": run.triggered_by,
                "models": ["m"]}
    return {"tenant": tenant, "benchmark_run": run, "model_name": "m", "model_provider": "p",
            "test_case_index": 0}


def assert_refused(excinfo, table, column, value):
    error = excinfo.value
    assert (error.table, error.field, error.value) == (table, column, value)
    assert error.allowed and error.allowed in str(error) and column in str(error)


@pytest.mark.parametrize(("table", "column", "value"), CASES)
def test_create_and_insert_refuse_bad_values(db, factory, table, column, value):
    model = MODELS[table]
    fields = valid_fields(factory, table)
    before = model.select().count()
    with pytest.raises(ValidationError) as excinfo:
        model.create(**{**fields, column: value})
    assert_refused(excinfo, table, column, value)
    with pytest.raises(ValidationError):
        model.insert({**fields, column: value}).execute()
    with pytest.raises(ValidationError):
        model.insert_many([dict(fields), {**fields, column: value}]).execute()
    assert model.select().count() == before


@pytest.mark.parametrize(("table", "column", "value"), CASES)
def test_save_and_update_refuse_bad_values(db, factory, table, column, value):
    model = MODELS[table]
    row = model.create(**valid_fields(factory, table))
    stored = getattr(row, column)
    setattr(row, column, value)
    with pytest.raises(ValidationError) as excinfo:
        row.save()
    assert_refused(excinfo, table, column, value)
    with pytest.raises(ValidationError):
        model.update({getattr(model, column): value}).where(model.id == row.id).execute()
    assert getattr(model.get_by_id(row.id), column) == stored


def test_good_boundary_values_pass(db, factory):
    fields = valid_fields(factory, "skill_feedback")
    for sentiment, score in ((-1, 1), (0, 10), (1, None)):
        SkillFeedback.create(**fields, sentiment=sentiment, quality_score=score)
    fields = valid_fields(factory, "benchmark_results")
    BenchmarkResult.insert_many(
        [{**fields, "quality_score": 0, "test_case_index": 1},
         {**fields, "quality_score": 100, "test_case_index": 2}]
    ).execute()
    assert SkillFeedback.select().count() == 3
    assert BenchmarkResult.select().count() == 2


def test_insert_many_with_field_tuples_is_checked(db, factory):
    fields = valid_fields(factory, "token_measurements")
    columns = [TokenMeasurement.tenant, TokenMeasurement.skill, TokenMeasurement.model_name,
               TokenMeasurement.latency_ms]
    tenant, skill = fields["tenant"], fields["skill"]
    rows = [(tenant, skill, "m", 5), (tenant, skill, "m", -5)]
    with pytest.raises(ValidationError, match="latency_ms"):
        TokenMeasurement.insert_many(rows, fields=columns).execute()
    assert TokenMeasurement.select().count() == 0


def test_sql_expressions_are_left_to_the_database(db, factory):
    skill = factory.skill(factory.tenant())
    Skill.update(total_uses=Skill.total_uses + 1).where(Skill.id == skill.id).execute()
    assert Skill.get_by_id(skill.id).total_uses == 1


def test_validation_error_is_a_value_error_under_the_root():
    with pytest.raises(ValidationError) as excinfo:
        validate_row("skill_feedback", {"feedback_type": "thumbs_sideways"})
    assert isinstance(excinfo.value, ValueError)
    assert isinstance(excinfo.value, EverySkillDBError)
    assert str(excinfo.value) == (
        "skill_feedback.feedback_type cannot be 'thumbs_sideways': allowed is one of "
        "'thumbs_up', 'thumbs_down', 'suggestion', 'training_example', 'bug_report'"
    )
    assert isinstance(RULES["skill_feedback"]["quality_score"], Range)
