"""tenant_context and current_tenant: transaction-local, re-entrant, strict about conflicts.

These run as the owner (the ``db`` fixture), which is enough to watch the setting and the
transaction; what RLS does with the setting is proven as the app role in test_isolation.py.
"""

from __future__ import annotations

import threading

import pytest

from everyskill_db import EverySkillDBError, Tenant, TenantContextError
from everyskill_db.database import open_database
from everyskill_db.tenancy import current_tenant, tenant_context


def setting(db):
    return db.execute_sql("SELECT current_setting('app.current_tenant_id', true)").fetchone()[0]


def tenant_names(url):
    """The tenants another connection sees: what has really been committed."""
    other = open_database(url)
    try:
        with other.connection_context():
            return {row[0] for row in other.execute_sql("SELECT name FROM tenants")}
    finally:
        other.close()


def test_sets_the_tenant_for_the_block_and_clears_it(db):
    assert current_tenant() is None
    with tenant_context("t-1") as tenant_id:
        assert tenant_id == "t-1"
        assert current_tenant() == "t-1"
        assert setting(db) == "t-1"
        assert db.in_transaction()
    assert current_tenant() is None
    assert not db.in_transaction()
    # The same connection, after the transaction: set_config(..., true) died with it.
    assert setting(db) in ("", None)


def test_block_is_one_transaction_committed_at_the_end(db, migrated_db_url):
    with tenant_context("t-1"):
        Tenant.create(name="inside", slug="inside")
        assert "inside" not in tenant_names(migrated_db_url)
    assert "inside" in tenant_names(migrated_db_url)


def test_exception_rolls_back_and_resets_the_tenant(db, migrated_db_url):
    with pytest.raises(ZeroDivisionError):
        with tenant_context("t-1"):
            Tenant.create(name="doomed", slug="doomed")
            1 / 0  # noqa: B018
    assert current_tenant() is None
    assert not db.in_transaction()
    assert setting(db) in ("", None)
    assert "doomed" not in tenant_names(migrated_db_url)


def test_decorator_form(db):
    seen = []

    @tenant_context("t-2")
    def work(n):
        seen.append((n, current_tenant(), setting(db)))
        return n * 2

    assert work(1) == 2
    assert work(2) == 4
    assert seen == [(1, "t-2", "t-2"), (2, "t-2", "t-2")]
    assert current_tenant() is None


def test_decorator_is_reentrant(db):
    @tenant_context("t-3")
    def countdown(n):
        tenants = [(current_tenant(), setting(db))]
        return tenants + countdown(n - 1) if n else tenants

    assert countdown(2) == [("t-3", "t-3")] * 3
    assert current_tenant() is None
    assert not db.in_transaction()


def test_nested_same_tenant_is_a_savepoint(db, migrated_db_url):
    with tenant_context("t-1"):
        with tenant_context("t-1"):
            assert current_tenant() == "t-1"
        with pytest.raises(KeyError):
            with tenant_context("t-1"):
                Tenant.create(name="rolled back", slug="rolled-back")
                raise KeyError("inner failure")
        # The inner blocks are over; the outer tenant is still in force.
        assert current_tenant() == "t-1"
        assert setting(db) == "t-1"
        Tenant.create(name="kept", slug="kept")
    names = tenant_names(migrated_db_url)
    assert "kept" in names
    assert "rolled back" not in names


def test_same_object_entered_twice(db):
    context = tenant_context("t-1")
    with context:
        with context:
            assert current_tenant() == "t-1"
        assert current_tenant() == "t-1"
        assert db.in_transaction()
    assert current_tenant() is None


def test_nesting_another_tenant_is_refused(db):
    with tenant_context("t-1"):
        with pytest.raises(TenantContextError, match="t-2"):
            with tenant_context("t-2"):
                pass  # pragma: no cover
        assert current_tenant() == "t-1"
        assert setting(db) == "t-1"


@pytest.mark.parametrize("tenant", [None, "", "   "])
def test_empty_tenant_is_refused(db, tenant):
    with pytest.raises(TenantContextError):
        tenant_context(tenant)
    with pytest.raises(EverySkillDBError):  # the package's one root
        tenant_context(tenant)
    assert not db.in_transaction()


def test_accepts_a_tenant_row(db, factory):
    acme = factory.tenant()
    with tenant_context(acme):
        assert current_tenant() == acme.id


def test_joining_a_transaction_without_tenant_gives_it_back_without_tenant(db):
    with db.atomic():
        with tenant_context("t-1"):
            assert setting(db) == "t-1"
        # The transaction goes on, the tenant does not.
        assert current_tenant() is None
        assert setting(db) in ("", None)


def test_joining_a_transaction_set_to_another_tenant_is_refused(db):
    with db.atomic():
        db.execute_sql("SELECT set_config('app.current_tenant_id', 'raw', true)")
        with pytest.raises(TenantContextError, match="raw"):
            with tenant_context("t-1"):
                pass  # pragma: no cover
        assert setting(db) == "raw"
        with tenant_context("raw"):  # the same tenant joins
            assert current_tenant() == "raw"
        assert setting(db) == "raw"


def test_tenant_is_per_thread(db):
    seen = []
    with tenant_context("t-1"):
        thread = threading.Thread(target=lambda: seen.append(current_tenant()))
        thread.start()
        thread.join()
    assert seen == [None]
