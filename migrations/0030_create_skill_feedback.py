"""Create skill_feedback (thumbs, suggestions, training examples, bug reports), with tenant
isolation. Name fixed: the original TypeScript stack knows this migration by it.

usage_event_id has no foreign key: usage_events.id is a uuid, this column is text.
"""

# The sha256 of this file before its SQL was frozen as literals (same SQL, other bytes).
PREVIOUS_CHECKSUMS = ("8180527f41b0361414b179a7e5013a239e777e7ca03f07d4c17223551bc3a974",)

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

# Row level security and the tenant_isolation policy, written out as everyskill_db.rls
# made them when this migration was first applied: frozen, whatever rls.py says today.
ENABLE_RLS = 'ALTER TABLE "skill_feedback" ENABLE ROW LEVEL SECURITY'
CREATE_POLICY = (
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies"
    " WHERE schemaname = current_schema() AND tablename = 'skill_feedback'"
    " AND policyname = 'tenant_isolation')"
    ' THEN CREATE POLICY "tenant_isolation" ON "skill_feedback" AS PERMISSIVE FOR ALL'
    " USING (tenant_id = current_setting('app.current_tenant_id', true))"
    " WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true));"
    " END IF; END $$"
)


def up(migrator, db):
    migrator.migrate(
        migrator.sql(CREATE_SKILL_FEEDBACK),
        *map(migrator.sql, CREATE_INDEXES),
        migrator.sql(ENABLE_RLS),
        migrator.sql(CREATE_POLICY),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_table("skill_feedback", safe=True))
