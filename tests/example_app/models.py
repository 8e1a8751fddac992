"""A statement made at a meeting: a new tracked record type, declared only here."""

from django.db import models

from sco_tracker.tracking.models import PublishableModel


class Statement(PublishableModel):
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="statements"
    )
    speaker = models.ForeignKey(
        "meetings.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField()

    class Meta:
        ordering = ["id"]
        permissions = [("publish_statement", "Can publish and withdraw statements")]

    class Tracking:
        public_parents = ["meeting"]
        url_name = "example:statement_detail"
        history_url_name = "example:statement_history"
        changes_filters = {"country": "meeting__host_country__code"}
        search_fields = ["text"]

    def __str__(self):
        return self.text[:60]
