"""The catalog of a migrated database, read from PostgreSQL, and its rendering in docs/schema.md.

    database = open_database(url)                  # migrated with MigrationRunner(...).up()
    found = catalog(database)                      # plain tuples and dicts: compare with ==
    text = update(DOC.read_text(), found)          # docs/schema.md with its generated parts
                                                   # redone from ``found``, prose kept

docs/schema.md is prose written by hand with generated blocks between
``<!-- BEGIN GENERATED name -->`` and ``<!-- END GENERATED name -->``: one block
``table:<name>`` per table (columns, constraints, indexes, policies, triggers) and one block
``objects`` (types and functions). ``update`` rewrites the blocks and keeps everything else;
a table with no block yet gets a new section above ``END_OF_TABLES``, whose prose is left
to write.
tests/test_schema_doc.py compares the file with ``update(file)``; ``pytest
tests/test_schema_doc.py --update-snapshots`` writes it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parent.parent / "docs" / "schema.md"
REGENERATE = "pytest tests/test_schema_doc.py tests/test_migration_sql.py --update-snapshots"
UNDESCRIBED = "_Not described yet: write what this table is for here._"
END_OF_TABLES = "<!-- END OF TABLES: new tables are added above this line -->"

CONSTRAINT_KINDS = {"p": "primary key", "f": "foreign key", "u": "unique", "c": "check",
                    "x": "exclusion", "t": "trigger"}

_BLOCK = re.compile(
    r"<!-- BEGIN GENERATED (?P<name>\S+) -->\n.*?<!-- END GENERATED (?P=name) -->\n", re.DOTALL
)


def _rows(database: Any, sql: str, *params: Any) -> list[tuple]:
    return list(database.execute_sql(sql, params).fetchall())


def catalog(database: Any, schema: str = "public",
            exclude: tuple[str, ...] = ("schema_migration",)) -> dict:
    """Everything the migrations made in ``schema``: tables in creation order, each with
    RLS flags, columns, constraints, indexes, policies and triggers; enum types; functions.
    ``exclude``: tables that are not the schema's (the runner's history table)."""
    tables: dict[str, dict] = {}
    for oid, name, enabled, forced in _rows(
        database,
        "SELECT c.oid, c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c"
        " WHERE c.relnamespace = %s::regnamespace AND c.relkind IN ('r', 'p')"
        " AND NOT c.relname = ANY(%s) ORDER BY c.oid",
        schema, list(exclude),
    ):
        tables[name] = {
            "rls": (enabled, forced),
            "columns": _rows(
                database,
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,"
                " pg_get_expr(d.adbin, d.adrelid)"
                " FROM pg_attribute a"
                " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                " WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped"
                " ORDER BY a.attnum",
                oid,
            ),
            "constraints": [
                (conname, CONSTRAINT_KINDS[contype], definition)
                for conname, contype, definition in _rows(
                    database,
                    "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conrelid = %s"
                    " ORDER BY position(contype::text IN 'pufcxt'),"
                    " conname",
                    oid,
                )
            ],
            # The indexes that back a constraint are listed with the constraint.
            "indexes": _rows(
                database,
                "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x"
                " JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = x.indexrelid)"
                " ORDER BY i.relname",
                oid,
            ),
            "policies": [
                (policy, permissive, tuple(roles), command, using, with_check)
                for policy, permissive, roles, command, using, with_check in _rows(
                    database,
                    "SELECT policyname, permissive, roles::text[], cmd, qual, with_check"
                    " FROM pg_policies WHERE schemaname = %s AND tablename = %s"
                    " ORDER BY policyname",
                    schema, name,
                )
            ],
            "triggers": _rows(
                database,
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger"
                " WHERE tgrelid = %s AND NOT tgisinternal ORDER BY tgname",
                oid,
            ),
        }
    enums = {
        name: list(labels)
        for name, labels in _rows(
            database,
            "SELECT t.typname, ARRAY(SELECT enumlabel FROM pg_enum"
            "       WHERE enumtypid = t.oid ORDER BY enumsortorder)"
            " FROM pg_type t WHERE t.typnamespace = %s::regnamespace AND t.typtype = 'e'"
            " ORDER BY t.typname",
            schema,
        )
    }
    functions = _rows(
        database,
        "SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',"
        " pg_get_function_result(p.oid), l.lanname, p.prosecdef,"
        " coalesce(array_to_string(p.proconfig, ', '), '')"
        " FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
        " WHERE p.pronamespace = %s::regnamespace"
        " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
        " ORDER BY 1",
        schema,
    )
    return {"tables": tables, "enums": enums, "functions": functions}


# --- rendering ---------------------------------------------------------------------------


def _code(text: str | None) -> str:
    """``text`` as an inline code span fit for a Markdown table cell."""
    if text is None or text == "":
        return ""
    return "`" + " ".join(text.split()).replace("|", "\\|") + "`"


def _grid(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table, as lines, preceded by a blank line."""
    return ["", _row(headers), "|" + "---|" * len(headers), *map(_row, rows)]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_table(table: dict) -> str:
    enabled, forced = table["rls"]
    if not enabled:
        rls = "disabled"
    else:
        rls = "enabled and forced" if forced else "enabled (not forced: the owner bypasses it)"
    lines = [f"Row level security: {rls}."]
    lines += _grid(["column", "type", "null", "default"], [
        [f"`{name}`", type_, "yes" if nullable else "no", _code(default)]
        for name, type_, nullable, default in table["columns"]
    ])
    lines += _grid(["constraint", "kind", "definition"], [
        [f"`{name}`", kind, _code(definition)] for name, kind, definition in table["constraints"]
    ])
    if table["indexes"]:
        lines += _grid(["index", "definition"],
                       [[f"`{name}`", _code(d)] for name, d in table["indexes"]])
    if table["policies"]:
        lines += _grid(["policy", "as", "for", "to", "USING", "WITH CHECK"], [
            [f"`{name}`", permissive, command, ", ".join(roles), _code(using), _code(check)]
            for name, permissive, roles, command, using, check in table["policies"]
        ])
    elif enabled:
        lines += ["", "No policy: with RLS enabled, only roles that bypass it see rows."]
    if table["triggers"]:
        lines += _grid(["trigger", "definition"],
                       [[f"`{name}`", _code(d)] for name, d in table["triggers"]])
    return "\n".join(lines) + "\n"


def render_objects(found: dict) -> str:
    lines = _grid(["enum type", "values"], [
        [f"`{name}`", ", ".join(_code(repr(label)) for label in labels)]
        for name, labels in found["enums"].items()
    ])
    if found["functions"]:
        lines += _grid(["function", "returns", "language", "security definer", "settings"], [
            [f"`{signature}`", result, language, "yes" if definer else "no", _code(settings)]
            for signature, result, language, definer, settings in found["functions"]
        ])
    else:
        lines += ["", "No functions."]
    return "\n".join(lines[1:]) + "\n"


def _block(name: str, body: str) -> str:
    return f"<!-- BEGIN GENERATED {name} -->\n{body}<!-- END GENERATED {name} -->\n"


def update(text: str, found: dict) -> str:
    """``text`` (docs/schema.md) with every generated block redone from ``found``."""
    rendered = {f"table:{name}": render_table(t) for name, t in found["tables"].items()}
    rendered["objects"] = render_objects(found)
    seen = set()

    def replace(match: re.Match) -> str:
        name = match["name"]
        seen.add(name)
        body = rendered.get(name, "**Not in the migrated database: remove this section.**\n")
        return _block(name, body)

    text = _BLOCK.sub(replace, text)
    head, marker, tail = text.partition(END_OF_TABLES)
    for name in rendered:
        if name not in seen and name.startswith("table:"):
            title = name.split(":", 1)[1]
            section = f"### {title}\n\n{UNDESCRIBED}\n\n{_block(name, rendered[name])}"
            head = head.rstrip("\n") + "\n\n" + section + ("\n" if marker else "")
    text = head + marker + tail
    if "objects" not in seen:
        text = text.rstrip("\n") + "\n\n## Types and functions\n\n"
        text += _block("objects", rendered["objects"])
    return text
