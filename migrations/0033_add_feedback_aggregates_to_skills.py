"""Add the denormalized feedback and cost aggregates to skills (kept true by
everyskill_db.aggregates). Name fixed: the original TypeScript stack knows this migration by it.
"""

ADD_AGGREGATES = """
ALTER TABLE skills
    ADD COLUMN IF NOT EXISTS total_feedback integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS positive_feedback_pct integer,
    ADD COLUMN IF NOT EXISTS avg_token_cost_microcents integer"""

DROP_AGGREGATES = """
ALTER TABLE skills
    DROP COLUMN IF EXISTS avg_token_cost_microcents,
    DROP COLUMN IF EXISTS positive_feedback_pct,
    DROP COLUMN IF EXISTS total_feedback"""


def up(migrator, db):
    migrator.migrate(migrator.sql(ADD_AGGREGATES))


def down(migrator, db):
    migrator.migrate(migrator.sql(DROP_AGGREGATES))
