"""Role band fields take pay grades: the Agenda for Change bands and the medical grades (roles/bands.py).

Only the choices and help text change, so no column changes; should a backend rebuild the roles table anyway (SQLite
does for some field changes), the search index's triggers (migration 0002) are created again afterwards, as in 0005.
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
        ("roles", "0005_role_clinical"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_triggers),
        migrations.AlterField(
            model_name="role",
            name="band_max",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (2, "Band 2"),
                    (3, "Band 3"),
                    (4, "Band 4"),
                    (5, "Band 5"),
                    (6, "Band 6"),
                    (7, "Band 7"),
                    (8, "Band 8a"),
                    (9, "Band 8b"),
                    (10, "Band 8c"),
                    (11, "Band 8d"),
                    (12, "Band 9"),
                    (20, "Resident doctor (foundation)"),
                    (21, "Resident doctor (core training)"),
                    (22, "Resident doctor (higher training)"),
                    (23, "Specialty doctor"),
                    (24, "Specialist"),
                    (25, "Consultant"),
                ],
                help_text="Highest qualified pay grade (Agenda for Change band or medical grade).",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="role",
            name="band_min",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (2, "Band 2"),
                    (3, "Band 3"),
                    (4, "Band 4"),
                    (5, "Band 5"),
                    (6, "Band 6"),
                    (7, "Band 7"),
                    (8, "Band 8a"),
                    (9, "Band 8b"),
                    (10, "Band 8c"),
                    (11, "Band 8d"),
                    (12, "Band 9"),
                    (20, "Resident doctor (foundation)"),
                    (21, "Resident doctor (core training)"),
                    (22, "Resident doctor (higher training)"),
                    (23, "Specialty doctor"),
                    (24, "Specialist"),
                    (25, "Consultant"),
                ],
                help_text="Lowest qualified pay grade (Agenda for Change band or medical grade).",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="role",
            name="band_trainee",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (2, "Band 2"),
                    (3, "Band 3"),
                    (4, "Band 4"),
                    (5, "Band 5"),
                    (6, "Band 6"),
                    (7, "Band 7"),
                    (8, "Band 8a"),
                    (9, "Band 8b"),
                    (10, "Band 8c"),
                    (11, "Band 8d"),
                    (12, "Band 9"),
                    (20, "Resident doctor (foundation)"),
                    (21, "Resident doctor (core training)"),
                    (22, "Resident doctor (higher training)"),
                    (23, "Specialty doctor"),
                    (24, "Specialist"),
                    (25, "Consultant"),
                ],
                null=True,
            ),
        ),
        migrations.RunPython(restore_triggers, migrations.RunPython.noop),
    ]
