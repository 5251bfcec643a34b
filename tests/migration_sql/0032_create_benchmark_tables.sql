-- 0032_create_benchmark_tables
-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.
-- Generated, never edited by hand: pytest tests/test_migration_sql.py --update-snapshots


CREATE TABLE IF NOT EXISTS benchmark_runs (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants (id),
    skill_id text NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    skill_version_id text REFERENCES skill_versions (id),
    triggered_by text NOT NULL REFERENCES users (id),
    status text NOT NULL DEFAULT 'pending',
    models text[] NOT NULL,
    best_model text,
    best_quality_score integer,
    cheapest_model text,
    cheapest_cost_microcents integer,
    started_at timestamptz,
    completed_at timestamptz,
    created_at timestamptz(3) NOT NULL DEFAULT now()
);


CREATE TABLE IF NOT EXISTS benchmark_results (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants (id),
    benchmark_run_id text NOT NULL REFERENCES benchmark_runs (id) ON DELETE CASCADE,
    model_name text NOT NULL,
    model_provider text NOT NULL,
    test_case_index integer NOT NULL,
    input_used text,
    output_produced text,
    expected_output text,
    input_tokens integer,
    output_tokens integer,
    total_tokens integer,
    latency_ms integer,
    estimated_cost_microcents integer,
    quality_score integer,
    quality_notes text,
    matches_expected boolean,
    error_message text,
    created_at timestamptz(3) NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS benchmark_runs_skill_id_idx ON benchmark_runs (skill_id);

CREATE INDEX IF NOT EXISTS benchmark_runs_tenant_id_idx ON benchmark_runs (tenant_id);

CREATE INDEX IF NOT EXISTS benchmark_runs_status_idx ON benchmark_runs (status);

CREATE INDEX IF NOT EXISTS benchmark_results_benchmark_run_id_idx ON benchmark_results (benchmark_run_id);

CREATE INDEX IF NOT EXISTS benchmark_results_model_name_idx ON benchmark_results (model_name);

CREATE INDEX IF NOT EXISTS benchmark_results_tenant_id_idx ON benchmark_results (tenant_id);

ALTER TABLE "benchmark_runs" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'benchmark_runs' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "benchmark_runs" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;

ALTER TABLE "benchmark_results" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'benchmark_results' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "benchmark_results" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;
