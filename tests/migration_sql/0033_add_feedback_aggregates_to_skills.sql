-- 0033_add_feedback_aggregates_to_skills
-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.
-- Generated, never edited by hand: pytest tests/test_migration_sql.py --update-snapshots


ALTER TABLE skills
    ADD COLUMN IF NOT EXISTS total_feedback integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS positive_feedback_pct integer,
    ADD COLUMN IF NOT EXISTS avg_token_cost_microcents integer;
