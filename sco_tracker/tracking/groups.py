"""The Editors and Reviewers groups, kept in step with the tracked models after every
``migrate`` (and every test flush): adding a tracked model needs no migration here.

Editors add, change and view every tracked record and never delete; Reviewers may also
publish and withdraw (``publish_<model>``). Deleting is for superusers.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from .options import tracked_models

EDITORS = "Editors"
REVIEWERS = "Reviewers"


def ensure_groups(sender=None, *, using="default", verbosity=0, **kwargs):
    Group = global_apps.get_model("auth", "Group")
    Permission = global_apps.get_model("auth", "Permission")
    models = tracked_models()
    # Permissions are made by each app's own post_migrate; ours may run first.
    for app_config in {global_apps.get_app_config(m._meta.app_label) for m in models}:
        create_permissions(app_config, verbosity=0, using=using)
    editing, publishing = [], []
    for model in models:
        label, name = model._meta.app_label, model._meta.model_name
        editing += [(label, f"{action}_{name}") for action in ("add", "change", "view")]
        if model.tracking.publishable:
            publishing.append((label, f"publish_{name}"))

    def permissions(pairs):
        found = Permission.objects.using(using).filter(
            content_type__app_label__in={label for label, _ in pairs},
            codename__in={codename for _, codename in pairs},
        )
        return [
            p
            for p in found.select_related("content_type")
            if (p.content_type.app_label, p.codename) in set(pairs)
        ]

    editors, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    reviewers, _ = Group.objects.using(using).get_or_create(name=REVIEWERS)
    editors.permissions.set(permissions(editing))
    reviewers.permissions.set(permissions(editing + publishing))
