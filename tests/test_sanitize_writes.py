"""Every write path through the models stores the free-text columns sanitized.

Each test writes a secret into every SanitizedTextField of skill_feedback or
benchmark_results by one peewee write path (or record_feedback), reads the row back with raw
SQL on a connection of its own (so what it sees was committed), and checks the WARNING log:
table, column and kinds named, the secret never.
"""

from __future__ import annotations

import itertools
import logging

import pytest

from everyskill_db import BenchmarkResult, BenchmarkRun, SkillFeedback
from everyskill_db.aggregates import record_feedback

R = "[REDACTED]"
# (text as written, as stored, kind, the bare secret that must never reach the log)
SECRETS = [
    ("password=hunter2x!", f"password={R}", "password_assignment", "hunter2x!"),
    (
        "postgres://app:s3cr3tPw@db/prod",
        f"postgres://app:{R}@db/prod",
        "url_credentials",
        "s3cr3tPw",
    ),
    ("ghp_" + "R2d2C3po" * 4 + "Bb8X", R, "github_token", "R2d2C3po"),
    ("sk-ant-api03-" + "Zq8Xw2Lk5Jh7Gf9Ds1Aa" * 4, R, "anthropic_api_key", "Zq8Xw2Lk5Jh7"),
    ("AKIAIOSFODNN7EXAMPLE", R, "aws_access_key_id", "AKIAIOSFODNN7EXAMPLE"),
    (
        "Authorization: Bearer 8f4b2c1d9e7a6b5c",
        f"Authorization: Bearer {R}",
        "bearer_token",
        "8f4b2c1d9e7a6b5c",
    ),
    ("token=f3a9c2e1b7d4", f"token={R}", "secret_assignment", "f3a9c2e1b7d4"),
]

FEEDBACK_COLUMNS = (
    "comment",
    "suggested_content",
    "suggested_diff",
    "example_input",
    "example_output",
    "expected_output",
    "review_notes",
)
RESULT_COLUMNS = (
    "input_used",
    "output_produced",
    "expected_output",
    "quality_notes",
    "error_message",
)


def _plan(columns):
    """column -> (written, stored, kind, bare secret): a different secret in each column."""
    return {
        column: (f"{column} says {raw} here", f"{column} says {stored} here", kind, bare)
        for column, (raw, stored, kind, bare) in zip(columns, itertools.cycle(SECRETS))
    }


class Target:
    """One table under test: how to make a row's required fields, and its free-text columns."""

    def __init__(self, model, columns, required):
        self.model = model
        self.table = model._meta.table_name
        self.columns = columns
        self.plan = _plan(columns)
        self._required = required

    def required(self, factory):
        return self._required(factory)

    def written(self):
        return {column: written for column, (written, _, _, _) in self.plan.items()}

    def clean(self):
        return {column: f"{column}: nothing secret" for column in self.columns}


def _feedback_fields(factory):
    tenant = factory.tenant()
    return {"tenant": tenant, "skill": factory.skill(tenant), "feedback_type": "suggestion"}


def _result_fields(factory):
    tenant = factory.tenant()
    run = BenchmarkRun.create(
        tenant=tenant,
        skill=factory.skill(tenant),
        triggered_by=factory.user(tenant),
        models=["claude-3-5-sonnet-20241022"],
    )
    return {
        "tenant": tenant,
        "benchmark_run": run,
        "model_name": "claude-3-5-sonnet-20241022",
        "model_provider": "anthropic",
        "test_case_index": 0,
    }


TARGETS = {
    "skill_feedback": Target(SkillFeedback, FEEDBACK_COLUMNS, _feedback_fields),
    "benchmark_results": Target(BenchmarkResult, RESULT_COLUMNS, _result_fields),
}


# Each path writes target.written() into a row and returns the ids it wrote.


def _create(target, factory):
    return [target.model.create(**target.required(factory), **target.written()).id]


def _save_insert(target, factory):
    row = target.model(**target.required(factory), **target.written())
    row.save(force_insert=True)  # a client-side id means peewee must be told it is new
    return [row.id]


def _save_update(target, factory):
    row = target.model.create(**target.required(factory), **target.clean())
    for column, value in target.written().items():
        setattr(row, column, value)
    row.save()
    return [row.id]


def _insert(target, factory):
    return [target.model.insert(**target.required(factory), **target.written()).execute()]


def _insert_many(target, factory):
    rows = [{**target.required(factory), **target.written()} for _ in range(3)]
    query = target.model.insert_many(rows).returning(target.model.id)
    return [row.id for row in query.execute()]


def _update_query(target, factory):
    ids = [target.model.create(**target.required(factory), **target.clean()).id for _ in range(2)]
    target.model.update(**target.written()).where(target.model.id.in_(ids)).execute()
    return ids


def _bulk_create(target, factory):
    rows = [target.model(**target.required(factory), **target.written()) for _ in range(2)]
    target.model.bulk_create(rows)
    return [row.id for row in rows]


def _bulk_update(target, factory):
    rows = [target.model.create(**target.required(factory), **target.clean()) for _ in range(2)]
    for row in rows:
        for column, value in target.written().items():
            setattr(row, column, value)
    target.model.bulk_update(rows, fields=list(target.columns))
    return [row.id for row in rows]


def _upsert(target, factory):
    row = target.model.create(**target.required(factory), **target.clean())
    fields = {**target.required(factory), **target.clean(), "id": row.id}
    update = {getattr(target.model, column): v for column, v in target.written().items()}
    target.model.insert(**fields).on_conflict(
        conflict_target=[target.model.id], update=update
    ).execute()
    return [row.id]


PATHS = {
    "Model.create": _create,
    "save (insert)": _save_insert,
    "save (update)": _save_update,
    "Model.insert": _insert,
    "insert_many": _insert_many,
    "update query": _update_query,
    "bulk_create": _bulk_create,
    "bulk_update": _bulk_update,
    "insert ... on conflict update": _upsert,
}


@pytest.fixture
def stored(sql, migrated_db_url):
    """``stored(target, ids)``: the free-text columns of those rows, as committed."""

    def read(target, ids):
        columns = ", ".join(target.columns)
        rows = sql(
            migrated_db_url,
            f"SELECT {columns} FROM {target.table} WHERE id = ANY(%s) ORDER BY id",
            (list(ids),),
        )
        return [dict(zip(target.columns, row)) for row in rows]

    return read


def _assert_stored_sanitized(stored, target, ids):
    expected = {column: value for column, (_, value, _, _) in target.plan.items()}
    rows = stored(target, ids)
    assert len(rows) == len(set(ids))
    for row in rows:
        assert row == expected


def _assert_logged(caplog, target):
    warnings = [
        record.getMessage()
        for record in caplog.records
        if record.name == "everyskill_db.sanitize" and record.levelno == logging.WARNING
    ]
    for column, (_, _, kind, _) in target.plan.items():
        assert any(
            f"{target.table}.{column}" in message and kind in message for message in warnings
        ), (column, warnings)
    everything = "\n".join(record.getMessage() for record in caplog.records)
    for _, _, _, bare in target.plan.values():
        assert bare not in everything


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("table", sorted(TARGETS))
def test_write_path_stores_free_text_sanitized_and_logs_without_the_secret(
    factory, stored, caplog, table, path
):
    target = TARGETS[table]
    caplog.set_level(logging.WARNING, logger="everyskill_db.sanitize")
    ids = PATHS[path](target, factory)
    _assert_stored_sanitized(stored, target, ids)
    _assert_logged(caplog, target)


def test_record_feedback_stores_and_returns_free_text_sanitized(factory, stored, caplog):
    target = TARGETS["skill_feedback"]
    caplog.set_level(logging.WARNING, logger="everyskill_db.sanitize")
    fields = target.required(factory)
    row = record_feedback(fields["skill"], "suggestion", **target.written())
    _assert_stored_sanitized(stored, target, [row.id])
    _assert_logged(caplog, target)
    for column, (_, sanitized, _, _) in target.plan.items():
        assert getattr(row, column) == sanitized  # what it returns is what was stored


def test_clean_text_is_stored_unchanged_and_nothing_is_logged(
    factory, sql, migrated_db_url, caplog
):
    caplog.set_level(logging.WARNING, logger="everyskill_db.sanitize")
    text = "token usage doubled; reset your password in settings; see https://docs.example.com"
    row = SkillFeedback.create(**_feedback_fields(factory), comment=text, review_notes="")
    assert sql(
        migrated_db_url,
        "SELECT comment, review_notes, suggested_diff FROM skill_feedback WHERE id = %s",
        (row.id,),
    ) == [(text, "", None)]
    assert not [r for r in caplog.records if r.name == "everyskill_db.sanitize"]
