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


def up(migrator, db):
    for table, (using, with_check) in POLICIES.items():
        migrator.migrate(
            migrator.sql(DROP_IF_RESTRICTIVE.format(table=table)),
            migrator.enable_row_level_security(table),
            migrator.create_tenant_policy(table, using=using, with_check=with_check),
        )


def down(migrator, db):
    pass
