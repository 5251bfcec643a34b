"""Create skill_feedback (thumbs, suggestions, training examples, bug reports), with tenant
isolation. Name fixed: the original TypeScript stack knows this migration by it.

usage_event_id has no foreign key: usage_events.id is a uuid, this column is text.
"""

CREATE_SKILL_FEEDBACK = """
CREATE TABLE IF NOT EXISTS skill_feedback (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants (id),
    skill_id text NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    skill_version_id text REFERENCES skill_versions (id),
    user_id text REFERENCES users (id),
    usage_event_id text,
    feedback_type text NOT NULL,
    sentiment integer,
    comment text,
    suggested_content text,
    suggested_diff text,
    example_input text,
    example_output text,
    expected_output text,
    quality_score integer,
    status text NOT NULL DEFAULT 'pending',
    reviewed_by text REFERENCES users (id),
    reviewed_at timestamptz,
    review_notes text,
    source text NOT NULL DEFAULT 'web',
    created_at timestamptz(3) NOT NULL DEFAULT now()
)"""

CREATE_INDEXES = [
    "CREATE INDEX IF NOT EXISTS skill_feedback_skill_id_idx ON skill_feedback (skill_id)",
    "CREATE INDEX IF NOT EXISTS skill_feedback_user_id_idx ON skill_feedback (user_id)",
    "CREATE INDEX IF NOT EXISTS skill_feedback_tenant_id_idx ON skill_feedback (tenant_id)",
    "CREATE INDEX IF NOT EXISTS skill_feedback_feedback_type_idx ON skill_feedback (feedback_type)",
    "CREATE INDEX IF NOT EXISTS skill_feedback_status_idx ON skill_feedback (status)",
]


def up(migrator, db):
    migrator.migrate(
        migrator.sql(CREATE_SKILL_FEEDBACK),
        *map(migrator.sql, CREATE_INDEXES),
        migrator.enable_row_level_security("skill_feedback"),
        migrator.create_tenant_policy("skill_feedback"),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_table("skill_feedback", safe=True))
