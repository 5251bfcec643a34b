-- 0036_skills_global_approved_read_only
-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.
-- Generated, never edited by hand: pytest tests/test_migration_sql.py --update-snapshots


DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_policies
                   WHERE schemaname = current_schema() AND tablename = 'skills'
                     AND policyname = 'tenant_update_own_rows') THEN
        CREATE POLICY tenant_update_own_rows ON skills AS RESTRICTIVE FOR UPDATE USING (tenant_id = current_setting('app.current_tenant_id', true));
    END IF;
END $$;


DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_policies
                   WHERE schemaname = current_schema() AND tablename = 'skills'
                     AND policyname = 'tenant_delete_own_rows') THEN
        CREATE POLICY tenant_delete_own_rows ON skills AS RESTRICTIVE FOR DELETE USING (tenant_id = current_setting('app.current_tenant_id', true));
    END IF;
END $$;
