"""Create token_measurements (tokens, cost and latency of each skill invocation), with tenant
isolation. Name fixed: the original TypeScript stack knows this migration by it.

Costs are integer microcents; usage_event_id has no foreign key (uuid vs text).
"""

# The sha256 of this file before its SQL was frozen as literals (same SQL, other bytes).
PREVIOUS_CHECKSUMS = ("ad14af0a5c956aa3ebb5d5ebfb094c5b25b58c75d1d8eff46e4344287b73678e",)

CREATE_TOKEN_MEASUREMENTS = """
CREATE TABLE IF NOT EXISTS token_measurements (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants (id),
    skill_id text NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    usage_event_id text,
    user_id text REFERENCES users (id),
    input_tokens integer,
    output_tokens integer,
    total_tokens integer,
    model_name text NOT NULL,
    model_provider text NOT NULL DEFAULT 'anthropic',
    estimated_cost_microcents integer,
    latency_ms integer,
    source text NOT NULL DEFAULT 'hook',
    created_at timestamptz(3) NOT NULL DEFAULT now()
)"""

CREATE_INDEXES = [
    "CREATE INDEX IF NOT EXISTS token_measurements_skill_id_idx ON token_measurements (skill_id)",
    "CREATE INDEX IF NOT EXISTS token_measurements_model_name_idx"
    " ON token_measurements (model_name)",
    "CREATE INDEX IF NOT EXISTS token_measurements_tenant_id_idx ON token_measurements (tenant_id)",
    "CREATE INDEX IF NOT EXISTS token_measurements_created_at_idx"
    " ON token_measurements (created_at)",
]

# Row level security and the tenant_isolation policy, written out as everyskill_db.rls
# made them when this migration was first applied: frozen, whatever rls.py says today.
ENABLE_RLS = 'ALTER TABLE "token_measurements" ENABLE ROW LEVEL SECURITY'
CREATE_POLICY = (
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies"
    " WHERE schemaname = current_schema() AND tablename = 'token_measurements'"
    " AND policyname = 'tenant_isolation')"
    ' THEN CREATE POLICY "tenant_isolation" ON "token_measurements" AS PERMISSIVE FOR ALL'
    " USING (tenant_id = current_setting('app.current_tenant_id', true))"
    " WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true));"
    " END IF; END $$"
)


def up(migrator, db):
    migrator.migrate(
        migrator.sql(CREATE_TOKEN_MEASUREMENTS),
        *map(migrator.sql, CREATE_INDEXES),
        migrator.sql(ENABLE_RLS),
        migrator.sql(CREATE_POLICY),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_table("token_measurements", safe=True))
