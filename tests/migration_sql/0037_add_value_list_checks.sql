-- 0037_add_value_list_checks
-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.
-- Generated, never edited by hand: pytest tests/test_migration_sql.py --update-snapshots

ALTER TABLE tenants DROP CONSTRAINT IF EXISTS tenants_plan_check, ADD CONSTRAINT tenants_plan_check CHECK (plan IN ('freemium', 'paid'));

ALTER TABLE skills DROP CONSTRAINT IF EXISTS skills_visibility_check, ADD CONSTRAINT skills_visibility_check CHECK (visibility IN ('global_approved', 'tenant', 'personal', 'private'));

ALTER TABLE skill_feedback DROP CONSTRAINT IF EXISTS skill_feedback_source_check, ADD CONSTRAINT skill_feedback_source_check CHECK (source IN ('web', 'mcp', 'api', 'hook'));
