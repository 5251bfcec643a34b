"""Keep the denormalized aggregates on skills exact: write helpers and recompute helpers.

    from everyskill_db.aggregates import (
        record_feedback, record_token_measurement, record_token_measurements,
        recompute_all_skill_aggregates,
    )

    record_feedback(skill, "thumbs_up", user=ada, comment="Saved me an hour")
    record_token_measurement(skill, "claude-sonnet-4", input_tokens=1200, output_tokens=300,
                             estimated_cost_microcents=4200)
    record_token_measurements(rows)          # many rows: COPY, then one recompute
    recompute_all_skill_aggregates()         # repair every skill, one set-based statement

    $ python -m everyskill_db.aggregates [--tenant T] [--database-url URL]   # for cron

The three columns (definitions in docs/schema.md, "Denormalized aggregates"):
total_feedback counts every skill_feedback row; positive_feedback_pct is thumbs_up /
(thumbs_up + thumbs_down) x 100 rounded half up, NULL without votes; avg_token_cost_microcents
is the mean of the non-null estimated costs rounded half up, NULL without any.

Each write helper validates (ValidationError, nothing written), then inserts and recomputes
in one transaction, with the skill row locked (see ``_lock_skills``). Every helper
takes ``database=`` (default: the database the models are bound to) so that threads holding
their own connections can share the models.

Under row level security (the application role), the helpers need a tenant: set one with
everyskill_db.tenancy.tenant_context, or pass ``tenant_id`` to the recompute. Without one
they raise TenantContextError rather than recompute from rows they cannot see.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Union

import peewee

from everyskill_db.database import bound_database
from everyskill_db.errors import TenantContextError, ValidationError
from everyskill_db.models import Skill, SkillFeedback, Tenant, TokenMeasurement
from everyskill_db.rls import TENANT_SETTING
from everyskill_db.tenancy import rls_bypass_reason, tenant_context
from everyskill_db.validation import validate_row

__all__ = [
    "IngestResult",
    "SkillAggregates",
    "recompute_all_skill_aggregates",
    "recompute_skill_aggregates",
    "record_feedback",
    "record_token_measurement",
    "record_token_measurements",
]

SkillRef = Union[Skill, str]

DEFAULT_SENTIMENT = {"thumbs_up": 1, "thumbs_down": -1}


@dataclass(frozen=True)
class SkillAggregates:
    """The aggregate columns of one skill, as stored by a recompute."""

    skill_id: str
    total_feedback: int
    positive_feedback_pct: int | None
    avg_token_cost_microcents: int | None
    updated_at: datetime.datetime


@dataclass(frozen=True)
class IngestResult:
    """What record_token_measurements stored: the row count and each affected skill's
    recomputed aggregates, by skill id."""

    rows: int
    aggregates: dict[str, SkillAggregates]


# --- the recompute statement ------------------------------------------------------------------

# Half up in integer arithmetic, exact for any count: floor((2a + b) / 2b) = round_half_up(a / b)
# for a, b >= 0; with a = 100 * thumbs_up, b = votes. Costs are >= 0 (CHECK), so the same
# formula gives the mean. NULLIF turns "no votes" / "no costs" into NULL instead of an error.
_RECOMPUTE_SQL = """
UPDATE skills AS s
SET total_feedback = fresh.total_feedback,
    positive_feedback_pct = fresh.positive_feedback_pct,
    avg_token_cost_microcents = fresh.avg_token_cost_microcents,
    updated_at = now() AT TIME ZONE 'UTC'
FROM (
    SELECT k.id,
           COALESCE(f.total, 0)::integer AS total_feedback,
           ((200 * f.up + f.votes) / NULLIF(2 * f.votes, 0))::integer AS positive_feedback_pct,
           ((2 * c.total + c.n) / NULLIF(2 * c.n, 0))::integer AS avg_token_cost_microcents
    FROM skills AS k
    LEFT JOIN (
        SELECT skill_id,
               count(*) AS total,
               count(*) FILTER (WHERE feedback_type = 'thumbs_up') AS up,
               count(*) FILTER (WHERE feedback_type IN ('thumbs_up', 'thumbs_down')) AS votes
        FROM skill_feedback WHERE {rows} GROUP BY skill_id
    ) AS f ON f.skill_id = k.id
    LEFT JOIN (
        SELECT skill_id,
               count(estimated_cost_microcents) AS n,
               sum(estimated_cost_microcents) AS total
        FROM token_measurements WHERE {rows} GROUP BY skill_id
    ) AS c ON c.skill_id = k.id
    WHERE {skills}
) AS fresh
WHERE s.id = fresh.id{tail}"""

_RETURNING = """
RETURNING s.id, s.total_feedback, s.positive_feedback_pct, s.avg_token_cost_microcents,
          s.updated_at"""

# A repair of many skills only rewrites those whose values are wrong (no dead rows, no WAL,
# no updated_at churn for the others) and only counts them.
_ONLY_CHANGED = """
  AND (s.total_feedback, s.positive_feedback_pct, s.avg_token_cost_microcents)
      IS DISTINCT FROM
      (fresh.total_feedback, fresh.positive_feedback_pct, fresh.avg_token_cost_microcents)"""

# Which skills a recompute covers: (condition on skills AS k, condition on the row tables).
_SCOPES = {
    "skill": ("k.id = %(scope)s", "skill_id = %(scope)s"),
    "skills": ("k.id = ANY(%(scope)s)", "skill_id = ANY(%(scope)s)"),
    "tenant": (
        "k.tenant_id = %(scope)s",
        "skill_id IN (SELECT id FROM skills WHERE tenant_id = %(scope)s)",
    ),
    "all": ("true", "true"),
}


def _recompute_sql(scope: str, repair: bool = False) -> str:
    skills, rows = _SCOPES[scope]
    return _RECOMPUTE_SQL.format(
        skills=skills, rows=rows, tail=_ONLY_CHANGED if repair else _RETURNING
    )


def _recompute(database: peewee.Database, scope: str, value: Any) -> list[SkillAggregates]:
    """Recompute the skills of ``scope`` and return their new values."""
    cursor = database.execute_sql(_recompute_sql(scope), {"scope": value})
    return [SkillAggregates(*row) for row in cursor.fetchall()]


def _repair(database: peewee.Database, scope: str, value: Any) -> int:
    """Recompute the skills of ``scope``, writing only the wrong ones; return how many."""
    return database.execute_sql(_recompute_sql(scope, repair=True), {"scope": value}).rowcount


def _lock_skills(database: peewee.Database, scope: str, value: Any) -> list[tuple]:
    """Lock the skill rows of ``scope`` and return (id, tenant_id, tenant in force) for each.

    Why: at READ COMMITTED two writers recomputing one skill at once would each count the rows
    without seeing the other's uncommitted insert, and the later UPDATE would store its stale
    count over the other's. Holding the skill row lock from before the insert until commit
    serialises them; and because each statement takes a fresh snapshot, the recompute that
    runs after the lock is granted sees every row committed by the writers before it. The lock
    must come in its own statement, before the insert: an UPDATE that waits for the row keeps
    its older snapshot for the counts, and an insert first would take a KEY SHARE lock (the
    foreign key check) that two writers could then each wait to upgrade: a deadlock.
    FOR NO KEY UPDATE is the lock the UPDATE takes anyway; unlike FOR UPDATE it lets others
    keep inserting rows that reference the skill. Ordered by id, so that two bulk recomputes
    lock in the same order and cannot deadlock.
    """
    cursor = database.execute_sql(
        f"SELECT k.id, k.tenant_id, NULLIF(current_setting('{TENANT_SETTING}', true), '')"
        f" FROM {_locked_skills(scope)}",
        {"scope": value},
    )
    return cursor.fetchall()


def _locked_skills(scope: str) -> str:
    return f"skills AS k WHERE {_SCOPES[scope][0]} ORDER BY k.id FOR NO KEY UPDATE"


def _lock_scope(database: peewee.Database, scope: str, value: Any) -> None:
    """_lock_skills for many skills, without carrying their rows back to Python."""
    database.execute_sql(
        f"SELECT count(*) FROM (SELECT 1 FROM {_locked_skills(scope)}) AS locked",
        {"scope": value},
    )


# --- tenant context ---------------------------------------------------------------------------


def _tenant_in_force(database: peewee.Database) -> str | None:
    cursor = database.execute_sql(f"SELECT NULLIF(current_setting('{TENANT_SETTING}', true), '')")
    return cursor.fetchone()[0]


_NO_TENANT = (
    "no tenant is set and row level security applies to this connection:"
    " wrap the call in everyskill_db.tenant_context(tenant_id)"
)


def _require_tenant_or_bypass(database: peewee.Database, tenant: str | None) -> None:
    """Refuse to work without a tenant when row level security applies: the counts would be
    taken over no rows (or over the global skills only) and written as zeros."""
    if tenant:
        return
    if rls_bypass_reason(database) is None:
        raise TenantContextError(_NO_TENANT)


# --- helpers shared by the write paths --------------------------------------------------------


def _key(value: Any) -> Any:
    """A model instance stands for its primary key."""
    return value.get_id() if isinstance(value, peewee.Model) else value


def _check_fields(model: type[peewee.Model], row: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``row`` (field name -> value) for ``model`` before anything is written."""
    table = model._meta.table_name
    columns = {}
    for name, value in row.items():
        field = model._meta.combined.get(name)
        if field is None:
            raise ValidationError(
                table, name, value, "one of the fields " + ", ".join(model._meta.sorted_field_names)
            )
        columns[field.column_name] = _key(value)
    validate_row(table, columns)
    return dict(row)


def _unlockable_skill_tenant(database: peewee.Database, skill_ids: list[str]) -> dict:
    """Tenant of each skill in ``skill_ids`` that the lock did not return, or DoesNotExist.

    A skill can be visible yet not lockable: migration 0036 lets a tenant read another
    tenant's global_approved skill but not update it, and FOR NO KEY UPDATE asks for update
    rights. Only the error path pays for this second look.
    """
    if not skill_ids:
        return {}
    found = dict(database.execute_sql(
        "SELECT id, tenant_id FROM skills WHERE id = ANY(%s)", (list(skill_ids),)
    ).fetchall())
    missing = [skill_id for skill_id in skill_ids if skill_id not in found]
    if missing:
        raise Skill.DoesNotExist(f"no skill with id {missing[0]!r} (or not visible to this tenant)")
    return found


def _lock_one(database: peewee.Database, skill_id: str) -> str:
    """Lock one skill (see _lock_skills) and return its tenant id."""
    rows = _lock_skills(database, "skill", skill_id)
    in_force = rows[0][2] if rows else _tenant_in_force(database)
    _require_tenant_or_bypass(database, in_force)
    tenant = rows[0][1] if rows else _unlockable_skill_tenant(database, [skill_id])[skill_id]
    if in_force is not None and tenant != in_force:
        # A global_approved skill of another tenant is visible, but its aggregates are that
        # tenant's to write: say so rather than fail on a policy violation (or, as the owner,
        # write from inside the wrong tenant's context).
        raise TenantContextError(
            f"skill {skill_id!r} belongs to tenant {tenant!r}, not to the tenant in force"
            f" ({in_force!r})"
        )
    return tenant


def _apply(skill: SkillRef, aggregates: SkillAggregates) -> None:
    """Keep a Skill instance the caller holds in step with what was stored."""
    if isinstance(skill, Skill):
        skill.total_feedback = aggregates.total_feedback
        skill.positive_feedback_pct = aggregates.positive_feedback_pct
        skill.avg_token_cost_microcents = aggregates.avg_token_cost_microcents
        skill.updated_at = aggregates.updated_at


def _insert_and_recompute(
    database: peewee.Database, model: type[peewee.Model], skill: SkillRef, row: dict
) -> peewee.Model:
    skill_id = _key(skill)
    with database.atomic():
        tenant = _lock_one(database, skill_id)
        given = _key(row.setdefault("tenant", tenant))
        if given != tenant:
            raise ValidationError(
                model._meta.table_name, "tenant_id", given, f"the skill's tenant {tenant!r}"
            )
        # Through the model, so that SanitizedTextFields redact secrets on the way in.
        query = model.insert(skill=skill_id, **row).returning(model)
        stored = next(iter(query.execute(database)))
        (aggregates,) = _recompute(database, "skill", skill_id)
    _apply(skill, aggregates)
    return stored


# --- public API -------------------------------------------------------------------------------


def recompute_skill_aggregates(
    skill: SkillRef, *, database: peewee.Database | None = None
) -> SkillAggregates:
    """Recompute one skill's aggregates from its rows as they are; return the new values."""
    database = bound_database(database)
    skill_id = _key(skill)
    with database.atomic():
        _lock_one(database, skill_id)
        (aggregates,) = _recompute(database, "skill", skill_id)
    _apply(skill, aggregates)
    return aggregates


def recompute_all_skill_aggregates(
    tenant_id: str | Tenant | None = None, *, database: peewee.Database | None = None
) -> int:
    """Recompute every skill's aggregates (or ``tenant_id``'s) in one set-based statement,
    after one more that locks those skills' rows (see _lock_skills).

    Skills without feedback or measurements get 0 and NULL. Returns how many skills changed;
    the ones already right are left alone. Under row level security the tenant comes from
    ``tenant_id`` or the tenant in force (they must agree); with neither, TenantContextError.
    """
    database = bound_database(database)
    tenant_id = _key(tenant_id)
    if tenant_id is not None and (not isinstance(tenant_id, str) or not tenant_id.strip()):
        raise TenantContextError(f"a tenant id must be a non-empty text, got {tenant_id!r}")
    with database.atomic():
        in_force = _tenant_in_force(database)
        if tenant_id is not None and in_force is not None and tenant_id != in_force:
            raise TenantContextError(
                f"asked to recompute tenant {tenant_id!r} inside the context of {in_force!r}"
            )
        tenant = tenant_id or in_force
        if tenant is None:
            _require_tenant_or_bypass(database, None)
            scope = "all"
        else:
            scope = "tenant"
        # Under RLS the recompute must run as its tenant; tenant_context sets it for this
        # transaction (and puts the previous setting back when we are nested in a longer one).
        context = (
            tenant_context(tenant, database=database)
            if tenant is not None and in_force is None
            else contextlib.nullcontext()
        )
        with context:
            _lock_scope(database, scope, tenant)
            changed = _repair(database, scope, tenant)
    return changed


def record_feedback(
    skill: SkillRef,
    feedback_type: str,
    *,
    database: peewee.Database | None = None,
    **fields: Any,
) -> SkillFeedback:
    """Store one feedback row and recompute the skill's aggregates, in one transaction.

    ``fields`` are SkillFeedback fields (user, comment, quality_score, ...); sentiment defaults
    to 1 for thumbs_up and -1 for thumbs_down, tenant to the skill's. Returns the row as stored
    (free text with any secret redacted).
    """
    fields["feedback_type"] = feedback_type
    if "sentiment" not in fields and isinstance(feedback_type, str):
        fields["sentiment"] = DEFAULT_SENTIMENT.get(feedback_type)
    row = _check_fields(SkillFeedback, fields)
    return _insert_and_recompute(bound_database(database), SkillFeedback, skill, row)


def record_token_measurement(
    skill: SkillRef,
    model_name: str,
    *,
    database: peewee.Database | None = None,
    **fields: Any,
) -> TokenMeasurement:
    """Store one token measurement and recompute the skill's average cost, in one transaction.

    ``fields`` are TokenMeasurement fields; total_tokens defaults to input_tokens +
    output_tokens when both are given, tenant to the skill's. Returns the row as stored.
    """
    fields["model_name"] = model_name
    _default_total(fields)
    row = _check_fields(TokenMeasurement, fields)
    return _insert_and_recompute(bound_database(database), TokenMeasurement, skill, row)


def _default_total(row: dict) -> None:
    if row.get("total_tokens") is None:
        given = row.get("input_tokens"), row.get("output_tokens")
        if all(isinstance(n, int) and not isinstance(n, bool) for n in given):
            row["total_tokens"] = given[0] + given[1]


# --- bulk ingest of token measurements --------------------------------------------------------

_INT_MAX = 2**31 - 1
_INTEGER_FIELDS = (
    "input_tokens",
    "output_tokens",
    "total_tokens",
    "estimated_cost_microcents",
    "latency_ms",
)
# (field, default) of the text columns after id, tenant_id and skill_id; None: NULL.
_TEXT_FIELDS = (
    ("user", None),
    ("model_name", None),
    ("usage_event_id", None),
    ("model_provider", "anthropic"),
    ("source", "hook"),
)
_COPY_COLUMNS = (
    "id, tenant_id, skill_id, user_id, model_name, usage_event_id, model_provider, source, "
    + ", ".join(_INTEGER_FIELDS)
    + ", created_at"
)
_BULK_FIELDS = frozenset(
    {"skill", "tenant", "created_at", *_INTEGER_FIELDS, *(name for name, _ in _TEXT_FIELDS)}
)
# COPY's text format: these four characters must be escaped inside a value.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_CHUNK = 1 << 16
_STAGING = "pg_temp.esdb_token_measurements_staging"


def record_token_measurements(
    rows: Iterable[Mapping[str, Any]], *, database: peewee.Database | None = None
) -> IngestResult:
    """Store many token measurements fast (COPY), then recompute each affected skill once.

    Each row is a mapping of TokenMeasurement fields, ``skill`` and ``model_name`` required;
    defaults as in record_token_measurement. The batch is one transaction: rows are validated
    as they are streamed into COPY (so that PostgreSQL works while Python checks), and the
    first invalid row raises ValidationError (naming its index) and rolls back the lot, so
    nothing is stored. token_measurements has no free-text column to sanitize, which is what
    makes COPY (rather than the models) acceptable here. Where row level security applies
    (the application role) the rows go through a temporary table and one INSERT ... SELECT.
    Returns the number of rows stored and the affected skills' new aggregates.
    """
    database = bound_database(database)
    rows = list(rows)
    if not rows:
        return IngestResult(0, {})
    # Rows whose skill is missing or not an id fail their validation in the stream.
    skill_ids = sorted({skill for skill in map(_row_skill, rows) if isinstance(skill, str)})
    with database.atomic():
        locked = _lock_skills(database, "skills", skill_ids)
        in_force = locked[0][2] if locked else _tenant_in_force(database)
        rls_applies = rls_bypass_reason(database) is None
        if rls_applies and in_force is None:
            raise TenantContextError(_NO_TENANT)
        tenants = {skill_id: tenant for skill_id, tenant, _ in locked}
        tenants.update(_unlockable_skill_tenant(
            database, [skill_id for skill_id in skill_ids if skill_id not in tenants]))
        foreign = [skill for skill, tenant in tenants.items() if in_force not in (None, tenant)]
        if foreign:
            raise TenantContextError(
                f"skill {foreign[0]!r} belongs to tenant {tenants[foreign[0]]!r}, not to the"
                f" tenant in force ({in_force!r})"
            )
        if rls_applies:
            # PostgreSQL refuses COPY FROM into a table whose row level security applies:
            # COPY into a temporary table (TEMPORARY, which PUBLIC has by default), then one
            # INSERT ... SELECT, which the policies check like any insert.
            database.execute_sql(
                f"CREATE TEMPORARY TABLE {_STAGING} (LIKE token_measurements INCLUDING DEFAULTS)"
            )
            _copy_rows(database, _STAGING, rows, tenants)
            database.execute_sql(
                f"INSERT INTO token_measurements ({_COPY_COLUMNS})"
                f" SELECT {_COPY_COLUMNS} FROM {_STAGING}"
            )
            database.execute_sql(f"DROP TABLE {_STAGING}")
        else:
            _copy_rows(database, "token_measurements", rows, tenants)
        aggregates = _recompute(database, "skills", skill_ids)
    return IngestResult(len(rows), {a.skill_id: a for a in aggregates})


def _copy_rows(
    database: peewee.Database, table: str, rows: list[Mapping[str, Any]], tenants: dict
) -> None:
    source = _CopySource(rows, tenants)
    try:
        with database.cursor() as cursor:
            cursor.copy_expert(f"COPY {table} ({_COPY_COLUMNS}) FROM STDIN", source, _COPY_CHUNK)
    except Exception:
        if source.error is not None:  # psycopg2 reports it as a cancelled COPY
            raise source.error from None
        raise


def _row_skill(row: Mapping[str, Any]) -> Any:
    return _key(row.get("skill"))


class _CopySource:
    """The rows as COPY text, produced (and validated) chunk by chunk as psycopg2 reads."""

    def __init__(self, rows: list[Mapping[str, Any]], tenants: dict[str, str]) -> None:
        now = datetime.datetime.now(datetime.timezone.utc).isoformat()
        ids = _uuid4_strings()
        self._lines = (
            _copy_line(index, row, tenants, next(ids), now) for index, row in enumerate(rows)
        )
        self.error: ValidationError | None = None

    def read(self, size: int = _COPY_CHUNK) -> str:
        chunk, length = [], 0
        try:
            for line in self._lines:
                chunk.append(line)
                length += len(line)
                if length >= size:
                    break
        except ValidationError as exc:
            self.error = exc
            raise
        return "".join(chunk)


def _copy_line(index: int, row: Mapping[str, Any], tenants: dict, new_id: str, now: str) -> str:
    """One row as a line of COPY text; ValidationError when it breaks a rule."""

    def invalid(field: str, value: Any, allowed: str) -> ValidationError:
        error = ValidationError("token_measurements", field, value, allowed)
        error.args = (f"row {index}: {error}",)
        return error

    if not _BULK_FIELDS.issuperset(row):
        name = sorted(set(row) - _BULK_FIELDS)[0]
        raise invalid(name, row[name], "one of the fields " + ", ".join(sorted(_BULK_FIELDS)))
    skill = _row_skill(row)
    if not isinstance(skill, str):
        raise invalid("skill", skill, "a skill or its id (required)")
    tenant = _key(row.get("tenant")) or tenants[skill]
    if tenant != tenants[skill]:
        raise invalid("tenant_id", tenant, f"the skill's tenant {tenants[skill]!r}")
    values = [new_id, tenant.translate(_COPY_ESCAPES), skill.translate(_COPY_ESCAPES)]
    for name, default in _TEXT_FIELDS:
        value = _key(row.get(name, default))
        if value is None:
            if name == "model_name":
                raise invalid(name, None, "a text (required)")
            values.append("\\N")
        elif isinstance(value, str) and "\x00" not in value:
            values.append(value.translate(_COPY_ESCAPES))
        else:
            raise invalid(name, value, "a text without NUL characters")
    numbers = [row.get(name) for name in _INTEGER_FIELDS]
    if numbers[2] is None and type(numbers[0]) is int and type(numbers[1]) is int:
        numbers[2] = numbers[0] + numbers[1]  # total_tokens defaults to input + output
    for name, value in zip(_INTEGER_FIELDS, numbers):
        if value is None:
            values.append("\\N")
        elif type(value) is int and 0 <= value <= _INT_MAX:
            values.append(str(value))
        else:
            raise invalid(name, value, f"an integer from 0 to {_INT_MAX}, or NULL")
    created_at = row.get("created_at")
    if created_at is None:
        values.append(now)
    elif isinstance(created_at, datetime.datetime):
        values.append(created_at.isoformat())
    else:
        raise invalid("created_at", created_at, "a datetime")
    return "\t".join(values) + "\n"


def _uuid4_strings() -> Iterator[str]:
    """Random (version 4) UUIDs as text, like str(uuid.uuid4()) but several times faster:
    one os.urandom call per thousand ids (at 100,000 rows uuid4() alone cost a fifth of COPY)."""
    while True:
        block = os.urandom(16 * 1024).hex()
        for start in range(0, len(block), 32):
            h = block[start : start + 32]
            # Version nibble 4; variant bits 10 (first hex digit 8, 9, a or b).
            yield f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}
