"""Who and why: every write to a tracked record happens inside ``revision()``::

    with revision(user=request.user, reason="Corrected per the ministry's report"):
        figure.value = Decimal("68.4")
        figure.save()
        commitment.countries.add(kazakhstan)

Inside the block, saves and many-to-many changes are noted; when the block ends, each
record touched gets exactly one revision carrying the user and the reason (none when
nothing tracked changed). A deletion is recorded at once. The block is one transaction:
if it fails, neither the writes nor their revisions are kept.

A tracked write outside any ``revision()`` block is refused (``RevisionRequired``): a
change nobody can account for is exactly what this site exists to prevent.
"""

from __future__ import annotations

import contextvars
import functools
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

from .states import PublicationState, PublicKind

REASON_CREATED = "Created"
REASON_DELETED = "Deleted"


class RevisionRequired(RuntimeError):
    """A tracked record was written outside ``revision()``."""

    def __init__(self, instance):
        super().__init__(
            f"{type(instance).__name__} #{instance.pk} was written outside a revision: wrap "
            "the change in `with revision(user=…, reason=…):` "
            "(sco_tracker.tracking.recording)."
        )


class ReasonRequired(ValueError):
    """A change to an existing record was made without saying why."""


@dataclass
class RevisionContext:
    """The revision being made: who, why, and what was touched so far.

    ``reason`` may be filled in after the block starts (the admin knows it only once the
    form is valid); ``reverting`` is the historical row a revert restores."""

    user: object = None
    reason: str = ""
    reverting: object = None
    pending: dict = field(default_factory=dict)

    def touch(self, instance, *, created: bool = False) -> None:
        key = (type(instance), instance.pk)
        if key in self.pending:
            earlier, was_created = self.pending[key]
            self.pending[key] = (instance, was_created or created)
        else:
            self.pending[key] = (instance, created)

    def forget(self, instance) -> None:
        self.pending.pop((type(instance), instance.pk), None)

    def record_pending(self) -> None:
        while self.pending:
            key = next(iter(self.pending))
            instance, created = self.pending.pop(key)
            record_revision(instance, created=created)

    @property
    def user_id(self):
        user = self.user
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return user.pk

    def reason_for(self, history_type: str) -> str:
        reason = (self.reason or "").strip()
        if reason:
            return reason
        if history_type == "+":
            return REASON_CREATED
        if history_type == "-":
            return REASON_DELETED
        raise ReasonRequired("A change to an existing record needs a reason.")


_current: contextvars.ContextVar[RevisionContext | None] = contextvars.ContextVar(
    "tracking_revision", default=None
)
_restoring: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "tracking_restoring", default=False
)


@contextmanager
def restoring():
    """Records and their history loaded together from a dump (``loaddata``): the dump
    carries every revision, so none is written and none is required."""
    token = _restoring.set(True)
    try:
        yield
    finally:
        _restoring.reset(token)


def is_restoring() -> bool:
    return _restoring.get()


def current_revision() -> RevisionContext | None:
    return _current.get()


def require_revision(instance) -> RevisionContext:
    context = _current.get()
    if context is None:
        raise RevisionRequired(instance)
    return context


@contextmanager
def revision(*, user=None, reason: str = "", reverting=None):
    """One revision, with ``user`` and ``reason``, for each record written in the block."""
    context = RevisionContext(user=user, reason=reason, reverting=reverting)
    token = _current.set(context)
    try:
        with transaction.atomic():
            yield context
            context.record_pending()
    finally:
        _current.reset(token)


# --- comparing a record with its latest revision ---------------------------------------


def latest_revision(instance):
    return (
        history_manager(type(instance))
        .filter(**{type(instance)._meta.pk.attname: instance.pk})
        .order_by("-history_date", "-history_id")
        .first()
    )


@functools.cache
def history_manager(model):
    """``model.history`` (the manager of all its revisions), built once: each access to
    ``model.history`` builds a manager class of its own (``Manager.from_queryset``,
    which inspects every method of the QuerySet: about a millisecond)."""
    return model.history


def history_model(model):
    return history_manager(model).model


@functools.cache
def _tracked(model) -> tuple[tuple, tuple, tuple]:
    fields = tuple(history_model(model).tracked_fields)
    foreign_keys = tuple(f for f in fields if isinstance(f, models.ForeignKey))
    return fields, foreign_keys, tuple(history_model(model)._history_m2m_fields)


def tracked_fields(model) -> list[models.Field]:
    return list(_tracked(model)[0])


def tracked_foreign_keys(model) -> list[models.ForeignKey]:
    """The tracked fields that are foreign keys (as the history table has them)."""
    return list(_tracked(model)[1])


def tracked_m2m_fields(model) -> list[models.ManyToManyField]:
    return list(_tracked(model)[2])


def historical_m2m_model(model, m2m_field):
    """The table holding ``m2m_field``'s values for each revision of ``model``."""
    return getattr(history_model(model), m2m_field.name).model


def _comparable(model_field: models.Field, value):
    try:
        return model_field.to_python(value)
    except ValidationError:
        return value


def current_m2m_ids(instance, m2m_field: models.ManyToManyField) -> set:
    through = m2m_field.remote_field.through
    return set(
        through._default_manager.filter(**{get_m2m_field_name(m2m_field): instance.pk}).values_list(
            get_m2m_reverse_field_name(m2m_field), flat=True
        )
    )


def recorded_m2m_ids(revision_row, m2m_field: models.ManyToManyField) -> set:
    return set(
        getattr(revision_row, m2m_field.name).values_list(
            get_m2m_reverse_field_name(m2m_field), flat=True
        )
    )


def differs_from(instance, row) -> bool:
    """True when ``instance`` (as saved now) differs from revision ``row``."""
    if row is None or row.history_type == "-":
        return True
    model = type(instance)
    for model_field in tracked_fields(model):
        old = _comparable(model_field, getattr(row, model_field.attname))
        new = _comparable(model_field, getattr(instance, model_field.attname))
        if old != new:
            return True
    return any(
        current_m2m_ids(instance, m2m_field) != recorded_m2m_ids(row, m2m_field)
        for m2m_field in tracked_m2m_fields(model)
    )


def has_unrecorded_changes(instance) -> bool:
    return differs_from(instance, latest_revision(instance))


def record_revision(instance, *, created: bool = False) -> bool:
    """Write one revision of ``instance`` unless nothing tracked changed since the last;
    returns whether one was written. Needs an active ``revision()``."""
    context = require_revision(instance)
    # A record inserted in this block has no earlier revision worth reading (a reused id's
    # deletion row would make no difference): one query less per imported row.
    previous = None if created else latest_revision(instance)
    if not created and previous is not None and not differs_from(instance, previous):
        return False
    history_type = "+" if created or previous is None else "~"
    RECORDERS[type(instance)].write(instance, history_type, context, previous)
    return True


# Each tracked model's ``TrackedHistoricalRecords`` (simple-history drops it once the
# signals are wired); it knows how to write that model's revision rows.
RECORDERS: dict = {}


def register_recorder(model, recorder) -> None:
    RECORDERS[model] = recorder


# --- what a revision is for the public -----------------------------------------------


def parents_visible(model, values, known: dict | None = None) -> bool:
    """Whether the public parents named by ``values`` (a record or a revision row) are
    public now. ``known`` ({(parent model, id): public?}) keeps the answers between calls,
    so a record and its previous revision, which mostly name the same parents, ask once."""
    known = {} if known is None else known
    for foreign_key, optional in model.tracking.parents:
        parent_id = getattr(values, foreign_key.attname)
        if parent_id is None:
            if optional:
                continue
            return False
        parent = foreign_key.related_model
        key = (parent, parent_id)
        if key not in known:
            known[key] = parent._default_manager.all().published().filter(pk=parent_id).exists()
        if not known[key]:
            return False
    return True


def own_visible(model, values) -> bool:
    if getattr(values, "history_type", None) == "-":
        return False
    return not model.tracking.publishable or values.state == PublicationState.PUBLISHED


def public_kind(instance, history_type: str, previous, *, reverting: bool) -> str:
    """What this revision is to readers, decided as it is written (see ``PublicKind``).

    Visible after the write: the record's own state and its parents as they are now.
    Visible before: its previous revision's state and *that* revision's parents, as they
    are now (they are what the record pointed to until this write)."""
    model = type(instance)
    known: dict = {}
    now = (
        history_type != "-"
        and own_visible(model, instance)
        and parents_visible(model, instance, known)
    )
    before = (
        previous is not None
        and own_visible(model, previous)
        and parents_visible(model, previous, known)
    )
    if now and before:
        return PublicKind.REVERTED if reverting else PublicKind.CHANGED
    if now:
        return PublicKind.CREATED if history_type == "+" else PublicKind.PUBLISHED
    if before:
        return PublicKind.DELETED if history_type == "-" else PublicKind.WITHDRAWN
    return PublicKind.PRIVATE
