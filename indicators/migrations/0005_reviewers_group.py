"""Reviewers: everything Editors may do with indicators and figures, plus publish and
withdraw them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
REVIEWERS = "Reviewers"
PUBLISH = ["publish_indicator", "publish_figure"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("indicators")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.add(
        *editors.permissions.filter(content_type__app_label="indicators"),
        *Permission.objects.filter(content_type__app_label="indicators", codename__in=PUBLISH),
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=REVIEWERS).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="indicators"))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_publication_state_and_version"),
        ("meetings", "0006_reviewers_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
