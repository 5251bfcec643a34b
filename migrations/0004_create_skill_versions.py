"""Create skill_versions (deleted with their skill), with tenant isolation."""

# The sha256 of this file before its SQL was frozen as literals (same SQL, other bytes).
PREVIOUS_CHECKSUMS = ("69ab258fad822c143bc1c9d3ff5c98fe652b056cffdca9078316849ba815efe9",)

CREATE_SKILL_VERSIONS = """
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
)"""

# Row level security and the tenant_isolation policy, written out as everyskill_db.rls
# made them when this migration was first applied: frozen, whatever rls.py says today.
ENABLE_RLS = 'ALTER TABLE "skill_versions" ENABLE ROW LEVEL SECURITY'
CREATE_POLICY = (
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies"
    " WHERE schemaname = current_schema() AND tablename = 'skill_versions'"
    " AND policyname = 'tenant_isolation')"
    ' THEN CREATE POLICY "tenant_isolation" ON "skill_versions" AS PERMISSIVE FOR ALL'
    " USING (tenant_id = current_setting('app.current_tenant_id', true))"
    " WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true));"
    " END IF; END $$"
)


def up(migrator, db):
    migrator.migrate(
        migrator.sql(CREATE_SKILL_VERSIONS),
        migrator.sql(
            "CREATE INDEX IF NOT EXISTS skill_versions_tenant_id_idx ON skill_versions (tenant_id)"
        ),
        migrator.sql(ENABLE_RLS),
        migrator.sql(CREATE_POLICY),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_table("skill_versions", safe=True))
