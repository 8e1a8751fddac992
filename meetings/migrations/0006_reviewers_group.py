"""Reviewers: everything Editors may do, plus publish and withdraw."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
REVIEWERS = "Reviewers"
PUBLISH = ["publish_meeting", "publish_commitment"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("meetings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.add(
        *editors.permissions.filter(content_type__app_label="meetings"),
        *Permission.objects.filter(content_type__app_label="meetings", codename__in=PUBLISH),
    )


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=REVIEWERS).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0005_publication_state_and_version")]

    operations = [migrations.RunPython(grant, revoke)]
