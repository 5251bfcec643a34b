"""Tenants and their users.

    acme = Tenant.create(name="Acme", slug="acme")
    ada = User.create(tenant=acme, email="ada@acme.test", role="admin")
    list(acme.users)       # [ada]
    list(ada.feedback)     # feedback ada gave; ada.reviewed_feedback: feedback she reviewed
"""

from __future__ import annotations

from peewee import BooleanField, DateTimeField, Field, ForeignKeyField, TextField

from everyskill_db.models.base import BaseModel, new_id, utc_now_naive

__all__ = ["Tenant", "User", "UserRoleField"]


class UserRoleField(Field):
    """The PostgreSQL enum type ``user_role`` ('admin', 'member')."""

    field_type = "user_role"


class Tenant(BaseModel):
    id = TextField(primary_key=True, default=new_id)
    name = TextField()
    slug = TextField(unique=True)
    domain = TextField(null=True)
    logo = TextField(null=True)
    is_active = BooleanField(default=True)
    plan = TextField(default="freemium")
    vanity_domain = TextField(null=True, unique=True)
    created_at = DateTimeField(default=utc_now_naive)
    updated_at = DateTimeField(default=utc_now_naive)

    class Meta:
        table_name = "tenants"


class User(BaseModel):
    id = TextField(primary_key=True, default=new_id)
    tenant = ForeignKeyField(Tenant, backref="users")
    email = TextField(unique=True)
    role = UserRoleField(default="member")
    name = TextField(null=True)
    email_verified = DateTimeField(null=True)
    image = TextField(null=True)
    created_at = DateTimeField(default=utc_now_naive)
    updated_at = DateTimeField(default=utc_now_naive)

    class Meta:
        table_name = "users"
