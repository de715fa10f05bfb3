"""The Curators and Publishers groups and their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATALOGUE = ["role", "rolecapability", "trainingroute", "rolesource", "capability", "rolefamily", "regulator"]

GROUPS = {
    "Curators": [
        *(f"{verb}_{model}" for model in CATALOGUE for verb in ("add", "change", "view")),
        "add_casestudy",
        "change_casestudy",
        "view_casestudy",
        "submit_casestudy",
        "view_casestudytransition",
        "add_resource",
        "change_resource",
        "view_resource",
    ],
    "Publishers": [
        *(f"view_{model}" for model in CATALOGUE),
        "change_casestudy",
        "view_casestudy",
        "publish_casestudy",
        "view_casestudytransition",
        "view_resource",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    app_config = apps.get_app_config("roles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="roles", codename__in=codenames))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0003_case_studies_resources"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
