"""Revisions in human terms: what changed, from what to what, for history pages, the
admin, ``/changes/`` and its feed.

A page of revisions is described with a fixed number of queries however long the
history: related records' names and many-to-many sets are loaded for the whole page at
once. On public pages a related record that is not public is never named.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_reverse_field_name

from .recording import (
    historical_m2m_model,
    tracked_fields,
    tracked_foreign_keys,
    tracked_m2m_fields,
)
from .states import PublicationState, PublicKind
from .timetravel import as_instance

KIND_LABELS = {kind.value: kind.label for kind in PublicKind if kind.value}
NOT_PUBLIC = _("a record not yet public")


def format_decimal(value: Decimal) -> str:
    """67.000000 → "67", 27.500000 → "27.5": the number without storage padding, as
    machines read it (exports)."""
    return format(value.normalize(), "f")


def format_number(value) -> str:
    """A number as readers of the active language write it, without storage padding:
    27.500000 → "27.5" in English, "27,5" in Russian; thousands grouped ("67 000 000 000"
    with non-breaking spaces in Russian)."""
    if isinstance(value, Decimal):
        value = Decimal(format_decimal(value))
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def display_value(model_field: models.Field, value) -> str:
    """A revision's value in human terms: choice labels, plain decimals, ISO dates, “—”
    for empty."""
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# Texts longer than this are compared word by word rather than printed whole, twice.
LONG_TEXT = 80
TOKENS = re.compile(r"(\s+)")


@dataclass
class Change:
    label: str
    old: str
    new: str

    @cached_property
    def words(self) -> list[tuple[str, str]]:
        """For long texts, the new text with deletions and insertions marked: a list of
        ("same" | "del" | "ins", text); empty for short values (shown old → new)."""
        if max(len(self.old), len(self.new)) <= LONG_TEXT:
            return []
        old, new = TOKENS.split(self.old), TOKENS.split(self.new)
        segments: list[tuple[str, str]] = []
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                segments.append(("same", "".join(old[a1:a2])))
                continue
            if a2 > a1:
                segments.append(("del", "".join(old[a1:a2])))
            if b2 > b1:
                segments.append(("ins", "".join(new[b1:b2])))
        return segments


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


def editorial_kind(record, previous=None) -> str:
    """What a revision was to editors (the admin history): every revision, private ones
    included, by its type, revert marker and change of state since ``previous``."""
    if record.history_type == "+":
        return PublicKind.CREATED
    if record.history_type == "-":
        return PublicKind.DELETED
    if record.reverted_to_history_id is not None:
        return PublicKind.REVERTED
    state = getattr(record, "state", None)
    before = getattr(previous, "state", None)
    if state == PublicationState.WITHDRAWN and before != PublicationState.WITHDRAWN:
        return PublicKind.WITHDRAWN
    if state == PublicationState.PUBLISHED and before not in (None, PublicationState.PUBLISHED):
        return PublicKind.PUBLISHED
    return PublicKind.CHANGED


class RelatedNames:
    """Names of the records a page of revisions points to, loaded in one query per model.

    ``public``: name only records public now (or, if deleted since, public when last
    recorded); any other reads as “a record not yet public”."""

    def __init__(self, model, records, *, public: bool):
        self.public = public
        self.names: dict[tuple[type, object], str] = {}
        # The live records read on the way ({(model, pk): record}), public or not.
        self.records: dict[tuple[type, object], models.Model] = {}
        wanted: dict[type, set] = {}
        for f in tracked_foreign_keys(model):
            ids = {getattr(r, f.attname) for r in records} - {None}
            wanted.setdefault(f.related_model, set()).update(ids)
        self.m2m: dict[str, dict[int, list]] = {}
        for f in tracked_m2m_fields(model):
            target = get_m2m_reverse_field_name(f)
            rows = (
                historical_m2m_model(model, f)
                ._default_manager.filter(history_id__in=[r.history_id for r in records])
                .values_list("history_id", f"{target}_id")
            )
            by_revision: dict[int, list] = {}
            for history_id, target_id in rows:
                by_revision.setdefault(history_id, []).append(target_id)
                wanted.setdefault(f.related_model, set()).add(target_id)
            self.m2m[f.name] = by_revision
        for related_model, ids in wanted.items():
            if ids:
                self.load(related_model, ids)

    def load(self, related_model, ids) -> None:
        """One query for the live records (each marked public now or not, where that is
        in question); one more only for records deleted since."""
        records = related_model._default_manager.filter(pk__in=ids).order_by()
        options = getattr(related_model, "tracking", None)
        check = self.public and options is not None and (options.publishable or options.parents)
        if check:
            public = related_model._default_manager.all().published().filter(pk=OuterRef("pk"))
            records = records.annotate(public_now=Exists(public.order_by()))
        found, read = {}, set()
        for obj in records:
            read.add(obj.pk)
            self.records[(related_model, obj.pk)] = obj
            if not check or obj.public_now:
                found[obj.pk] = str(obj)
        gone = ids - read
        if gone and hasattr(related_model, "history"):
            history = related_model.history.filter(id__in=gone)
            if self.public:
                history = history.public()
            for row in history.order_by("history_date", "history_id"):
                found[row.id] = str(as_instance(row))
        for pk, name in found.items():
            self.names[(related_model, pk)] = name

    def attach(self, instance) -> None:
        """Give ``instance`` (the record whose revisions these are) the related records
        already read, so that naming it reads none of them again."""
        model = type(instance)
        for f in tracked_foreign_keys(model):
            field = model._meta.get_field(f.name)
            obj = self.records.get((f.related_model, getattr(instance, f.attname)))
            if obj is not None and not field.is_cached(instance):
                field.set_cached_value(instance, obj)

    def name(self, related_model, pk) -> str:
        if pk is None:
            return "—"
        fallback = str(NOT_PUBLIC) if self.public else f"#{pk}"
        return self.names.get((related_model, pk), fallback)

    def m2m_names(self, m2m_field, record) -> str:
        ids = self.m2m.get(m2m_field.name, {}).get(record.history_id, [])
        return ", ".join(sorted(self.name(m2m_field.related_model, pk) for pk in ids)) or "—"


def related_names(model, records: list, older=None, *, public: bool) -> RelatedNames:
    """The names ``describe_revisions`` reads for the same arguments."""
    return RelatedNames(model, [*records, *([older] if older is not None else [])], public=public)


def field_change(model_field, old_record, new_record, names: RelatedNames) -> Change | None:
    old = getattr(old_record, model_field.attname)
    new = getattr(new_record, model_field.attname)
    if old == new:
        return None
    if isinstance(model_field, models.ForeignKey):
        old_text = names.name(model_field.related_model, old)
        new_text = names.name(model_field.related_model, new)
    else:
        old_text, new_text = display_value(model_field, old), display_value(model_field, new)
    return Change(str(capfirst(model_field.verbose_name)), old_text, new_text)


def describe_changes(model, old_record, new_record, names: RelatedNames) -> list[Change]:
    """Field by field, many-to-many sets included; a model may group fields that read as
    one (``describe_revision_changes``: a figure's number with its unit)."""
    hook = getattr(model, "describe_revision_changes", None)
    grouped: set[str] = set()
    changes: list[Change] = []
    if hook is not None:
        extra, grouped = hook(old_record, new_record)
        changes.extend(extra)
    hidden = model.tracking.hidden_fields
    for f in tracked_fields(model):
        if f.name in hidden or f.name in grouped:
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
    model,
    records: list,
    older=None,
    *,
    public: bool,
    show_editor_names: bool = False,
    names: RelatedNames | None = None,
) -> list[Revision]:
    """``records`` newest first; ``older`` is the revision just before the last of them,
    so the last one can be diffed too. ``public``: the records are public revisions,
    described as readers see them (a withdrawal or deletion shows no field changes).
    ``names``: the related names, when the caller read them (``related_names``)."""
    chain = [*records, *([older] if older is not None else [])]
    if names is None:
        names = RelatedNames(model, chain, public=public)
    revisions = []
    for index, record in enumerate(records):
        previous = chain[index + 1] if index + 1 < len(chain) else None
        kind = record.public_kind if public else editorial_kind(record, previous)
        changes = []
        if previous is not None and kind not in (PublicKind.DELETED, PublicKind.WITHDRAWN):
            changes = describe_changes(model, previous, record, names)
        revisions.append(
            Revision(record=record, kind=kind, changes=changes, show_editor_names=show_editor_names)
        )
    return revisions


def side_by_side(model, first, second) -> list[dict]:
    """Every field of two revisions of one record, in human terms, marked where they
    differ — for the admin's comparison view."""
    names = RelatedNames(model, [first, second], public=False)
    rows = []
    for model_field in tracked_fields(model):
        if model_field.name in model.tracking.hidden_fields:
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
