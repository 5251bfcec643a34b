-- 0004_create_skill_versions
-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.
-- Generated, never edited by hand: pytest tests/test_migration_sql.py --update-snapshots


CREATE TABLE IF NOT EXISTS skill_versions (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants (id),
    skill_id text NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    version integer NOT NULL,
    content_url text NOT NULL,
    content_hash text NOT NULL,
    content_type text NOT NULL,
    name text NOT NULL,
    description text NOT NULL,
    metadata jsonb,
    created_by text REFERENCES users (id),
    created_at timestamptz(3) NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS skill_versions_tenant_id_idx ON skill_versions (tenant_id);

ALTER TABLE "skill_versions" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'skill_versions' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "skill_versions" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;
