"""The models against the migrated schema: round trips, relations, cascades."""

from __future__ import annotations

import datetime
import uuid

import peewee
import pytest

import everyskill_db
from everyskill_db import (
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

UTC = datetime.timezone.utc
NAIVE = datetime.datetime(2026, 2, 15, 14, 31, 6, 123456)
AWARE = datetime.datetime(2026, 2, 15, 14, 31, 6, 123000, tzinfo=UTC)
AWARE_US = datetime.datetime(2026, 2, 15, 14, 31, 6, 123456, tzinfo=UTC)


def test_every_model_is_importable_from_the_package():
    for name in ("Tenant", "User", "Skill", "SkillVersion", "UsageEvent", "SkillFeedback",
                 "TokenMeasurement", "BenchmarkRun", "BenchmarkResult"):
        assert name in everyskill_db.__all__
        assert getattr(everyskill_db, name)._meta.database is everyskill_db.database_proxy


def reread(instance):
    model = type(instance)
    return model.get_by_id(instance.get_id())


def assert_round_trip(instance, **expected):
    """Each column reads back as written, through the ORM and through raw SQL."""
    fresh = reread(instance)
    for name, value in expected.items():
        assert getattr(fresh, name) == value, name
    model = type(instance)
    row = model._meta.database.execute_sql(
        f'SELECT count(*) FROM "{model._meta.table_name}" WHERE id = %s', (instance.get_id(),)
    ).fetchone()
    assert row == (1,)


def full_graph(factory):
    tenant = Tenant.create(
        name="Acme", slug="acme-rt", domain="acme.test", logo="https://acme.test/logo.png",
        is_active=False, plan="paid", vanity_domain="skills.acme.test",
        created_at=NAIVE, updated_at=NAIVE,
    )
    author = User.create(
        tenant=tenant, email="ada@acme.test", role="admin", name="Ada",
        email_verified=NAIVE, image="ada.png", created_at=NAIVE, updated_at=NAIVE,
    )
    reviewer = factory.user(tenant, name="Grace")
    skill = Skill.create(
        tenant=tenant, name="Review", slug="review", description="Reviews diffs",
        category="quality", tags=["git", "review", "ünïcode"], status="draft",
        visibility="global_approved", content="# Review\n", author=author,
        published_version_id="pv", draft_version_id="dv", forked_from_id="origin",
        total_uses=7, average_rating=425, created_at=NAIVE, updated_at=NAIVE,
    )
    version = SkillVersion.create(
        tenant=tenant, skill=skill, version=3, content_url="s3://bucket/key",
        content_hash="abc123", content_type="text/markdown", name="Review v3",
        description="third", metadata={"nested": {"list": [1, 2.5, None, True]}, "k": "v"},
        created_by=author, created_at=AWARE,
    )
    return tenant, author, reviewer, skill, version


def test_every_column_round_trips(db, factory):
    tenant, author, reviewer, skill, version = full_graph(factory)
    assert_round_trip(
        tenant, name="Acme", slug="acme-rt", domain="acme.test",
        logo="https://acme.test/logo.png", is_active=False, plan="paid",
        vanity_domain="skills.acme.test", created_at=NAIVE, updated_at=NAIVE,
    )
    assert_round_trip(
        author, tenant=tenant, email="ada@acme.test", role="admin", name="Ada",
        email_verified=NAIVE, image="ada.png", created_at=NAIVE, updated_at=NAIVE,
    )
    assert_round_trip(
        skill, tags=["git", "review", "ünïcode"], status="draft", visibility="global_approved",
        author=author, published_version_id="pv", draft_version_id="dv",
        forked_from_id="origin", total_uses=7, average_rating=425, total_feedback=0,
        positive_feedback_pct=None, avg_token_cost_microcents=None,
    )
    assert_round_trip(
        version, skill=skill, version=3, content_url="s3://bucket/key", content_hash="abc123",
        content_type="text/markdown", name="Review v3", description="third",
        metadata={"nested": {"list": [1, 2.5, None, True]}, "k": "v"},
        created_by=author, created_at=AWARE,
    )
    event = UsageEvent.create(
        tenant=tenant, tool_name="deploy_skill", skill_id="not-a-fk", user=author,
        metadata={"args": ["a"]}, created_at=NAIVE,
    )
    assert isinstance(event.id, uuid.UUID)  # made by the server, returned on insert
    assert_round_trip(event, tool_name="deploy_skill", skill_id="not-a-fk", user=author,
                      metadata={"args": ["a"]}, created_at=NAIVE)
    feedback = SkillFeedback.create(
        tenant=tenant, skill=skill, skill_version=version, user=author,
        usage_event_id=str(event.id), feedback_type="suggestion", sentiment=0,
        comment="c", suggested_content="sc", suggested_diff="--- a\n+++ b\n",
        example_input="in", example_output="out", expected_output="exp", quality_score=10,
        status="approved", reviewed_by=reviewer, reviewed_at=AWARE_US, review_notes="ok",
        source="mcp", created_at=AWARE,
    )
    assert_round_trip(
        feedback, skill=skill, skill_version=version, user=author,
        usage_event_id=str(event.id), feedback_type="suggestion", sentiment=0, comment="c",
        suggested_content="sc", suggested_diff="--- a\n+++ b\n", example_input="in",
        example_output="out", expected_output="exp", quality_score=10, status="approved",
        reviewed_by=reviewer, reviewed_at=AWARE_US, review_notes="ok", source="mcp",
        created_at=AWARE,
    )
    measurement = TokenMeasurement.create(
        tenant=tenant, skill=skill, usage_event_id="evt", user=author, input_tokens=1200,
        output_tokens=300, total_tokens=1500, model_name="claude-3-5-sonnet-20241022",
        model_provider="anthropic", estimated_cost_microcents=4200, latency_ms=950,
        source="api", created_at=AWARE,
    )
    assert_round_trip(
        measurement, input_tokens=1200, output_tokens=300, total_tokens=1500,
        model_name="claude-3-5-sonnet-20241022", estimated_cost_microcents=4200,
        latency_ms=950, source="api", created_at=AWARE,
    )
    run = BenchmarkRun.create(
        tenant=tenant, skill=skill, skill_version=version, triggered_by=author,
        status="completed", models=["claude-sonnet-4", "gpt-4o"], best_model="gpt-4o",
        best_quality_score=91, cheapest_model="claude-sonnet-4", cheapest_cost_microcents=10,
        started_at=AWARE_US, completed_at=AWARE_US, created_at=AWARE,
    )
    assert_round_trip(
        run, skill_version=version, triggered_by=author, status="completed",
        models=["claude-sonnet-4", "gpt-4o"], best_model="gpt-4o", best_quality_score=91,
        cheapest_model="claude-sonnet-4", cheapest_cost_microcents=10, started_at=AWARE_US,
        completed_at=AWARE_US, created_at=AWARE,
    )
    result = BenchmarkResult.create(
        tenant=tenant, benchmark_run=run, model_name="gpt-4o", model_provider="openai",
        test_case_index=0, input_used="i", output_produced="o", expected_output="e",
        input_tokens=1, output_tokens=2, total_tokens=3, latency_ms=4,
        estimated_cost_microcents=5, quality_score=0, quality_notes="n",
        matches_expected=False, error_message="boom", created_at=AWARE,
    )
    assert_round_trip(
        result, benchmark_run=run, model_name="gpt-4o", model_provider="openai",
        test_case_index=0, input_used="i", output_produced="o", expected_output="e",
        input_tokens=1, output_tokens=2, total_tokens=3, latency_ms=4,
        estimated_cost_microcents=5, quality_score=0, quality_notes="n",
        matches_expected=False, error_message="boom", created_at=AWARE,
    )


def test_nullable_columns_store_null_and_defaults_apply(db, factory):
    tenant = Tenant.create(name="Bare", slug="bare")
    skill = Skill.create(tenant=tenant, name="s", slug="s", description="d", category="c",
                         content="x", tags=None)
    feedback = SkillFeedback.create(tenant=tenant, skill=skill, feedback_type="bug_report")
    fresh = reread(feedback)
    assert (fresh.user, fresh.reviewed_by, fresh.sentiment, fresh.comment, fresh.reviewed_at,
            fresh.skill_version, fresh.usage_event_id) == (None,) * 7
    assert (fresh.status, fresh.source) == ("pending", "web")
    assert reread(skill).tags is None
    assert (reread(tenant).plan, reread(tenant).is_active) == ("freemium", True)
    created = reread(feedback).created_at
    assert created.tzinfo is not None  # timestamptz comes back aware


def test_server_defaults_fill_rows_written_with_raw_sql(db, factory):
    tenant = factory.tenant()
    db.execute_sql(
        "INSERT INTO skills (id, tenant_id, name, slug, description, category, content) "
        "VALUES ('raw', %s, 'n', 'raw', 'd', 'c', 'x')", (tenant.id,)
    )
    skill = Skill.get_by_id("raw")
    assert (skill.tags, skill.status, skill.visibility, skill.total_uses,
            skill.total_feedback) == ([], "published", "tenant", 0, 0)
    assert skill.created_at is not None


@pytest.mark.parametrize("usage_event_id", [
    "not-a-uuid", "", "550e8400-e29b-41d4-a716-446655440000", "ünï ☃ " * 50, "x" * 10_000,
])
def test_usage_event_id_keeps_any_string(db, factory, usage_event_id):
    tenant = factory.tenant()
    skill = factory.skill(tenant)
    feedback = SkillFeedback.create(tenant=tenant, skill=skill, feedback_type="thumbs_up",
                                    usage_event_id=usage_event_id)
    measurement = TokenMeasurement.create(tenant=tenant, skill=skill, model_name="m",
                                          usage_event_id=usage_event_id)
    assert reread(feedback).usage_event_id == usage_event_id
    assert reread(measurement).usage_event_id == usage_event_id


def test_user_backrefs_tell_the_two_foreign_keys_apart(db, factory):
    tenant = factory.tenant()
    ada, grace = factory.user(tenant), factory.user(tenant)
    skill = factory.skill(tenant)
    written = [SkillFeedback.create(tenant=tenant, skill=skill, feedback_type="suggestion",
                                    user=ada, reviewed_by=grace) for _ in range(2)]
    self_reviewed = SkillFeedback.create(tenant=tenant, skill=skill, feedback_type="thumbs_up",
                                         user=grace, reviewed_by=grace)
    assert sorted(f.id for f in ada.feedback) == sorted(f.id for f in written)
    assert list(ada.reviewed_feedback) == []
    assert [f.id for f in grace.feedback] == [self_reviewed.id]
    assert sorted(f.id for f in grace.reviewed_feedback) == sorted(
        [f.id for f in written] + [self_reviewed.id])


def test_relations_and_backrefs(db, factory):
    tenant, author, _, skill, version = full_graph(factory)
    run = BenchmarkRun.create(tenant=tenant, skill=skill, triggered_by=author, models=["m"])
    result = BenchmarkResult.create(tenant=tenant, benchmark_run=run, model_name="m",
                                    model_provider="p", test_case_index=0)
    measurement = TokenMeasurement.create(tenant=tenant, skill=skill, model_name="m",
                                          user=author)
    feedback = SkillFeedback.create(tenant=tenant, skill=skill, feedback_type="thumbs_up")
    assert [v.id for v in skill.versions] == [version.id]
    assert [r.id for r in skill.benchmark_runs] == [run.id]
    assert [r.id for r in run.results] == [result.id]
    assert [m.id for m in skill.token_measurements] == [measurement.id]
    assert [f.id for f in skill.feedback] == [feedback.id]
    assert [m.id for m in author.token_measurements] == [measurement.id]
    assert [r.id for r in author.benchmark_runs] == [run.id]
    assert [s.id for s in tenant.skills] == [skill.id]
    assert not hasattr(SkillFeedback, "usage_event")  # a plain column, not a relation


def count(model, **where):
    query = model.select()
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return query.count()


def test_deleting_a_skill_cascades_to_everything_it_owns(db, factory):
    tenant, author, _, skill, _ = full_graph(factory)
    other = factory.skill(tenant)
    for target in (skill, other):
        SkillVersion.create(tenant=tenant, skill=target, version=1, content_url="u",
                            content_hash="h", content_type="t", name="n", description="d")
        SkillFeedback.create(tenant=tenant, skill=target, feedback_type="thumbs_up")
        TokenMeasurement.create(tenant=tenant, skill=target, model_name="m")
        run = BenchmarkRun.create(tenant=tenant, skill=target, triggered_by=author,
                                  models=["m"])
        BenchmarkResult.create(tenant=tenant, benchmark_run=run, model_name="m",
                               model_provider="p", test_case_index=0)
    # A plain DELETE: the cascade is the database's, not peewee's recursive delete.
    Skill.delete().where(Skill.id == skill.id).execute()
    for model in (SkillVersion, SkillFeedback, TokenMeasurement, BenchmarkRun):
        assert count(model, skill=skill.id) == 0, model.__name__
        assert count(model, skill=other.id) >= 1, model.__name__
    assert BenchmarkResult.select().count() == 1  # only other's run's result is left


def test_deleting_a_run_deletes_its_results_only(db, factory):
    tenant = factory.tenant()
    user, skill = factory.user(tenant), factory.skill(tenant)
    runs = [BenchmarkRun.create(tenant=tenant, skill=skill, triggered_by=user, models=["m"])
            for _ in range(2)]
    for run in runs:
        for i in range(3):
            BenchmarkResult.create(tenant=tenant, benchmark_run=run, model_name="m",
                                   model_provider="p", test_case_index=i)
    runs[0].delete_instance()
    assert count(BenchmarkResult, benchmark_run=runs[0].id) == 0
    assert count(BenchmarkResult, benchmark_run=runs[1].id) == 3
    assert count(Skill, id=skill.id) == 1


def test_references_without_cascade_refuse_the_delete(db, factory):
    tenant = factory.tenant()
    user, skill = factory.user(tenant), factory.skill(tenant)
    SkillFeedback.create(tenant=tenant, skill=skill, feedback_type="thumbs_up", user=user)
    with pytest.raises(peewee.IntegrityError), db.atomic():
        User.delete().where(User.id == user.id).execute()
    assert count(User, id=user.id) == 1
