"""Revision tracking shared by every editorial model.

django-simple-history writes a row on every ``save()`` and on every many-to-many signal.
Auditors need exactly one revision per change, carrying who and why, and none for a save
that changed nothing. This module bends it that way:

* ``TrackedHistoricalRecords`` skips a save whose tracked values (fields *and*
  many-to-many sets) equal the latest revision;
* a multi-step write (admin form + its many-to-many fields + inlines, the seed loader)
  marks the instance with ``_defer_revision`` so the intermediate signals stay quiet, then
  calls :func:`record_revision` once when the record is complete.

Who and why travel on the instance (``_history_user``, ``_change_reason``) as
simple-history expects; :meth:`TrackedModel.stamp_revision` sets both.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from concurrency.fields import AutoIncVersionField
from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

from .querysets import TrackedQuerySet

REASON_CREATED = "Created"
REASON_DELETED = "Deleted"


class RevisionInfo(models.Model):
    """Extra columns on every historical table: a revert points at the revision it restored."""

    reverted_to_history_id = models.BigIntegerField(
        _("reverted to revision"), null=True, blank=True, editable=False
    )
    reverted_to_date = models.DateTimeField(
        _("reverted to revision of"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True


class TrackedHistoricalRecords(HistoricalRecords):
    """``HistoricalRecords`` that writes one revision per real change (see module doc)."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls or (self.inherit and issubclass(sender, self.cls)):
            # simple-history drops this object after wiring the signals; keep it so
            # record_revision() can write a revision outside a signal.
            sender._revision_recorder = self
            # History rows get the model's own QuerySet methods, snapshot-aware (as_of).
            from simple_history.manager import HistoryDescriptor

            from .timetravel import snapshot_queryset_class

            descriptor = HistoryDescriptor(
                getattr(sender, self.manager_name).model,
                manager=self.history_manager,
                queryset=snapshot_queryset_class(sender),
            )
            setattr(sender, self.manager_name, descriptor)

    def post_save(self, instance, created, using=None, **kwargs):
        if kwargs.get("raw") or getattr(instance, "_defer_revision", False):
            return
        if not created and not has_unrecorded_changes(instance):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if reverse:
            # ``instance`` is the far side (say a Country); the tracked records whose
            # sets changed are the ones in pk_set.
            for tracked in kwargs["model"]._default_manager.filter(pk__in=pk_set or ()):
                if not getattr(tracked, "_defer_revision", False):
                    record_revision(tracked)
            return
        if getattr(instance, "_defer_revision", False) or hasattr(
            instance, "skip_history_when_saving"
        ):
            return
        record_revision(instance)

    def get_change_reason_for_object(self, instance, history_type, using):
        reason = super().get_change_reason_for_object(instance, history_type, using)
        if not reason:
            reason = {"+": REASON_CREATED, "-": REASON_DELETED}.get(history_type)
        return reason


class TrackedModel(models.Model):
    """Base of every editorial model: full revision history (many-to-many included) and
    optimistic locking.

    ``version`` (django-concurrency) goes up on every save; a save carrying an older
    version than the database's is refused, so two editors cannot silently overwrite
    each other. It is bookkeeping, not content, so it is left out of the history.
    Subclasses list their many-to-many fields in ``_history_m2m_fields``.
    """

    version = AutoIncVersionField(verbose_name=_("version"))

    objects = TrackedQuerySet.as_manager()
    history = TrackedHistoricalRecords(
        inherit=True, bases=[RevisionInfo], excluded_fields=["version"]
    )

    class Meta:
        abstract = True

    def stamp_revision(self, *, user=None, reason: str):
        """Attach who and why to the revision the next write of this instance records."""
        self._history_user = user
        self._change_reason = reason
        return self


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class PublishableModel(TrackedModel):
    """A record readers see only once a reviewer has published it."""

    state = models.CharField(
        _("publication state"),
        max_length=12,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        db_index=True,
        help_text=_("Changed through the workflow actions, not by editing."),
    )

    class Meta:
        abstract = True

    @classmethod
    def state_constraint(cls, model_name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=models.Q(state__in=PublicationState.values),
            name=f"{model_name}_state_valid",
        )


def tracked_m2m_fields(model) -> list[models.ManyToManyField]:
    return model._revision_recorder.get_m2m_fields_from_model(model)


def tracked_fields(model) -> list[models.Field]:
    return model._revision_recorder.fields_included(model)


def latest_revision(instance):
    return instance.history.order_by("-history_date", "-history_id").first()


def _comparable(field: models.Field, value):
    try:
        return field.to_python(value)
    except ValidationError:
        return value


def current_m2m_ids(instance, field: models.ManyToManyField) -> set:
    through = field.remote_field.through
    return set(
        through._default_manager.filter(**{get_m2m_field_name(field): instance.pk}).values_list(
            get_m2m_reverse_field_name(field), flat=True
        )
    )


def recorded_m2m_ids(revision, field: models.ManyToManyField) -> set:
    return set(
        getattr(revision, field.name).values_list(get_m2m_reverse_field_name(field), flat=True)
    )


def has_unrecorded_changes(instance) -> bool:
    """True when ``instance`` (as saved now) differs from its latest revision."""
    model = type(instance)
    last = latest_revision(instance)
    if last is None or last.history_type == "-":
        return True
    for field in tracked_fields(model):
        old = _comparable(field, getattr(last, field.attname))
        new = _comparable(field, getattr(instance, field.attname))
        if old != new:
            return True
    return any(
        current_m2m_ids(instance, field) != recorded_m2m_ids(last, field)
        for field in tracked_m2m_fields(model)
    )


def record_revision(instance, *, created: bool = False, using=None) -> bool:
    """Write one revision of ``instance`` unless nothing tracked changed since the last.

    Returns whether a revision was written.
    """
    if not created and not has_unrecorded_changes(instance):
        return False
    type(instance)._revision_recorder.create_historical_record(
        instance, "+" if created else "~", using=using
    )
    return True


@receiver(pre_create_historical_record)
def _stamp_revert(sender, instance, history_instance, **kwargs):
    """A revert's revision remembers which revision it restored."""
    restored = getattr(instance, "_reverted_to", None)
    if restored is not None and isinstance(history_instance, RevisionInfo):
        history_instance.reverted_to_history_id = restored.history_id
        history_instance.reverted_to_date = restored.history_date


def display_value(field: models.Field, value) -> str:
    """A revision's value in human terms: choice labels, names of related records,
    plain decimals and ISO dates, “—” for empty."""
    if isinstance(field, models.ManyToManyField):
        # simple-history gives one dict per through row: {"<source>": obj, "<target>": obj}
        target = get_m2m_reverse_field_name(field)
        names = sorted(str(row[target]) for row in value or ())
        return ", ".join(names) or "—"
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def format_decimal(value: Decimal) -> str:
    """67.000000 → "67", 27.500000 → "27.5": the number without storage padding."""
    return format(value.normalize(), "f")
