"""Curators keep the planning reference data current too: team types and what they need, guidance targets and
pay scales (the catalogue's own permissions come from roles/0004). Publishers may read them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REFERENCE = ["teamtype", "teamtypecapability", "guidancetarget", "payscale"]
GROUPS = {
    "Curators": [f"{verb}_{model}" for model in REFERENCE for verb in ("add", "change", "view")],
    "Publishers": [f"view_{model}" for model in REFERENCE],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("planning")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="planning", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="planning", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("roles", "0004_publishing_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
