"""Revisions in human terms, for the public history pages and the changes feed.

A page of revisions is described with a fixed number of queries however long the history:
related records' names and many-to-many sets are loaded for the whole page at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_reverse_field_name

from .history import (
    PublicationState,
    PublishableModel,
    display_value,
    tracked_fields,
    tracked_m2m_fields,
)
from .timetravel import as_instance

# Bookkeeping that readers need not see in a diff.
HIDDEN_FIELDS = {"id", "measure_kind"}

KIND_LABELS = {
    "created": _("created"),
    "changed": _("changed"),
    "deleted": _("deleted"),
    "reverted": _("reverted"),
    "published": _("published"),
    "withdrawn": _("withdrawn"),
}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Revision:
    record: models.Model  # the historical row
    kind: str
    changes: list[Change] = field(default_factory=list)
    show_editor_names: bool = False

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def date(self):
        return self.record.history_date

    @property
    def reason(self) -> str:
        return self.record.history_change_reason or ""

    @property
    def editor(self) -> str:
        """Editors are named to staff only; the public sees “editor”."""
        user = self.record.history_user
        if user is None:
            return (
                gettext("seed data") if self.reason.startswith("Seed data") else gettext("system")
            )
        return user.get_username() if self.show_editor_names else gettext("editor")

    @property
    def reverted_note(self) -> str:
        if not self.record.reverted_to_date:
            return ""
        when = formats.date_format(
            timezone.localtime(self.record.reverted_to_date), "DATETIME_FORMAT"
        )
        return gettext("Reverted to the revision of %(date)s") % {"date": when}


def public_revisions(model, history=None, *, annotate=True):
    """The revisions readers may see: for a publishable model, those in which the record was
    published, and the withdrawal that took it down; never a draft or one under review.

    With ``annotate``, each row carries ``previous_state`` (to tell a publication or a
    withdrawal from an edit); counting needs only the filter."""
    history = model.history.all() if history is None else history
    if not issubclass(model, PublishableModel):
        return history
    previous_state = Subquery(
        model.history.filter(
            **{model._meta.pk.attname: OuterRef(model._meta.pk.attname)},
            history_date__lt=OuterRef("history_date"),
        )
        .order_by("-history_date", "-history_id")
        .values("state")[:1]
    )
    history = (
        history.annotate(previous_state=previous_state)
        if annotate
        else history.alias(previous_state=previous_state)
    )
    return history.filter(
        Q(state=PublicationState.PUBLISHED)
        | Q(state=PublicationState.WITHDRAWN, previous_state=PublicationState.PUBLISHED)
    )


def revision_kind(record) -> str:
    if record.history_type == "+":
        return "created"
    if record.history_type == "-":
        return "deleted"
    if record.reverted_to_history_id is not None:
        return "reverted"
    state = getattr(record, "state", None)
    previous = getattr(record, "previous_state", None)
    if state == PublicationState.WITHDRAWN and previous == PublicationState.PUBLISHED:
        return "withdrawn"
    if state == PublicationState.PUBLISHED and previous not in (None, PublicationState.PUBLISHED):
        return "published"
    return "changed"


class RelatedNames:
    """Names of the records a page of revisions points to, loaded in one query per model.

    Records deleted since are named from their own history."""

    def __init__(self, model, records):
        self.names: dict[tuple[type, object], str] = {}
        wanted: dict[type, set] = {}
        for f in tracked_fields(model):
            if isinstance(f, models.ForeignKey):
                ids = {getattr(r, f.attname) for r in records} - {None}
                wanted.setdefault(f.related_model, set()).update(ids)
        self.m2m: dict[str, dict[int, list]] = {}
        for f in tracked_m2m_fields(model):
            history_through = model._revision_recorder.m2m_models[f]
            target = get_m2m_reverse_field_name(f)
            rows = history_through._default_manager.filter(
                history_id__in=[r.history_id for r in records]
            ).values_list("history_id", f"{target}_id")
            by_revision: dict[int, list] = {}
            for history_id, target_id in rows:
                by_revision.setdefault(history_id, []).append(target_id)
                wanted.setdefault(f.related_model, set()).add(target_id)
            self.m2m[f.name] = by_revision
        for related_model, ids in wanted.items():
            if not ids:
                continue
            found = {obj.pk: str(obj) for obj in related_model._default_manager.filter(pk__in=ids)}
            missing = ids - set(found)
            if missing and hasattr(related_model, "history"):
                key = related_model._meta.pk.attname
                for row in related_model.history.filter(**{f"{key}__in": missing}).order_by(
                    "history_date"
                ):
                    found[getattr(row, key)] = str(as_instance(row))
            for pk, name in found.items():
                self.names[(related_model, pk)] = name

    def name(self, related_model, pk) -> str:
        if pk is None:
            return "—"
        return self.names.get((related_model, pk), f"#{pk}")

    def m2m_names(self, field, record) -> str:
        ids = self.m2m.get(field.name, {}).get(record.history_id, [])
        return ", ".join(sorted(self.name(field.related_model, pk) for pk in ids)) or "—"


def field_change(field, old_record, new_record, names: RelatedNames) -> Change | None:
    old = getattr(old_record, field.attname)
    new = getattr(new_record, field.attname)
    if old == new:
        return None
    if isinstance(field, models.ForeignKey):
        old_text = names.name(field.related_model, old)
        new_text = names.name(field.related_model, new)
    else:
        old_text, new_text = display_value(field, old), display_value(field, new)
    return Change(str(capfirst(field.verbose_name)), old_text, new_text)


def describe_changes(model, old_record, new_record, names: RelatedNames) -> list[Change]:
    hook = getattr(model, "describe_revision_changes", None)
    grouped: set[str] = set()
    changes: list[Change] = []
    if hook is not None:
        extra, grouped = hook(old_record, new_record)
        changes.extend(extra)
    for f in tracked_fields(model):
        if f.name in HIDDEN_FIELDS or f.name in grouped:
            continue
        change = field_change(f, old_record, new_record, names)
        if change:
            changes.append(change)
    for f in tracked_m2m_fields(model):
        old_text = names.m2m_names(f, old_record)
        new_text = names.m2m_names(f, new_record)
        if old_text != new_text:
            changes.append(Change(str(capfirst(f.verbose_name)), old_text, new_text))
    return changes


def describe_revisions(
    model, records: list, older=None, *, show_editor_names: bool = False
) -> list[Revision]:
    """``records`` newest first; ``older`` is the revision just before the last of them,
    so the last one can be diffed too."""
    chain = [*records, *([older] if older is not None else [])]
    names = RelatedNames(model, chain)
    revisions = []
    for index, record in enumerate(records):
        previous = chain[index + 1] if index + 1 < len(chain) else None
        kind = revision_kind(record)
        changes = []
        if previous is not None and kind != "deleted":
            changes = describe_changes(model, previous, record, names)
        revisions.append(
            Revision(record=record, kind=kind, changes=changes, show_editor_names=show_editor_names)
        )
    return revisions


def side_by_side(model, first, second) -> list[dict]:
    """Every field of two revisions of one record, in human terms, marked where they
    differ — for the admin's comparison view."""
    names = RelatedNames(model, [first, second])
    rows = []
    for model_field in tracked_fields(model):
        if model_field.name in HIDDEN_FIELDS:
            continue
        values = []
        for record in (first, second):
            value = getattr(record, model_field.attname)
            if isinstance(model_field, models.ForeignKey):
                values.append(names.name(model_field.related_model, value))
            else:
                values.append(display_value(model_field, value))
        rows.append(
            {
                "label": capfirst(model_field.verbose_name),
                "first": values[0],
                "second": values[1],
                "differs": values[0] != values[1],
            }
        )
    for m2m in tracked_m2m_fields(model):
        first_names, second_names = names.m2m_names(m2m, first), names.m2m_names(m2m, second)
        rows.append(
            {
                "label": capfirst(m2m.verbose_name),
                "first": first_names,
                "second": second_names,
                "differs": first_names != second_names,
            }
        )
    return rows
