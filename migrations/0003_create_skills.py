"""Create skills (the aggregate columns come later, in 0033), with tenant isolation.

Reads also see other tenants' skills whose visibility is 'global_approved'; writes stay
within the current tenant.
"""

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

CURRENT_TENANT = "tenant_id = current_setting('app.current_tenant_id', true)"


def up(migrator, db):
    migrator.migrate(
        migrator.sql(CREATE_SKILLS),
        migrator.sql("CREATE INDEX IF NOT EXISTS skills_tenant_id_idx ON skills (tenant_id)"),
        migrator.enable_row_level_security("skills"),
        migrator.create_tenant_policy(
            "skills",
            using=f"{CURRENT_TENANT} OR visibility = 'global_approved'",
            with_check=CURRENT_TENANT,
        ),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_table("skills", safe=True))
