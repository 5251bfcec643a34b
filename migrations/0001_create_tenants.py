"""Create tenants: one row per customer organisation; not itself tenant-scoped (no RLS)."""

CREATE_TENANTS = """
CREATE TABLE IF NOT EXISTS tenants (
    id text PRIMARY KEY,
    name text NOT NULL,
    slug text NOT NULL CONSTRAINT tenants_slug_unique UNIQUE,
    domain text,
    logo text,
    is_active boolean NOT NULL DEFAULT true,
    plan text NOT NULL DEFAULT 'freemium',
    vanity_domain text CONSTRAINT tenants_vanity_domain_unique UNIQUE,
    created_at timestamp NOT NULL DEFAULT now(),
    updated_at timestamp NOT NULL DEFAULT now()
)"""


def up(migrator, db):
    migrator.migrate(migrator.sql(CREATE_TENANTS))


def down(migrator, db):
    migrator.migrate(migrator.drop_table("tenants", safe=True))
