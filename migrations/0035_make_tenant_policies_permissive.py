"""Replace any RESTRICTIVE tenant_isolation policy with the PERMISSIVE one.

The original TypeScript schema created its tenant_isolation policies AS RESTRICTIVE, with no
permissive policy beside them. A restrictive policy only narrows what permissive policies
grant, so alone it shows a role that is neither superuser nor table owner no row at all. The
TypeScript application never noticed: it connected as the owner, which bypasses RLS. A
database it migrated keeps those policies (our 0001-0034 see the policy name and leave it),
so this migration swaps them for the permissive policies of 0001-0032. On a database made by
this package it changes nothing.

down() leaves the permissive policies in place: restoring the defect helps nobody.
"""

# The sha256 of this file before its SQL was frozen as literals (same SQL, other bytes).
PREVIOUS_CHECKSUMS = ("544bc179edfd80d1296e55435b4e7ec79d914310923dc0b7c09f1c270daae03e",)

CURRENT_TENANT = "tenant_id = current_setting('app.current_tenant_id', true)"

# table -> (USING, WITH CHECK); None means WITH CHECK = USING, as in 0001-0032.
POLICIES = {
    "users": (CURRENT_TENANT, None),
    "skills": (f"{CURRENT_TENANT} OR visibility = 'global_approved'", CURRENT_TENANT),
    "skill_versions": (CURRENT_TENANT, None),
    "usage_events": (CURRENT_TENANT, None),
    "skill_feedback": (CURRENT_TENANT, None),
    "token_measurements": (CURRENT_TENANT, None),
    "benchmark_runs": (CURRENT_TENANT, None),
    "benchmark_results": (CURRENT_TENANT, None),
}

DROP_IF_RESTRICTIVE = """
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_policies
               WHERE schemaname = current_schema() AND tablename = '{table}'
                 AND policyname = 'tenant_isolation' AND permissive = 'RESTRICTIVE') THEN
        DROP POLICY tenant_isolation ON {table};
    END IF;
END $$"""

# Row level security and the tenant_isolation policy, written out as everyskill_db.rls
# made them when this migration was first applied: frozen, whatever rls.py says today.
ENABLE_RLS = 'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'
CREATE_POLICY = (
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies"
    " WHERE schemaname = current_schema() AND tablename = '{table}'"
    " AND policyname = 'tenant_isolation')"
    ' THEN CREATE POLICY "tenant_isolation" ON "{table}" AS PERMISSIVE FOR ALL'
    " USING ({using}) WITH CHECK ({with_check}); END IF; END $$"
)


def up(migrator, db):
    for table, (using, with_check) in POLICIES.items():
        migrator.migrate(
            migrator.sql(DROP_IF_RESTRICTIVE.format(table=table)),
            migrator.sql(ENABLE_RLS.format(table=table)),
            migrator.sql(CREATE_POLICY.format(
                table=table, using=using, with_check=using if with_check is None else with_check
            )),
        )


def down(migrator, db):
    pass
