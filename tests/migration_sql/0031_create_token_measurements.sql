-- 0031_create_token_measurements
-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.
-- Generated, never edited by hand: pytest tests/test_migration_sql.py --update-snapshots


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
);

CREATE INDEX IF NOT EXISTS token_measurements_skill_id_idx ON token_measurements (skill_id);

CREATE INDEX IF NOT EXISTS token_measurements_model_name_idx ON token_measurements (model_name);

CREATE INDEX IF NOT EXISTS token_measurements_tenant_id_idx ON token_measurements (tenant_id);

CREATE INDEX IF NOT EXISTS token_measurements_created_at_idx ON token_measurements (created_at);

ALTER TABLE "token_measurements" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'token_measurements' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "token_measurements" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;
