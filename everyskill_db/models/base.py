"""What every model shares: the database proxy, client-side ids, validation on write.

    class Thing(BaseModel):
        id = TextField(primary_key=True, default=new_id)

    Thing.create(...)   # values checked against validation.RULES first

Validation hooks into Model._normalize_data, the one place peewee's create, save, insert,
replace and update queries all pass their values through, and into insert_many; so no write
the models make can skip it.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

import peewee

from everyskill_db.database import database_proxy
from everyskill_db.validation import validate_row

__all__ = ["BaseModel", "new_id", "utc_now", "utc_now_naive"]


def new_id() -> str:
    """A new primary key: a uuid4 string, generated on the client as the schema says."""
    return str(uuid.uuid4())


def utc_now() -> datetime.datetime:
    """Default of timestamptz columns."""
    return datetime.datetime.now(datetime.timezone.utc)


def utc_now_naive() -> datetime.datetime:
    """Default of timestamp (without time zone) columns: UTC wall time, as now() gives on a
    server running in UTC."""
    return utc_now().replace(tzinfo=None)


class BaseModel(peewee.Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False

    @classmethod
    def _normalize_data(cls, data: Any, kwargs: dict) -> Any:
        normalized = super()._normalize_data(data, kwargs)
        if isinstance(normalized, dict):
            cls._validate(normalized)
        return normalized

    @classmethod
    def insert_many(cls, rows: Iterable, fields: Any = None) -> peewee.ModelInsert:
        if not isinstance(rows, peewee.Node):  # INSERT ... SELECT has nothing to check here
            rows = list(rows)
            for row in rows:
                if isinstance(row, dict):
                    cls._validate(row)
                elif fields is not None:
                    cls._validate(dict(zip(fields, row)))
        return super().insert_many(rows, fields)

    @classmethod
    def _validate(cls, values: dict) -> None:
        columns = {}
        for key, value in values.items():
            if isinstance(value, peewee.Node):  # an SQL expression: the database judges it
                continue
            field = key if isinstance(key, peewee.Field) else cls._meta.combined.get(key)
            if field is not None:
                columns[field.column_name] = value
        validate_row(cls._meta.table_name, columns)
