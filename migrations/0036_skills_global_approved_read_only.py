"""Other tenants may read a global_approved skill, not change, take over or delete it.

tenant_isolation on skills (0003, 0035) is FOR ALL with USING "own tenant OR
global_approved", and a FOR ALL policy's USING also decides which rows UPDATE and DELETE
reach: any tenant could delete another tenant's global_approved skill, or take it over with
UPDATE ... SET tenant_id. Two RESTRICTIVE policies narrow UPDATE and DELETE to the tenant's
own rows; reads stay as they are, and each sits beside the permissive tenant_isolation.
"""

CURRENT_TENANT = "tenant_id = current_setting('app.current_tenant_id', true)"
COMMANDS = ("UPDATE", "DELETE")

CREATE = """
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_policies
                   WHERE schemaname = current_schema() AND tablename = 'skills'
                     AND policyname = '{name}') THEN
        CREATE POLICY {name} ON skills AS RESTRICTIVE FOR {command} USING ({using});
    END IF;
END $$"""


def _name(command):
    return f"tenant_{command.lower()}_own_rows"


def up(migrator, db):
    migrator.migrate(*(
        migrator.sql(CREATE.format(name=_name(command), command=command, using=CURRENT_TENANT))
        for command in COMMANDS
    ))


def down(migrator, db):
    migrator.migrate(*(
        migrator.sql(f"DROP POLICY IF EXISTS {_name(command)} ON skills") for command in COMMANDS
    ))
