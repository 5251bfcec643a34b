"""Create benchmark_runs and benchmark_results (one run compares models on a skill; results
die with their run), with tenant isolation. Name fixed: the original TypeScript stack knows
this migration by it.
"""

# The sha256 of this file before its SQL was frozen as literals (same SQL, other bytes).
PREVIOUS_CHECKSUMS = ("1e6b608c0b1e8e4a089a9bf5d052e9130911c1345713206cf60e02775b5aebeb",)

CREATE_BENCHMARK_RUNS = """
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
)"""

CREATE_BENCHMARK_RESULTS = """
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
)"""

CREATE_INDEXES = [
    "CREATE INDEX IF NOT EXISTS benchmark_runs_skill_id_idx ON benchmark_runs (skill_id)",
    "CREATE INDEX IF NOT EXISTS benchmark_runs_tenant_id_idx ON benchmark_runs (tenant_id)",
    "CREATE INDEX IF NOT EXISTS benchmark_runs_status_idx ON benchmark_runs (status)",
    "CREATE INDEX IF NOT EXISTS benchmark_results_benchmark_run_id_idx"
    " ON benchmark_results (benchmark_run_id)",
    "CREATE INDEX IF NOT EXISTS benchmark_results_model_name_idx ON benchmark_results (model_name)",
    "CREATE INDEX IF NOT EXISTS benchmark_results_tenant_id_idx ON benchmark_results (tenant_id)",
]

# Row level security and the tenant_isolation policy, written out as everyskill_db.rls
# made them when this migration was first applied: frozen, whatever rls.py says today.
ENABLE_RLS = 'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'
CREATE_POLICY = (
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies"
    " WHERE schemaname = current_schema() AND tablename = '{table}'"
    " AND policyname = 'tenant_isolation')"
    ' THEN CREATE POLICY "tenant_isolation" ON "{table}" AS PERMISSIVE FOR ALL'
    " USING (tenant_id = current_setting('app.current_tenant_id', true))"
    " WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true));"
    " END IF; END $$"
)


def up(migrator, db):
    migrator.migrate(
        migrator.sql(CREATE_BENCHMARK_RUNS),
        migrator.sql(CREATE_BENCHMARK_RESULTS),
        *map(migrator.sql, CREATE_INDEXES),
        *(
            migrator.sql(template.format(table=table))
            for table in ("benchmark_runs", "benchmark_results")
            for template in (ENABLE_RLS, CREATE_POLICY)
        ),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table("benchmark_results", safe=True),
        migrator.drop_table("benchmark_runs", safe=True),
    )
