-- 0030_create_skill_feedback
-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.
-- Generated, never edited by hand: pytest tests/test_migration_sql.py --update-snapshots


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
);

CREATE INDEX IF NOT EXISTS skill_feedback_skill_id_idx ON skill_feedback (skill_id);

CREATE INDEX IF NOT EXISTS skill_feedback_user_id_idx ON skill_feedback (user_id);

CREATE INDEX IF NOT EXISTS skill_feedback_tenant_id_idx ON skill_feedback (tenant_id);

CREATE INDEX IF NOT EXISTS skill_feedback_feedback_type_idx ON skill_feedback (feedback_type);

CREATE INDEX IF NOT EXISTS skill_feedback_status_idx ON skill_feedback (status);

ALTER TABLE "skill_feedback" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'skill_feedback' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "skill_feedback" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;
