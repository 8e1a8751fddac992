"""``?as_of=``: the public site as it stood at a moment in the past.

A snapshot of a model is, for each record, its latest revision at that moment (skipping
records deleted by then), computed in the database from the history table. Snapshot
querysets are the model's own QuerySet class mixed with ``SnapshotQuerySetMixin`` (built
for every tracked model by ``TrackedHistoricalRecords``), so filters, search and
``published()`` read the same in both tenses; relations are followed through the
historical many-to-many tables and the snapshots of related models.
"""

import datetime
import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalChanges
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

ANNOTATIONS = ("revision_count", "last_revised", "normalised", "figure_count")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?"
)


def snapshot(model, when):
    """``model``'s records as they stood at ``when`` (history rows, one per record)."""
    queryset = (
        model.history.filter(history_date__lte=when).latest_of_each().exclude(history_type="-")
    )
    queryset._as_of = when
    return queryset


class SnapshotQuerySetMixin:
    """What differs when the rows are revisions: relations live in history too."""

    def relation_q(self, lookup: str, target_ids) -> Q:
        model = self.record_model
        first, _, rest = lookup.partition("__")
        field = model._meta.get_field(first)
        if field.many_to_many and not field.auto_created:
            # Tracked many-to-many: the values stored with each revision.
            through = model._revision_recorder.m2m_models[field]
            target = get_m2m_reverse_field_name(field)
            rows = through._default_manager.filter(**{f"{target}_id__in": target_ids})
            return Q(history_id__in=rows.values("history_id"))
        if field.auto_created and not field.concrete:
            # Reverse foreign key (a meeting's delegations): the children as they stood.
            children = snapshot(field.related_model, self.as_of)
            if rest:
                children = children.filter(**{f"{rest}__in": target_ids})
            else:
                children = children.filter(id__in=target_ids)
            return Q(id__in=children.values(f"{field.field.name}_id"))
        return Q(**{f"{lookup}__in": target_ids})


def snapshot_queryset_class(model):
    """The QuerySet class of ``model``'s history rows: snapshot-aware model methods."""
    from simple_history.manager import HistoricalQuerySet

    model_queryset = model._default_manager._queryset_class
    return type(
        f"Historical{model.__name__}QuerySet",
        (SnapshotQuerySetMixin, model_queryset, HistoricalQuerySet),
        {},
    )


def as_instance(row):
    """The model instance a history row describes, without simple-history's extra query
    for fields kept out of the history (``version``)."""
    model = row.instance_type
    instance = model(
        **{
            f.attname: getattr(row, f.attname)
            for f in model._revision_recorder.fields_included(model)
        }
    )
    instance._state.adding = False
    instance._history = row
    return instance


def materialize(rows):
    """Model instances for a page of rows; history rows become instances of their model,
    keeping the related objects loaded with them and the annotations."""
    objects = []
    for row in rows:
        if not isinstance(row, HistoricalChanges):
            objects.append(row)
            continue
        instance = as_instance(row)
        instance._state.fields_cache.update(row._state.fields_cache)
        for name in ANNOTATIONS:
            if hasattr(row, name):
                setattr(instance, name, getattr(row, name))
        objects.append(instance)
    return objects


def history_row(instance):
    return getattr(instance, "_history", None)


def m2m_lists(objects, field_name: str, as_of, *, order_by=()) -> dict:
    """{record pk: [related objects]} for a many-to-many field, as of ``as_of``."""
    if not objects:
        return {}
    model = type(objects[0])
    field = model._meta.get_field(field_name)
    target = get_m2m_reverse_field_name(field)
    result = {obj.pk: [] for obj in objects}
    if as_of is None:
        source = get_m2m_field_name(field)
        rows = field.remote_field.through._default_manager.filter(
            **{f"{source}_id__in": list(result)}
        )
        key = f"{source}_id"
    else:
        through = model._revision_recorder.m2m_models[field]
        by_revision = {history_row(obj).history_id: obj.pk for obj in objects}
        rows = through._default_manager.filter(history_id__in=list(by_revision))
        key = None
    for row in rows.select_related(target).order_by(*[f"{target}__{o}" for o in order_by]):
        owner = getattr(row, key) if key else by_revision[row.history_id]
        result[owner].append(getattr(row, target))
    return result


def children_lists(objects, child_model, foreign_key: str, as_of, *, select=(), order_by=()):
    """{record pk: [child records]} for a reverse foreign key, as of ``as_of``."""
    if not objects:
        return {}
    result = {obj.pk: [] for obj in objects}
    if as_of is None:
        rows = child_model._default_manager.filter(**{f"{foreign_key}_id__in": list(result)})
    else:
        rows = snapshot(child_model, as_of).filter(**{f"{foreign_key}_id__in": list(result)})
    rows = rows.select_related(*select)
    if order_by:
        rows = rows.order_by(*order_by)
    for child in materialize(rows):
        result[getattr(child, f"{foreign_key}_id")].append(child)
    return result


class AsOfField(forms.Field):
    """A date (the end of that day, UTC) or a full ISO 8601 timestamp."""

    default_error_messages = {
        "invalid": _(
            "Give a date as YYYY-MM-DD or a moment as an ISO 8601 timestamp "
            "(2025-11-20T14:30:00+03:00)."
        ),
    }

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        # An unencoded "+03:00" in a URL arrives as " 03:00".
        value = re.sub(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$", r"\1+\2", value)
        try:
            if DATE.fullmatch(value):
                moment = datetime.datetime.combine(parse_date(value), datetime.time.max)
            elif TIMESTAMP.fullmatch(value):
                moment = parse_datetime(value)
            else:
                raise ValueError(value)
        except (ValueError, OverflowError, TypeError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        return moment
