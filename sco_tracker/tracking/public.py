"""The one definition of "public", shared by every page, export, feed, history and chart.

``Model.objects.published()`` is what readers may see now; ``published(as_of=moment)``
what they could see then (a snapshot, ``timetravel.py``). A record is public when its own
state is published (for models with a state) and each of its public parents is public —
at the same moment. ``get_published_or_404`` is the detail pages' lookup.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from .recording import history_manager
from .search import SearchQuerySetMixin
from .states import PublicationState
from .timetravel import materialize, snapshot


class TrackedQuerySet(SearchQuerySetMixin, models.QuerySet):
    """Read logic of every tracked model, in two tenses: on the model's own table (now) and
    on a snapshot of its history (``moment`` set, for ``?as_of=``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.moment = None
        self.related_names: tuple[str, ...] = ()
        self.public_only = False
        # ``published(as_of=…)`` as it came, not narrowed yet (``shared_snapshots``).
        self.whole_snapshot = False

    def _clone(self):
        clone = super()._clone()
        clone.moment = self.moment
        clone.related_names = self.related_names
        clone.public_only = self.public_only
        return clone

    @property
    def record_model(self):
        """The tracked model (also for a snapshot, whose rows are historical)."""
        return getattr(self.model, "instance_type", self.model)

    def at_moment(self, moment):
        clone = self._clone()
        clone.moment = moment
        return clone

    def at_same_time(self, model):
        """``model``'s records as of the same moment as these."""
        if self.moment is None:
            return model._default_manager.all()
        return snapshot(model, self.moment)

    # --- visibility ---------------------------------------------------------------------

    def published(self, as_of=None):
        """What readers may see, now or at ``as_of``: published records (for models with
        a state) whose public parents are public at the same moment.

        ``as_of`` starts a snapshot, so it is given on the model's unfiltered manager:
        ``Figure.objects.published(as_of=moment)``."""
        if as_of is not None and self.moment is None:
            if self.query.where or self.query.annotations:
                raise ValueError("published(as_of=…) starts from the model's manager")
            queryset = snapshot(self.record_model, as_of).with_related(*self.related_names)
            queryset = queryset.published()
            queryset.whole_snapshot = not self.related_names
            return queryset
        options = self.record_model.tracking
        queryset = self.filter(state=PublicationState.PUBLISHED) if options.publishable else self
        for foreign_key, optional in options.parents:
            parents = self.at_same_time(foreign_key.related_model).published().values("id")
            visible = Q(**{f"{foreign_key.attname}__in": parents})
            if optional:
                visible |= Q(**{f"{foreign_key.attname}__isnull": True})
            queryset = queryset.filter(visible)
        queryset = queryset._clone()
        queryset.public_only = True
        return queryset

    def with_related(self, *names):
        """Load these foreign keys (``"meeting__host_country"`` follows two) with the
        records, as they were public at the same moment (see ``instances()``)."""
        clone = self if self.moment is not None else self.select_related(*names)
        clone = clone._clone()
        clone.related_names = (*self.related_names, *names)
        return clone

    def instances(self) -> list:
        """The records as model instances, related records attached (a snapshot's history
        rows become instances of their model)."""
        return materialize(self, moment=self.moment, related=self.related_names)

    def with_revision_info(self):
        """``revision_count`` and ``last_revised`` from the public revisions (up to the
        snapshot's moment)."""
        model = self.record_model
        history = history_manager(model).filter(id=OuterRef("id")).public()
        if self.moment is not None:
            history = history.filter(history_date__lte=self.moment)
        count = history.order_by().values("id").annotate(n=Count("*")).values("n")[:1]
        latest = history.order_by("-history_date", "-history_id").values("history_date")[:1]
        return self.annotate(
            revision_count=Coalesce(Subquery(count), Value(0)),
            last_revised=Subquery(latest),
        )

    # --- relations ----------------------------------------------------------------------

    def relation_q(self, lookup: str, target_ids) -> Q:
        """Records related through ``lookup`` (a foreign key, a many-to-many field or a
        reverse relation, optionally followed by a foreign key: ``delegations__country``)
        to one of ``target_ids``. A subquery on the key, not a join: each record once."""
        base = self.model._default_manager.all()
        return Q(pk__in=base.filter(**{f"{lookup}__in": target_ids}).values("pk"))

    def related_to(self, lookup: str, target_ids):
        return self.filter(self.relation_q(lookup, target_ids))


def attach_revision_info(objects, moment=None) -> None:
    """``revision_count`` and ``last_revised`` (from the public revisions, up to ``moment``)
    for a page of records, in one query over their ids — rather than a correlated
    subquery evaluated for every row a list sorts or skips."""
    if not objects:
        return
    model = type(objects[0])
    history = history_manager(model).public().filter(id__in=[obj.pk for obj in objects])
    if moment is not None:
        history = history.filter(history_date__lte=moment)
    info = {
        row["id"]: row
        for row in history.order_by().values("id").annotate(n=Count("*"), last=Max("history_date"))
    }
    for obj in objects:
        row = info.get(obj.pk)
        obj.revision_count = row["n"] if row else 0
        obj.last_revised = row["last"] if row else None


def get_published_or_404(queryset, **lookup):
    """The one record of ``queryset`` (a ``published()`` one) matching ``lookup``, as an
    instance with its related records; 404 when it is missing or not public, alike."""
    if not queryset.public_only:
        raise ValueError("get_published_or_404() takes a published() queryset")
    found = queryset.filter(**lookup)[:1].instances()
    if not found:
        raise Http404
    return found[0]
