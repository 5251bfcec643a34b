-- 0001_create_tenants
-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.
-- Generated, never edited by hand: pytest tests/test_migration_sql.py --update-snapshots


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
);
