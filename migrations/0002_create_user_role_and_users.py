"""Create the user_role enum and users, with tenant isolation."""

# CREATE TYPE has no IF NOT EXISTS; to_regtype resolves the name as CREATE TABLE will.
CREATE_USER_ROLE = """
DO $$ BEGIN
    IF to_regtype('user_role') IS NULL THEN
        CREATE TYPE user_role AS ENUM ('admin', 'member');
    END IF;
END $$"""

CREATE_USERS = """
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
)"""


def up(migrator, db):
    migrator.migrate(
        migrator.sql(CREATE_USER_ROLE),
        migrator.sql(CREATE_USERS),
        migrator.sql("CREATE INDEX IF NOT EXISTS users_tenant_id_idx ON users (tenant_id)"),
        migrator.enable_row_level_security("users"),
        migrator.create_tenant_policy("users"),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table("users", safe=True),
        migrator.sql("DROP TYPE IF EXISTS user_role"),
    )
