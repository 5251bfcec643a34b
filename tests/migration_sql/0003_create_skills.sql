-- 0003_create_skills
-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.
-- Generated, never edited by hand: pytest tests/test_migration_sql.py --update-snapshots


CREATE TABLE IF NOT EXISTS skills (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants (id),
    name text NOT NULL,
    slug text NOT NULL,
    description text NOT NULL,
    category text NOT NULL,
    tags text[] DEFAULT '{}',
    status text NOT NULL DEFAULT 'published',
    visibility text NOT NULL DEFAULT 'tenant',
    content text NOT NULL,
    author_id text REFERENCES users (id),
    -- No foreign keys: skills and skill_versions point at each other.
    published_version_id text,
    draft_version_id text,
    forked_from_id text,
    total_uses integer NOT NULL DEFAULT 0,
    average_rating integer,
    created_at timestamp NOT NULL DEFAULT now(),
    updated_at timestamp NOT NULL DEFAULT now(),
    CONSTRAINT skills_tenant_slug_unique UNIQUE (tenant_id, slug)
);

CREATE INDEX IF NOT EXISTS skills_tenant_id_idx ON skills (tenant_id);

ALTER TABLE "skills" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'skills' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "skills" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true) OR visibility = 'global_approved') WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;
