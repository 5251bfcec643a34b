"""Create skill_versions (deleted with their skill), with tenant isolation."""

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


def up(migrator, db):
    migrator.migrate(
        migrator.sql(CREATE_SKILL_VERSIONS),
        migrator.sql(
            "CREATE INDEX IF NOT EXISTS skill_versions_tenant_id_idx ON skill_versions (tenant_id)"
        ),
        migrator.enable_row_level_security("skill_versions"),
        migrator.create_tenant_policy("skill_versions"),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_table("skill_versions", safe=True))
