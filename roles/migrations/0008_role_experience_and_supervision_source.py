"""Experience by band (the band from which a role holds its complexity ceiling, and why) and the source of a
role's supervision hours. SQLite rebuilds the roles table for these columns, so the search index's triggers
(migration 0002) are created again afterwards, as in 0005 and 0006."""

import importlib

from django.db import migrations, models

# The same step as migration 0006's: drop and create the search index's triggers again (SQLite only).
restore_triggers = importlib.import_module("roles.migrations.0006_role_pay_grades").restore_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0007_revisions"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_triggers),
        migrations.AddField(
            model_name="role",
            name="ceiling_reason",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Why the ceiling (and the band it starts from) is what it is; shown in plans and on the role page.",
            ),
        ),
        migrations.AddField(
            model_name="role",
            name="ceiling_source_url",
            field=models.URLField(
                blank=True, default="", help_text="A source for the ceiling, if one exists.", max_length=500
            ),
        ),
        migrations.AddField(
            model_name="role",
            name="full_ceiling_band",
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
                help_text="Modelling default: the lowest band or grade at which staff in this role hold the ceiling above. Staff below it hold caseloads one tier less complex (for example newly qualified staff in preceptorship). Empty: every band holds the ceiling.",
                null=True,
                verbose_name="Holds its most complex need from",
            ),
        ),
        migrations.AddField(
            model_name="role",
            name="supervision_source_url",
            field=models.URLField(
                blank=True,
                default="",
                help_text="A source for the supervision hours, if one exists; empty means a modelling default.",
                max_length=500,
            ),
        ),
        migrations.RunPython(restore_triggers, migrations.RunPython.noop),
    ]
