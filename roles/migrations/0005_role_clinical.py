"""Role.clinical: whether a role gives direct clinical care (the planning engine counts care hours only for
clinical roles).

On SQLite, adding a NOT NULL column rebuilds the roles table, which drops the search index's triggers (migration
0002), so they are created again afterwards; the index table itself keeps its rows (role ids do not change).
"""

import importlib

from django.db import migrations, models

search_index = importlib.import_module("roles.migrations.0002_search_index")
TRIGGERS = [statement for statement in search_index.CREATE if statement.startswith("CREATE TRIGGER")]
DROP_TRIGGERS = [statement for statement in search_index.DROP if statement.startswith("DROP TRIGGER")]


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [*DROP_TRIGGERS, *TRIGGERS]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0004_publishing_groups"),
    ]

    operations = [
        # Undoing the column rebuilds the table too: the triggers are restored after it (operations run backwards).
        migrations.RunPython(migrations.RunPython.noop, restore_triggers),
        migrations.AddField(
            model_name="role",
            name="clinical",
            field=models.BooleanField(
                default=True,
                help_text="Non-clinical roles such as administrators count in FTE and cost but give no care hours.",
                verbose_name="Gives direct clinical care",
            ),
        ),
        migrations.RunPython(restore_triggers, migrations.RunPython.noop),
    ]
