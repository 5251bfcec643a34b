"""Create token_measurements (tokens, cost and latency of each skill invocation), with tenant
isolation. Name fixed: the original TypeScript stack knows this migration by it.

Costs are integer microcents; usage_event_id has no foreign key (uuid vs text).
"""

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


def up(migrator, db):
    migrator.migrate(
        migrator.sql(CREATE_TOKEN_MEASUREMENTS),
        *map(migrator.sql, CREATE_INDEXES),
        migrator.enable_row_level_security("token_measurements"),
        migrator.create_tenant_policy("token_measurements"),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_table("token_measurements", safe=True))
