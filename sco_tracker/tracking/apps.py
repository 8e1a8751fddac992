from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "sco_tracker.tracking"
    label = "tracking"
    verbose_name = _("Change tracking")

    def ready(self):
        from .groups import ensure_groups

        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="tracking.ensure_groups")
