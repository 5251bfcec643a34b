"""The aggregate helpers against a real PostgreSQL: definitions, rounding, validation, the
bulk path, the set-based recompute, the command line, concurrency and row level security."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
import uuid

import pytest

from everyskill_db.aggregates import cli as aggregates_cli
from everyskill_db.aggregates import (
    recompute_all_skill_aggregates,
    recompute_skill_aggregates,
    record_feedback,
    record_token_measurement,
    record_token_measurements,
)
from everyskill_db.database import open_database
from everyskill_db.errors import TenantContextError, ValidationError
from everyskill_db.models import Skill, SkillFeedback, TokenMeasurement
from everyskill_db.tenancy import tenant_context
from everyskill_db.validation import FEEDBACK_TYPES


def stored(skill) -> tuple:
    """The aggregate columns as stored, read back fresh."""
    row = Skill.get_by_id(skill.id)
    return row.total_feedback, row.positive_feedback_pct, row.avg_token_cost_microcents


def fresh_count(database, skill_id) -> tuple:
    """The definitions of docs/schema.md, computed independently of the helpers."""
    feedback = database.execute_sql(
        "SELECT count(*), count(*) FILTER (WHERE feedback_type = 'thumbs_up'),"
        " count(*) FILTER (WHERE feedback_type IN ('thumbs_up', 'thumbs_down'))"
        " FROM skill_feedback WHERE skill_id = %s",
        (skill_id,),
    ).fetchone()
    costs = database.execute_sql(
        "SELECT estimated_cost_microcents FROM token_measurements"
        " WHERE skill_id = %s AND estimated_cost_microcents IS NOT NULL",
        (skill_id,),
    ).fetchall()
    total, up, votes = feedback
    pct = int(100 * up / votes + 0.5) if votes else None  # small counts: floats are exact
    mean = sum(c for (c,) in costs) / len(costs) if costs else None
    return total, pct, None if mean is None else int(mean + 0.5)


# --- definitions and rounding ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ups", "downs", "pct"),
    [(1, 7, 13), (1, 1, 50), (2, 1, 67), (1, 2, 33), (5, 3, 63), (0, 4, 0), (3, 0, 100)],
)
def test_positive_pct_rounds_half_up(factory, ups, downs, pct):
    skill = factory.skill(factory.tenant())
    for feedback_type, n in (("thumbs_up", ups), ("thumbs_down", downs)):
        for _ in range(n):
            record_feedback(skill, feedback_type)
    assert stored(skill) == (ups + downs, pct, None)


def test_only_non_vote_feedback_counts_in_total_with_pct_null(factory):
    skill = factory.skill(factory.tenant())
    record_feedback(skill, "suggestion", comment="Mention git diff --staged")
    record_feedback(skill, "bug_report", comment="Fails on empty repos")
    assert stored(skill) == (2, None, None)


def test_every_feedback_type_counts_in_total(factory):
    skill = factory.skill(factory.tenant())
    for feedback_type in FEEDBACK_TYPES:
        record_feedback(skill, feedback_type)
    assert stored(skill) == (len(FEEDBACK_TYPES), 50, None)


def test_delete_then_recompute(db, factory):
    skill = factory.skill(factory.tenant())
    up = record_feedback(skill, "thumbs_up")
    record_feedback(skill, "thumbs_down")
    record_feedback(skill, "thumbs_down")
    SkillFeedback.delete().where(SkillFeedback.id == up.id).execute()
    result = recompute_skill_aggregates(skill.id)
    assert (result.total_feedback, result.positive_feedback_pct) == (2, 0)
    assert stored(skill) == (2, 0, None) == fresh_count(db, skill.id)


@pytest.mark.parametrize(
    ("costs", "mean"),
    [([10, None, 20], 15), ([1, 2], 2), ([1, 1, 2], 1), ([1, 2, 2], 2), ([None, None], None)],
)
def test_mean_cost_ignores_nulls_and_rounds_half_up(factory, costs, mean):
    skill = factory.skill(factory.tenant())
    for cost in costs:
        record_token_measurement(skill, "claude-sonnet-4", estimated_cost_microcents=cost)
    assert stored(skill) == (0, None, mean)


def test_skill_without_rows_gets_zero_and_nulls(factory):
    skill = factory.skill(factory.tenant())
    Skill.update(total_feedback=9, positive_feedback_pct=9, avg_token_cost_microcents=9).execute()
    result = recompute_skill_aggregates(skill)
    assert (result.total_feedback, result.positive_feedback_pct) == (0, None)
    assert result.avg_token_cost_microcents is None
    assert stored(skill) == (0, None, None)
    assert skill.total_feedback == 0  # the caller's instance follows


# --- write helpers -----------------------------------------------------------------------------


def test_record_feedback_defaults_and_returns_what_was_stored(factory):
    tenant = factory.tenant()
    skill = factory.skill(tenant)
    user = factory.user(tenant)
    up = record_feedback(skill, "thumbs_up", user=user)
    down = record_feedback(skill.id, "thumbs_down")
    note = record_feedback(
        skill, "suggestion", comment="use postgres://app:s3cr3tpass@db/prod", quality_score=7
    )
    assert (up.sentiment, down.sentiment, note.sentiment) == (1, -1, None)
    assert up.tenant_id == tenant.id and up.user_id == user.id and up.status == "pending"
    assert "s3cr3tpass" not in note.comment and "[REDACTED]" in note.comment
    assert SkillFeedback.get_by_id(note.id).comment == note.comment
    assert (skill.total_feedback, skill.positive_feedback_pct) == (3, 50)


def test_record_token_measurement_defaults_total_and_returns_row(factory):
    skill = factory.skill(factory.tenant())
    row = record_token_measurement(
        skill, "gpt-4o", input_tokens=1200, output_tokens=300, estimated_cost_microcents=7
    )
    assert (row.total_tokens, row.model_provider, row.source) == (1500, "anthropic", "hook")
    assert TokenMeasurement.get_by_id(row.id).total_tokens == 1500
    explicit = record_token_measurement(skill, "gpt-4o", input_tokens=1, total_tokens=5)
    assert explicit.total_tokens == 5
    assert stored(skill) == (0, None, 7)


@pytest.mark.parametrize(
    ("feedback_type", "fields"),
    [
        ("like", {}),
        ("thumbs_up", {"sentiment": 2}),
        ("suggestion", {"quality_score": 11}),
        ("suggestion", {"status": "done"}),
        ("suggestion", {"colour": "red"}),
    ],
)
def test_record_feedback_validation_writes_nothing(factory, feedback_type, fields):
    skill = factory.skill(factory.tenant())
    record_feedback(skill, "thumbs_up")
    with pytest.raises(ValidationError):
        record_feedback(skill, feedback_type, **fields)
    assert SkillFeedback.select().count() == 1
    assert stored(skill) == (1, 100, None)


@pytest.mark.parametrize(
    "fields",
    [{"input_tokens": -1}, {"estimated_cost_microcents": -5}, {"latency_ms": True}, {"x": 1}],
)
def test_record_token_measurement_validation_writes_nothing(factory, fields):
    skill = factory.skill(factory.tenant())
    with pytest.raises(ValidationError):
        record_token_measurement(skill, "gpt-4o", **fields)
    assert TokenMeasurement.select().count() == 0


def test_database_error_rolls_back_the_insert(factory):
    skill = factory.skill(factory.tenant())
    with pytest.raises(Exception) as raised:
        record_feedback(skill, "thumbs_up", user="no-such-user")  # foreign key violation
    assert "foreign key" in str(raised.value)
    assert SkillFeedback.select().count() == 0


def test_unknown_skill_raises_does_not_exist(db):
    with pytest.raises(Skill.DoesNotExist):
        record_feedback("no-such-skill", "thumbs_up")
    with pytest.raises(Skill.DoesNotExist):
        recompute_skill_aggregates("no-such-skill")


# --- bulk ingest -------------------------------------------------------------------------------


def test_bulk_ingest_stores_every_row_and_recomputes_each_skill(db, factory):
    tenant = factory.tenant()
    user = factory.user(tenant)
    skills = [factory.skill(tenant) for _ in range(3)]
    odd_name = "odd\tname\nwith\\slash, 'quotes' and \"more\""
    rows = [
        {
            "skill": skills[i % 3],
            "model_name": odd_name if i == 0 else "claude-sonnet-4",
            "input_tokens": i,
            "output_tokens": 2 * i,
            "estimated_cost_microcents": None if i % 5 == 0 else i,
            "user": user if i % 2 else None,
        }
        for i in range(1000)
    ]
    result = record_token_measurements(rows)
    assert result.rows == 1000 and set(result.aggregates) == {s.id for s in skills}
    assert TokenMeasurement.select().count() == 1000
    first = TokenMeasurement.get(TokenMeasurement.input_tokens == 0)
    assert first.model_name == odd_name and first.total_tokens == 0 and first.user_id is None
    assert first.tenant_id == tenant.id and first.source == "hook"
    assert TokenMeasurement.get(TokenMeasurement.input_tokens == 7).total_tokens == 21
    for skill in skills:
        assert stored(skill) == fresh_count(db, skill.id)
        assert result.aggregates[skill.id].avg_token_cost_microcents == stored(skill)[2]
    assert record_token_measurements([]).rows == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"input_tokens": -1},
        {"latency_ms": 2**31},
        {"output_tokens": 1.5},
        {"model_name": None},
        {"model_name": "nul\x00"},
        {"created_at": "yesterday"},
        {"colour": "red"},
    ],
)
def test_bulk_ingest_validates_every_row_before_writing(factory, bad):
    skill = factory.skill(factory.tenant())
    rows = [{"skill": skill, "model_name": "m", "input_tokens": 1} for _ in range(10)]
    rows.append({**rows[0], **bad})
    with pytest.raises(ValidationError, match="row 10"):
        record_token_measurements(rows)
    assert TokenMeasurement.select().count() == 0


def test_bulk_ingest_rolls_back_when_a_late_row_is_invalid(factory):
    # Rows are validated as they stream into COPY: the bad one comes after several chunks
    # have reached the server, and still nothing is stored.
    skill = factory.skill(factory.tenant())
    rows = [{"skill": skill.id, "model_name": "m", "latency_ms": n} for n in range(20_000)]
    rows[19_000] = {"model_name": "m"}
    with pytest.raises(ValidationError, match=r"row 19000: token_measurements\.skill"):
        record_token_measurements(rows)
    assert TokenMeasurement.select().count() == 0
    assert stored(skill) == (0, None, None)


def test_bulk_ingest_ids_are_uuid4(factory):
    skill = factory.skill(factory.tenant())
    record_token_measurements([{"skill": skill, "model_name": "m"} for _ in range(50)])
    ids = [uuid.UUID(row.id) for row in TokenMeasurement.select(TokenMeasurement.id)]
    assert len(set(ids)) == 50 and {i.version for i in ids} == {4}


def test_bulk_ingest_unknown_skill_writes_nothing(factory):
    skill = factory.skill(factory.tenant())
    with pytest.raises(Skill.DoesNotExist):
        record_token_measurements(
            [{"skill": skill, "model_name": "m"}, {"skill": "no-such-skill", "model_name": "m"}]
        )
    assert TokenMeasurement.select().count() == 0


# --- the set-based recompute -------------------------------------------------------------------


def test_recompute_all_repairs_every_skill_and_reports_changes(db, factory):
    tenant_a, tenant_b = factory.tenant(), factory.tenant()
    skills = [factory.skill(tenant_a), factory.skill(tenant_a), factory.skill(tenant_b)]
    bare = factory.skill(tenant_b)
    record_feedback(skills[0], "thumbs_up")
    record_feedback(skills[1], "thumbs_down")
    record_token_measurement(skills[2], "m", estimated_cost_microcents=3)
    stale = {"total_feedback": 42, "positive_feedback_pct": 42, "avg_token_cost_microcents": 42}
    Skill.update(**stale).execute()

    assert recompute_all_skill_aggregates(tenant_a.id) == 2
    assert stored(skills[2]) == stored(bare) == (42, 42, 42)  # tenant B untouched
    assert recompute_all_skill_aggregates() == 2
    assert recompute_all_skill_aggregates() == 0  # nothing left to change
    for skill in [*skills, bare]:
        assert stored(skill) == fresh_count(db, skill.id)
    assert stored(bare) == (0, None, None)


def test_recompute_all_refuses_a_tenant_other_than_the_one_in_force(db, factory):
    tenant_a, tenant_b = factory.tenant(), factory.tenant()
    with tenant_context(tenant_a.id, database=db):
        with pytest.raises(TenantContextError):
            recompute_all_skill_aggregates(tenant_b.id)
        assert recompute_all_skill_aggregates(tenant_a) == 0  # the same tenant is fine


@pytest.mark.parametrize("tenant_id", ["", "  ", 7])
def test_recompute_all_refuses_an_empty_tenant_rather_than_doing_all(db, tenant_id):
    with pytest.raises(TenantContextError):
        recompute_all_skill_aggregates(tenant_id)


# --- command line ------------------------------------------------------------------------------


def test_cli_recomputes_tenant_by_tenant(db, factory, migrated_db_url, capsys):
    tenant_a, tenant_b = factory.tenant(slug="cli-a"), factory.tenant(slug="cli-b")
    skill_a, skill_b = factory.skill(tenant_a), factory.skill(tenant_b)
    record_feedback(skill_a, "thumbs_up")
    Skill.update(total_feedback=5).execute()

    assert aggregates_cli.main(["--tenant", "cli-b", "--database-url", migrated_db_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("cli-b: 1 skill(s) updated") and out[-1].startswith("done: 1 tenant")
    assert stored(skill_a) == (5, 100, None)

    assert aggregates_cli.main(["--database-url", migrated_db_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == ["cli-a", "cli-b", "done"]
    assert out[-1].startswith("done: 2 tenant(s), 1 skill(s) updated")
    assert stored(skill_a) == (1, 100, None) and stored(skill_b) == (0, None, None)


def test_cli_unknown_tenant_is_one_line_and_exit_2(db, migrated_db_url, capsys):
    assert aggregates_cli.main(["--tenant", "nobody", "--database-url", migrated_db_url]) == 2
    captured = capsys.readouterr()
    assert captured.err == "error: no tenant with id or slug 'nobody'\n" and captured.out == ""


def test_rows_for_another_tenant_than_the_skill_s_are_refused(db, factory):
    skill, other = factory.skill(factory.tenant()), factory.tenant()
    with pytest.raises(ValidationError, match="tenant_id"):
        record_feedback(skill, "thumbs_up", tenant=other)
    with pytest.raises(ValidationError, match="tenant_id"):
        record_token_measurement(skill, "m", tenant=other.id)
    with pytest.raises(ValidationError, match=r"row 1: token_measurements\.tenant_id"):
        record_token_measurements([
            {"skill": skill.id, "model_name": "m"},
            {"skill": skill.id, "model_name": "m", "tenant": other.id},
        ])
    assert SkillFeedback.select().count() == TokenMeasurement.select().count() == 0


def test_cli_on_a_database_never_migrated(empty_db_url, capsys):
    assert aggregates_cli.main(["--database-url", empty_db_url]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "run python -m everyskill_db.migrate first" in error
    assert len(error.splitlines()) == 1


def test_cli_unreachable_database_hides_the_password():
    url = "postgresql://app:hunter2secret@127.0.0.1:1/everyskill"
    done = subprocess.run(
        [sys.executable, "-m", "everyskill_db.aggregates", "--database-url", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == "" and len(done.stderr.splitlines()) == 1
    assert "hunter2secret" not in done.stderr and "Traceback" not in done.stderr
    assert "app:***@127.0.0.1:1" in done.stderr


# --- concurrency -------------------------------------------------------------------------------

WRITERS = 16
ROWS_PER_WRITER = 200


def test_concurrent_writers_leave_exact_aggregates(db, factory, migrated_db_url):
    skill = factory.skill(factory.tenant())
    databases = [open_database(migrated_db_url) for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    errors = []

    def write(index: int) -> None:
        database = databases[index]
        try:
            database.connect()
            level = database.execute_sql("SHOW transaction_isolation").fetchone()[0]
            assert level == "read committed"
            # Only skips waiting for the WAL flush at commit (the suite stays fast); what
            # other transactions see, and when, is unchanged.
            database.execute_sql("SET synchronous_commit = off")
            start.wait()
            for n in range(ROWS_PER_WRITER):
                feedback_type = FEEDBACK_TYPES[(index + n) % len(FEEDBACK_TYPES)]
                record_feedback(skill.id, feedback_type, database=database)
        except BaseException as exc:  # reported below: a thread cannot fail the test itself
            errors.append(exc)
            start.abort()
        finally:
            database.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    expected = fresh_count(db, skill.id)
    assert expected[0] == WRITERS * ROWS_PER_WRITER
    assert stored(skill) == expected


@pytest.mark.parametrize(
    "second",
    [
        lambda skill, database: recompute_all_skill_aggregates(database=database),
        lambda skill, database: record_feedback(skill.id, "thumbs_up", database=database),
    ],
    ids=["recompute_all", "record_feedback"],
)
def test_second_writer_waits_for_the_first_and_counts_its_row(db, factory, migrated_db_url, second):
    """The race the skill row lock closes, played step by step: the first writer has
    inserted but not committed when the second starts; the second must wait, then count the
    first one's row, never store a count taken before the first committed."""
    skill = factory.skill(factory.tenant())
    record_feedback(skill, "thumbs_up")
    Skill.update(total_feedback=9).execute()  # stale, so that recompute_all rewrites it
    first, other = open_database(migrated_db_url), open_database(migrated_db_url)
    pids, errors = queue.Queue(), []

    def run_second() -> None:
        try:
            with other.connection_context():
                pids.put(other.execute_sql("SELECT pg_backend_pid()").fetchone()[0])
                second(skill, other)
        except BaseException as exc:
            errors.append(exc)
            pids.put(None)

    with first.connection_context():
        with first.atomic():
            record_feedback(skill, "thumbs_down", database=first)  # lock held until commit
            thread = threading.Thread(target=run_second)
            thread.start()
            wait_until_blocked(first, pids.get(timeout=60))
        thread.join()
    assert errors == []
    assert stored(skill) == fresh_count(db, skill.id)
    assert stored(skill)[0] == SkillFeedback.select().count()


def wait_until_blocked(observer, pid: int) -> None:
    """Return once backend ``pid`` waits for a lock (polling pg_locks, as PostgreSQL's own
    isolation tester does)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        waiting = observer.execute_sql(
            "SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", (pid,)
        ).fetchone()[0]
        if waiting:
            return
    raise AssertionError(f"backend {pid} never waited for a lock")


# --- row level security, as the application role --------------------------------------------------


def test_app_role_recomputes_only_its_tenant(db, app_db, factory):
    tenant_a, tenant_b = factory.tenant(), factory.tenant()
    skill_a = factory.skill(tenant_a)
    skill_b = factory.skill(tenant_b)
    shared_b = factory.skill(tenant_b, visibility="global_approved")  # visible to tenant A
    for skill in (skill_a, skill_b, shared_b):
        record_feedback(skill, "thumbs_up")
    Skill.update(total_feedback=7, positive_feedback_pct=7).execute()

    with tenant_context(tenant_a.id, database=app_db):
        assert recompute_all_skill_aggregates(database=app_db) == 1
    assert stored(skill_a) == (1, 100, None)
    assert stored(skill_b) == stored(shared_b) == (7, 7, None)

    assert recompute_all_skill_aggregates(tenant_b.id, database=app_db) == 2
    assert stored(skill_b) == stored(shared_b) == (1, 100, None)

    with tenant_context(tenant_a.id, database=app_db):
        record_feedback(skill_a.id, "thumbs_down", database=app_db)
        record_token_measurement(skill_a.id, "m", estimated_cost_microcents=4, database=app_db)
        result = record_token_measurements(
            [{"skill": skill_a.id, "model_name": "m", "estimated_cost_microcents": 6}],
            database=app_db,
        )
        assert result.aggregates[skill_a.id].avg_token_cost_microcents == 5
    assert stored(skill_a) == (2, 50, 5)

    # B's global_approved skill is visible to tenant A, but its aggregates are B's to write.
    with tenant_context(tenant_a.id, database=app_db):
        with pytest.raises(TenantContextError, match="belongs to tenant"):
            record_feedback(shared_b.id, "thumbs_down", tenant=tenant_a.id, database=app_db)
        with pytest.raises(TenantContextError, match="belongs to tenant"):
            record_token_measurements([{"skill": shared_b.id, "model_name": "m"}], database=app_db)
    assert stored(shared_b) == (1, 100, None)


def test_app_role_without_tenant_is_refused_not_zeroed(db, app_db, factory):
    tenant = factory.tenant()
    skill = factory.skill(tenant)
    shared = factory.skill(tenant, visibility="global_approved")
    record_feedback(skill, "thumbs_up")
    record_feedback(shared, "thumbs_up")
    calls = [
        lambda: recompute_all_skill_aggregates(database=app_db),
        lambda: recompute_skill_aggregates(shared.id, database=app_db),
        lambda: recompute_skill_aggregates(skill.id, database=app_db),
        lambda: record_feedback(shared.id, "thumbs_down", database=app_db),
        lambda: record_token_measurement(shared.id, "m", database=app_db),
        lambda: record_token_measurements(
            [{"skill": shared.id, "model_name": "m"}], database=app_db
        ),
    ]
    for call in calls:
        with pytest.raises(TenantContextError):
            call()
    assert stored(skill) == stored(shared) == (1, 100, None)
    assert SkillFeedback.select().count() == 2 and TokenMeasurement.select().count() == 0


def test_cli_as_the_application_role_goes_tenant_by_tenant(db, app_url, factory, capsys):
    skills = [factory.skill(factory.tenant()) for _ in range(2)]
    for skill in skills:
        record_feedback(skill, "thumbs_down")
    Skill.update(total_feedback=3).execute()
    assert aggregates_cli.main(["--database-url", app_url]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("done: 2 tenant(s), 2 skill(s)")
    assert [stored(skill) for skill in skills] == [(1, 0, None)] * 2
