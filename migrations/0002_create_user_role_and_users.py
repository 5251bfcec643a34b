"""Create the user_role enum and users, with tenant isolation."""

# The sha256 of this file before its SQL was frozen as literals (same SQL, other bytes).
PREVIOUS_CHECKSUMS = ("592828607e077de23b311937e6f6a2ff91cbc94f631020cf0dce23951c98f3fe",)

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

# Row level security and the tenant_isolation policy, written out as everyskill_db.rls
# made them when this migration was first applied: frozen, whatever rls.py says today.
ENABLE_RLS = 'ALTER TABLE "users" ENABLE ROW LEVEL SECURITY'
CREATE_POLICY = (
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies"
    " WHERE schemaname = current_schema() AND tablename = 'users'"
    " AND policyname = 'tenant_isolation')"
    ' THEN CREATE POLICY "tenant_isolation" ON "users" AS PERMISSIVE FOR ALL'
    " USING (tenant_id = current_setting('app.current_tenant_id', true))"
    " WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true));"
    " END IF; END $$"
)


def up(migrator, db):
    migrator.migrate(
        migrator.sql(CREATE_USER_ROLE),
        migrator.sql(CREATE_USERS),
        migrator.sql("CREATE INDEX IF NOT EXISTS users_tenant_id_idx ON users (tenant_id)"),
        migrator.sql(ENABLE_RLS),
        migrator.sql(CREATE_POLICY),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table("users", safe=True),
        migrator.sql("DROP TYPE IF EXISTS user_role"),
    )
