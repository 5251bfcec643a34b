-- 0002_create_user_role_and_users
-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.
-- Generated, never edited by hand: pytest tests/test_migration_sql.py --update-snapshots


DO $$ BEGIN
    IF to_regtype('user_role') IS NULL THEN
        CREATE TYPE user_role AS ENUM ('admin', 'member');
    END IF;
END $$;


CREATE TABLE IF NOT EXISTS users (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants (id),
    email text NOT NULL CONSTRAINT users_email_unique UNIQUE,
    role user_role NOT NULL DEFAULT 'member',
    name text,
    email_verified timestamp,
    image text,
    created_at timestamp NOT NULL DEFAULT now(),
    updated_at timestamp NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS users_tenant_id_idx ON users (tenant_id);

ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'users' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "users" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;
