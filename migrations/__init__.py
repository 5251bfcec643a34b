"""Numbered schema migrations of everyskill_db (installed as everyskill_db.migrations)."""
