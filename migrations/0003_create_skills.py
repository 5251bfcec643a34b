"""Create skills (the aggregate columns come later, in 0033), with tenant isolation.

Reads also see other tenants' skills whose visibility is 'global_approved'; writes stay
within the current tenant.
"""

# The sha256 of this file before its SQL was frozen as literals (same SQL, other bytes).
PREVIOUS_CHECKSUMS = ("e856614a3fcdaf3d81408cbea44e7ad80ddb5b377352b501f2829da7f0673e1f",)

CREATE_SKILLS = """
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
)"""

# Row level security and the tenant_isolation policy, written out as everyskill_db.rls
# made them when this migration was first applied: frozen, whatever rls.py says today.
ENABLE_RLS = 'ALTER TABLE "skills" ENABLE ROW LEVEL SECURITY'
CREATE_POLICY = (
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies"
    " WHERE schemaname = current_schema() AND tablename = 'skills'"
    " AND policyname = 'tenant_isolation')"
    ' THEN CREATE POLICY "tenant_isolation" ON "skills" AS PERMISSIVE FOR ALL'
    " USING (tenant_id = current_setting('app.current_tenant_id', true)"
    " OR visibility = 'global_approved')"
    " WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true));"
    " END IF; END $$"
)


def up(migrator, db):
    migrator.migrate(
        migrator.sql(CREATE_SKILLS),
        migrator.sql("CREATE INDEX IF NOT EXISTS skills_tenant_id_idx ON skills (tenant_id)"),
        migrator.sql(ENABLE_RLS),
        migrator.sql(CREATE_POLICY),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_table("skills", safe=True))
