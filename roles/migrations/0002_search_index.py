"""SQLite only: an FTS5 index over roles for the search fallback (PostgreSQL searches with tsvector)."""

from django.db import migrations

COLUMNS = "name, alternative_titles, summary, scope_of_practice"
NEW_VALUES = "new.id, new.name, new.alternative_titles, new.summary, new.scope_of_practice"

CREATE = [
    f"CREATE VIRTUAL TABLE roles_role_fts USING fts5({COLUMNS}, tokenize='porter unicode61')",
    f"INSERT INTO roles_role_fts(rowid, {COLUMNS}) SELECT id, {COLUMNS} FROM roles_role",
    "CREATE TRIGGER roles_role_fts_insert AFTER INSERT ON roles_role BEGIN "
    f"INSERT INTO roles_role_fts(rowid, {COLUMNS}) VALUES ({NEW_VALUES}); END",
    "CREATE TRIGGER roles_role_fts_update AFTER UPDATE ON roles_role BEGIN "
    "DELETE FROM roles_role_fts WHERE rowid = old.id; "
    f"INSERT INTO roles_role_fts(rowid, {COLUMNS}) VALUES ({NEW_VALUES}); END",
    "CREATE TRIGGER roles_role_fts_delete AFTER DELETE ON roles_role BEGIN "
    "DELETE FROM roles_role_fts WHERE rowid = old.id; END",
]
DROP = [
    "DROP TRIGGER IF EXISTS roles_role_fts_insert",
    "DROP TRIGGER IF EXISTS roles_role_fts_update",
    "DROP TRIGGER IF EXISTS roles_role_fts_delete",
    "DROP TABLE IF EXISTS roles_role_fts",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("roles", "0001_initial")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
