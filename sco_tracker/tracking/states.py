"""Publication states and the transitions between them, with who may make each."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


# to-state → whether it needs the publish permission, for each from-state
TRANSITIONS: dict[str, dict[str, bool]] = {
    PublicationState.DRAFT: {PublicationState.IN_REVIEW: False, PublicationState.PUBLISHED: True},
    PublicationState.IN_REVIEW: {
        PublicationState.DRAFT: False,
        PublicationState.PUBLISHED: True,
    },
    PublicationState.PUBLISHED: {PublicationState.WITHDRAWN: True},
    PublicationState.WITHDRAWN: {
        PublicationState.DRAFT: False,
        PublicationState.PUBLISHED: True,
    },
}


class PublicKind(models.TextChoices):
    """What a revision was for the public, decided when it is written: an edit of a
    public record, its publication or withdrawal, or nothing (``PRIVATE``: made while the
    record or one of its parents was not public)."""

    PRIVATE = "", _("not public")
    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    REVERTED = "reverted", _("reverted")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")
    DELETED = "deleted", _("deleted")


def publish_permission(model) -> str:
    """``app.publish_<model>``: the permission reviewers hold."""
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"
