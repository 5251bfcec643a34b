-- 0035_make_tenant_policies_permissive
-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.
-- Generated, never edited by hand: pytest tests/test_migration_sql.py --update-snapshots


DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_policies
               WHERE schemaname = current_schema() AND tablename = 'users'
                 AND policyname = 'tenant_isolation' AND permissive = 'RESTRICTIVE') THEN
        DROP POLICY tenant_isolation ON users;
    END IF;
END $$;

ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'users' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "users" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;


DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_policies
               WHERE schemaname = current_schema() AND tablename = 'skills'
                 AND policyname = 'tenant_isolation' AND permissive = 'RESTRICTIVE') THEN
        DROP POLICY tenant_isolation ON skills;
    END IF;
END $$;

ALTER TABLE "skills" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'skills' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "skills" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true) OR visibility = 'global_approved') WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;


DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_policies
               WHERE schemaname = current_schema() AND tablename = 'skill_versions'
                 AND policyname = 'tenant_isolation' AND permissive = 'RESTRICTIVE') THEN
        DROP POLICY tenant_isolation ON skill_versions;
    END IF;
END $$;

ALTER TABLE "skill_versions" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'skill_versions' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "skill_versions" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;


DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_policies
               WHERE schemaname = current_schema() AND tablename = 'usage_events'
                 AND policyname = 'tenant_isolation' AND permissive = 'RESTRICTIVE') THEN
        DROP POLICY tenant_isolation ON usage_events;
    END IF;
END $$;

ALTER TABLE "usage_events" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'usage_events' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "usage_events" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;


DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_policies
               WHERE schemaname = current_schema() AND tablename = 'skill_feedback'
                 AND policyname = 'tenant_isolation' AND permissive = 'RESTRICTIVE') THEN
        DROP POLICY tenant_isolation ON skill_feedback;
    END IF;
END $$;

ALTER TABLE "skill_feedback" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'skill_feedback' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "skill_feedback" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;


DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_policies
               WHERE schemaname = current_schema() AND tablename = 'token_measurements'
                 AND policyname = 'tenant_isolation' AND permissive = 'RESTRICTIVE') THEN
        DROP POLICY tenant_isolation ON token_measurements;
    END IF;
END $$;

ALTER TABLE "token_measurements" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'token_measurements' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "token_measurements" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;


DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_policies
               WHERE schemaname = current_schema() AND tablename = 'benchmark_runs'
                 AND policyname = 'tenant_isolation' AND permissive = 'RESTRICTIVE') THEN
        DROP POLICY tenant_isolation ON benchmark_runs;
    END IF;
END $$;

ALTER TABLE "benchmark_runs" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'benchmark_runs' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "benchmark_runs" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;


DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_policies
               WHERE schemaname = current_schema() AND tablename = 'benchmark_results'
                 AND policyname = 'tenant_isolation' AND permissive = 'RESTRICTIVE') THEN
        DROP POLICY tenant_isolation ON benchmark_results;
    END IF;
END $$;

ALTER TABLE "benchmark_results" ENABLE ROW LEVEL SECURITY;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'benchmark_results' AND policyname = 'tenant_isolation') THEN CREATE POLICY "tenant_isolation" ON "benchmark_results" AS PERMISSIVE FOR ALL USING (tenant_id = current_setting('app.current_tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)); END IF; END $$;
