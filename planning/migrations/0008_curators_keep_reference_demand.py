"""Curators keep the team types' reference demand current too, as they do the rest of the planning reference data
(0002); publishers may read it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Curators": [f"{verb}_teamtypedemand" for verb in ("add", "change", "view")],
    "Publishers": ["view_teamtypedemand"],
}


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="planning", codename__in=codenames)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("planning")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in GROUPS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0007_plan_agreed_by_and_at"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
