"""``?as_of=``: the site as it stood at a moment in the past.

A snapshot of a model is, for each record, its latest revision at that moment (records
deleted by then left out), computed in the database from the history table. Snapshot
querysets are the model's own QuerySet class over its history rows, so filters, search
and ``published()`` read the same in both tenses. Records reached from a snapshot —
foreign keys, many-to-many sets, children — are read from their own snapshots at the
same moment, and only where they were public then.

``parse_as_of`` is the one place a moment is read from a request (``middleware.py``).
"""

from __future__ import annotations

import contextvars
import datetime
import re
from contextlib import contextmanager

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalChanges
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

from .recording import historical_m2m_model, history_manager

ANNOTATIONS = ("revision_count", "last_revised", "normalised", "figure_count")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?"
)
AS_OF_HELP = _(
    "Give a date as YYYY-MM-DD or a moment as an ISO 8601 timestamp (2025-11-20T14:30:00+03:00)."
)
EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)
LATEST = datetime.datetime.max.replace(tzinfo=datetime.UTC)
OFFSET = re.compile(r"(?:Z|([+-])(\d{2}):?(\d{2})?)$")


def parse_as_of(value: str) -> datetime.datetime | None:
    """A date (the end of that day, UTC) or a full ISO 8601 timestamp (``Z`` or an offset
    up to ±23:59), as a moment in UTC; None for an empty value. A moment beyond what a
    datetime can hold (``9999-12-31T23:59:59-05:00``) is clamped to the first or last
    representable one. Anything else raises ``ValidationError`` saying what is valid."""
    value = (value or "").strip()
    if not value:
        return None
    # An unencoded "+03:00" in a URL arrives as " 03:00".
    value = re.sub(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$", r"\1+\2", value)
    try:
        if DATE.fullmatch(value):
            local = datetime.datetime.combine(parse_date(value), datetime.time.max)
            offset = datetime.timedelta(0)
        elif TIMESTAMP.fullmatch(value):
            match = OFFSET.search(value)
            offset = datetime.timedelta(0)
            if match:
                value = value[: match.start()]
                if match.group(1):
                    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
                    if hours > 23 or minutes > 59:
                        raise ValueError(value)
                    offset = datetime.timedelta(hours=hours, minutes=minutes)
                    if match.group(1) == "-":
                        offset = -offset
            local = parse_datetime(value)
            if local is None:
                raise ValueError(value)
        else:
            raise ValueError(value)
    except (ValueError, OverflowError, TypeError) as error:
        raise forms.ValidationError(AS_OF_HELP, code="invalid") from error
    # local - offset = UTC, computed where a datetime can hold it.
    if offset > datetime.timedelta(0) and local - datetime.datetime.min < offset:
        return EARLIEST
    if offset < datetime.timedelta(0) and datetime.datetime.max - local < -offset:
        return LATEST
    return (local - offset).replace(tzinfo=datetime.UTC)


# --- snapshots ---------------------------------------------------------------------------


def snapshot(model, moment):
    """``model``'s records as they stood at ``moment`` (history rows, one per record)."""
    queryset = latest_revisions(model, moment).exclude(history_type="-").at_moment(moment)
    return queryset.order_by(*model._meta.ordering)


def latest_revisions(model, moment):
    """Each record's latest revision at ``moment`` (deletions included): the revision no
    later one of the same record follows by then — by date, then by revision id, so two
    revisions saved within one clock tick still give one row.

    An anti-join on the ``(id, history_date DESC, history_id DESC)`` index, which serves
    every shape of query a snapshot is part of: a whole list (PostgreSQL reads the
    revisions up to the moment, which lie together on disk as history only grows, and
    probes the index once for each) as well as a few records (a record's page, a page's
    related records: one probe each). ``DISTINCT ON (id)`` was tried on the benchmark's
    1,000,000 revisions: no faster for a whole list (both about half a second at
    2016-12-01), and as ``history_id IN (SELECT DISTINCT ON …)`` it cannot be narrowed to
    the records a query names, so a single record's page read the whole index (160 ms
    instead of 0.1)."""
    history = history_manager(model).filter(history_date__lte=moment)
    later = history.filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")),
        id=OuterRef("id"),
        history_date__gte=OuterRef("history_date"),
    )
    return history.filter(~Exists(later.order_by().values("pk")))


class HistoryQuerySetMixin:
    """What differs when the rows are revisions: public revisions, and relations that
    live in history too."""

    def public(self):
        """Revisions readers may see (``PublicKind``): none made while the record or a
        parent was not public, besides its publication and withdrawal."""
        return self.exclude(public_kind="")

    def newest_first(self):
        return self.order_by("-history_date", "-history_id")

    def relation_q(self, lookup: str, target_ids) -> Q:
        if self.moment is None:
            return Q(**{f"{lookup}__in": target_ids})
        model = self.record_model
        first, _, rest = lookup.partition("__")
        field = model._meta.get_field(first)
        if field.many_to_many and not field.auto_created:
            # Tracked many-to-many: the values stored with each revision.
            through = historical_m2m_model(model, field)
            target = get_m2m_reverse_field_name(field)
            rows = through._default_manager.filter(**{f"{target}_id__in": target_ids})
            return Q(history_id__in=rows.values("history_id"))
        if field.auto_created and not field.concrete:
            # Reverse foreign key (a meeting's delegations): the children as they stood.
            children = snapshot(field.related_model, self.moment)
            if rest:
                children = children.filter(**{f"{rest}__in": target_ids})
            else:
                children = children.filter(id__in=target_ids)
            return Q(id__in=children.values(f"{field.field.name}_id"))
        return Q(**{f"{lookup}__in": target_ids})


def history_queryset_class(model):
    """The QuerySet class of ``model``'s history rows: the model's own methods too."""
    model_queryset = model._default_manager._queryset_class
    return type(
        f"Historical{model.__name__}QuerySet",
        (HistoryQuerySetMixin, model_queryset, HistoricalQuerySet),
        {},
    )


# --- history rows as model instances, with their relations at the same moment -------------


def as_instance(row):
    """The model instance a history row describes (without simple-history's extra query
    for the fields kept out of the history)."""
    model = row.instance_type
    instance = model(**{f.attname: getattr(row, f.attname) for f in row.tracked_fields})
    instance._state.adding = False
    for field in row.tracked_fields:
        # Related records the row was loaded with (select_related) come along.
        if field.is_relation and field.is_cached(row):
            model._meta.get_field(field.name).set_cached_value(
                instance, field.get_cached_value(row)
            )
    instance.revision_shown = row
    return instance


def history_row(instance):
    """The history row a snapshot instance was made from (None for a live record)."""
    return getattr(instance, "revision_shown", None)


# A request's snapshots read once (``shared_snapshots``): {(model, moment): {pk: record}}.
_shared: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "tracking_shared_snapshots", default=None
)


@contextmanager
def shared_snapshots():
    """Within the block, the records of a model public at a moment, once read whole (a
    filter's menu: ``Model.objects.published(as_of=…)`` as it is), also serve as the
    related records of whatever else is shown at that moment, instead of being read again
    for each list of ids."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared_snapshot(model, moment) -> dict | None:
    shared = _shared.get()
    if shared is None or moment is None:
        return None
    return shared.get((model, moment))


def materialize(rows, *, moment=None, related=()) -> list:
    """Model instances for ``rows`` (records or history rows), with the foreign keys named
    in ``related`` (``"meeting__host_country"`` follows two) as they were public at
    ``moment`` (now when None); a related record not public then reads as empty."""
    objects = []
    shared = _shared.get()
    if shared is not None and getattr(rows, "whole_snapshot", False) and not related:
        objects = [as_instance(row) for row in rows]
        shared[(rows.record_model, rows.moment)] = {obj.pk: obj for obj in objects}
        return objects
    for row in rows:
        if not isinstance(row, HistoricalChanges):
            objects.append(row)
            continue
        instance = as_instance(row)
        for name in ANNOTATIONS:
            if hasattr(row, name):
                setattr(instance, name, getattr(row, name))
        objects.append(instance)
    attach_related(objects, related, moment)
    return objects


def attach_related(objects, related, moment) -> None:
    if not objects or not related:
        return
    model = type(objects[0])
    nested: dict[str, list[str]] = {}
    for name in related:
        first, _, rest = name.partition("__")
        nested.setdefault(first, [])
        if rest:
            nested[first].append(rest)
    parents = {foreign_key.name for foreign_key, _ in model.tracking.parents}
    for name, deeper in nested.items():
        field = model._meta.get_field(name)
        target = field.related_model
        live = moment is None and all(field.is_cached(obj) for obj in objects)
        options = getattr(target, "tracking", None)
        needs_check = options is not None and (options.publishable or options.parents)
        if live and not (needs_check and name not in parents):
            # select_related loaded them and they are public whenever the record is.
            found = [getattr(obj, name) for obj in objects]
            attach_related([obj for obj in found if obj is not None], deeper, moment)
            continue
        ids = {getattr(obj, field.attname) for obj in objects} - {None}
        known = shared_snapshot(target, moment)
        if known is not None:
            by_id = {pk: known[pk] for pk in ids if pk in known}
            attach_related(list(by_id.values()), deeper, moment)
        else:
            visible = target._default_manager.all().published(as_of=moment).filter(id__in=ids)
            found = materialize(visible, moment=moment, related=deeper)
            by_id = {obj.pk: obj for obj in found}
        for obj in objects:
            field.set_cached_value(obj, by_id.get(getattr(obj, field.attname)))


def m2m_lists(objects, field_name: str, moment, *, order_by=()) -> dict:
    """{record pk: [related records public at ``moment``]} for a many-to-many field."""
    if not objects:
        return {}
    model = type(objects[0])
    field = model._meta.get_field(field_name)
    target = get_m2m_reverse_field_name(field)
    result = {obj.pk: [] for obj in objects}
    if moment is None:
        source = get_m2m_field_name(field)
        rows = field.remote_field.through._default_manager.filter(
            **{f"{source}_id__in": list(result)}
        ).values_list(f"{source}_id", f"{target}_id")
        pairs = list(rows)
    else:
        through = historical_m2m_model(model, field)
        by_revision = {history_row(obj).history_id: obj.pk for obj in objects}
        rows = through._default_manager.filter(history_id__in=list(by_revision))
        pairs = [(by_revision[h], t) for h, t in rows.values_list("history_id", f"{target}_id")]
    targets = field.related_model._default_manager.all().published(as_of=moment)
    targets = targets.filter(id__in={t for _, t in pairs})
    if order_by:
        targets = targets.order_by(*order_by)
    found = materialize(targets, moment=moment)
    position = {obj.pk: index for index, obj in enumerate(found)}
    by_id = {obj.pk: obj for obj in found}
    for owner, target_id in sorted(pairs, key=lambda pair: position.get(pair[1], 0)):
        if target_id in by_id:
            result[owner].append(by_id[target_id])
    return result


def children_lists(
    objects, child_model, foreign_key: str, moment, *, related=(), order_by=()
) -> dict:
    """{record pk: [child records public at ``moment``]} for a reverse foreign key."""
    if not objects:
        return {}
    result = {obj.pk: [] for obj in objects}
    rows = (
        child_model._default_manager.all()
        .published(as_of=moment)
        .filter(**{f"{foreign_key}_id__in": list(result)})
        .with_related(*related)
    )
    if order_by:
        rows = rows.order_by(*order_by)
    for child in rows.instances():
        result[getattr(child, f"{foreign_key}_id")].append(child)
    return result
