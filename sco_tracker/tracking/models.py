"""The base classes a domain model subclasses to be tracked.

``TrackedModel``: full revision history (many-to-many fields included), one revision per
real change with who and why (see ``recording.py``), optimistic locking. ``PublishableModel``
adds the publication state. The model's ``Tracking`` inner class says the rest
(``options.py``).
"""

from __future__ import annotations

import hashlib

from concurrency.fields import AutoIncVersionField
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name

from .options import TrackingOptions, tracked_models
from .public import TrackedQuerySet
from .recording import (
    history_manager,
    is_restoring,
    latest_revision,
    public_kind,
    register_recorder,
    require_revision,
)
from .states import PublicationState, PublicKind
from .timetravel import history_queryset_class


class RevisionInfo(models.Model):
    """Extra columns on every historical table."""

    reverted_to_history_id = models.BigIntegerField(
        _("reverted to revision"), null=True, blank=True, editable=False
    )
    reverted_to_date = models.DateTimeField(
        _("reverted to revision of"), null=True, blank=True, editable=False
    )
    # Decided when the revision is written: what it was to readers (``PublicKind``).
    public_kind = models.CharField(
        _("public event"),
        max_length=10,
        choices=PublicKind.choices,
        default=PublicKind.PRIVATE,
        blank=True,
        editable=False,
    )

    class Meta:
        abstract = True


class TrackedHistoricalRecords(HistoricalRecords):
    """``HistoricalRecords`` whose writes go through ``revision()``: saves and many-to-many
    changes are noted on the active revision and recorded once when it ends."""

    def finalize(self, sender, **kwargs):
        ours = sender is self.cls or (self.inherit and issubclass(sender, self.cls))
        if ours:
            sender.tracking = TrackingOptions(sender, getattr(sender, "Tracking", None))
        super().finalize(sender, **kwargs)
        if ours:
            register_recorder(sender, self)
            # Refuse a write outside revision() before it reaches the database.
            models.signals.pre_save.connect(self.pre_save, sender=sender, weak=False)
            # History rows get the model's own QuerySet methods, moment-aware (as_of).
            descriptor = HistoryDescriptor(
                getattr(sender, self.manager_name).model,
                manager=self.history_manager,
                queryset=history_queryset_class(sender),
            )
            setattr(sender, self.manager_name, descriptor)

    def get_meta_options(self, model):
        """Two more indexes on every history table, for the reads the engine makes most:
        a record's revisions newest first (its latest revision, ``as_of``, its history
        page), and the public revisions of all records newest first (``/changes/``, the
        feed: a partial index holding only the rows readers may see)."""
        options = super().get_meta_options(model)
        tag = hashlib.sha1(model._meta.label_lower.encode()).hexdigest()[:6]
        prefix = f"{model._meta.model_name[:14]}_{tag}"
        options["indexes"] = (
            *options.get("indexes", ()),
            models.Index(fields=["id", "-history_date", "-history_id"], name=f"{prefix}_h_record"),
            models.Index(
                fields=["-history_date", "-history_id"],
                condition=~models.Q(public_kind=""),
                name=f"{prefix}_h_public",
            ),
        )
        return options

    def _get_history_user_fields(self):
        """An account that authored revisions cannot be deleted (PROTECT, not SET_NULL):
        the audit trail never forgets who made a change. Deactivate the account instead."""
        fields = super()._get_history_user_fields()
        fields["history_user"] = models.ForeignKey(
            settings.AUTH_USER_MODEL,
            null=True,
            related_name="+",
            on_delete=models.PROTECT,
            verbose_name=_("changed by"),
        )
        return fields

    def get_m2m_fields_from_model(self, model):
        return [model._meta.get_field(name) for name in model.tracking.m2m_fields]

    # --- signals: note the write on the active revision -------------------------------

    def pre_save(self, instance, raw=False, **kwargs):
        if not (raw or is_restoring()):
            require_revision(instance)

    def pre_delete(self, instance, **kwargs):
        if is_restoring():
            return
        context = require_revision(instance)
        # The database drops a deleted record from every many-to-many set without a
        # signal: the records whose tracked sets held it get a revision of their own.
        for model in tracked_models():
            for name in model.tracking.m2m_fields:
                if isinstance(instance, model._meta.get_field(name).related_model):
                    for record in model._default_manager.filter(**{name: instance.pk}):
                        context.touch(record)
        super().pre_delete(instance, **kwargs)

    def post_save(self, instance, created, using=None, **kwargs):
        if kwargs.get("raw") or is_restoring():
            return  # fixtures carry their own history
        require_revision(instance).touch(instance, created=created)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if is_restoring():
            return
        if action.startswith("pre_"):
            require_revision(instance)
        if reverse:
            # ``instance`` is the far side (say a Country); the tracked records whose
            # sets change are those in pk_set (for a clear: those related before it).
            if action == "pre_clear":
                related = getattr(
                    instance, kwargs["model"]._meta.get_field(attr).related_query_name()
                )
                tracked = list(related.all())
            elif action in ("post_add", "post_remove"):
                tracked = list(kwargs["model"]._default_manager.filter(pk__in=pk_set or ()))
            else:
                return
            for record in tracked:
                require_revision(record).touch(record)
            return
        if action in ("post_add", "post_remove", "post_clear"):
            require_revision(instance).touch(instance)

    def post_delete(self, instance, using=None, **kwargs):
        if is_restoring():
            return
        context = require_revision(instance)
        context.forget(instance)
        self.write(instance, "-", context, latest_revision(instance))

    # --- writing one revision row -----------------------------------------------------

    def write(self, instance, history_type: str, context, previous) -> None:
        model = type(instance)
        history_model = history_manager(model).model
        reverting = context.reverting
        if reverting is not None and not (
            reverting.instance_type is model and reverting.id == instance.pk
        ):
            reverting = None
        row = history_model(
            history_date=timezone.now(),
            history_type=history_type,
            history_user_id=context.user_id,
            history_change_reason=context.reason_for(history_type),
            public_kind=public_kind(
                instance, history_type, previous, reverting=reverting is not None
            ),
            reverted_to_history_id=reverting.history_id if reverting else None,
            reverted_to_date=reverting.history_date if reverting else None,
            **{f.attname: getattr(instance, f.attname) for f in self.fields_included(model)},
        )
        row.save()
        if history_type != "-":
            self.write_m2m(row, instance)

    def write_m2m(self, row, instance) -> None:
        for m2m_field in self.get_m2m_fields_from_model(type(instance)):
            through = m2m_field.remote_field.through
            history_through = getattr(type(row), m2m_field.name).model
            names = [f.attname for f in through._meta.concrete_fields]
            values = through._default_manager.filter(
                **{get_m2m_field_name(m2m_field): instance.pk}
            ).values(*names)
            history_through._default_manager.bulk_create(
                [history_through(history=row, **value) for value in values]
            )


class TrackedModel(models.Model):
    """Base of every editorial model: full revision history and optimistic locking.

    ``version`` (django-concurrency) goes up on every save; a save carrying an older
    version than the database's is refused, so two editors cannot silently overwrite
    each other. It is bookkeeping, not content, so it is left out of the history."""

    version = AutoIncVersionField(verbose_name=_("version"))

    objects = TrackedQuerySet.as_manager()
    history = TrackedHistoricalRecords(
        inherit=True, bases=[RevisionInfo], excluded_fields=["version"]
    )

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return self.tracking.url(self)


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


class PendingChange(models.Model):
    """A change to a published record waiting for a reviewer (the model Wagtail uses for
    live pages): the record — and so the public — keeps its published version, and the
    proposed one is kept here as the form it was entered in (fields, many-to-many sets and
    inline rows alike). A reviewer publishing it saves that form, as one revision."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    form_data = models.JSONField(_("proposed form"), default=dict)
    reason = models.TextField(_("reason given"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted for review at"), null=True, blank=True)
    note = models.TextField(_("reviewer's note"), blank=True)
    # Goes up with every save, so two editors continuing one proposal cannot overwrite
    # each other without seeing it.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_pending_change_per_record"
            )
        ]

    def __str__(self):
        return f"{self.content_type.name} #{self.object_id}"
