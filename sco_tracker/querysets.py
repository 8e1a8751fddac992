"""Read logic shared by the public pages, exports and admin of every editorial model.

Every method here works in two tenses: on a model's own table (now), and on a snapshot of
its history table (``sco_tracker.timetravel``, for ``?as_of=``), where ``as_of`` is set.
Relations go through ``relation_q`` so the snapshot can follow them into history too.
"""

import re

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

# A search is a few words; anything longer is refused with a message, not run.
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 12
SEARCH_CONFIGS = ("russian", "english")
PUBLISHED = "published"


def search_vector(fields) -> SearchVector:
    """The document PostgreSQL indexes and matches: the fields stemmed as Russian and as
    English. Migrations build each model's GIN index from this same expression."""
    vectors = [SearchVector(*fields, config=config) for config in SEARCH_CONFIGS]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def search_words(text: str) -> list[str]:
    return text.split()[:MAX_SEARCH_WORDS]


def meaningful_words(words: list[str]) -> list[str]:
    """Drop stop words ("и", "the"), which PostgreSQL leaves out of the index and would
    otherwise empty every search they appear in."""
    if connection.vendor != "postgresql" or not words:
        return words
    checks = " UNION ALL ".join(
        "SELECT least(numnode(plainto_tsquery('russian', %s)), "
        "numnode(plainto_tsquery('english', %s)))"
        for _ in words
    )
    with connection.cursor() as cursor:
        cursor.execute(checks, [word for word in words for _ in range(2)])
        counts = [row[0] for row in cursor.fetchall()]
    return [word for word, count in zip(words, counts, strict=True) if count]


class TrackedQuerySet(models.QuerySet):
    """``published()``, revision counts, relations and search, for every editorial model.

    Subclasses say whether the model has a publication state (``publishable``), which
    parents must be published too (``public_parents``: ``(foreign key, may be empty)``),
    which of their own text columns are searched (``search_fields``, covered by a GIN
    index on PostgreSQL) and which related records' search also counts
    (``search_related``: ``(lookup, "app_label.Model")``).

    Search contract, on both databases: every word of the query must match the record or
    one of those related records. PostgreSQL matches stemmed words (Russian and English)
    through the index; SQLite matches substrings, case-insensitively in any script.
    """

    publishable = False
    public_parents: tuple[tuple[str, bool], ...] = ()
    search_fields: tuple[str, ...] = ()
    search_related: tuple[tuple[str, str], ...] = ()

    @property
    def as_of(self):
        """The moment a snapshot shows; ``None`` for the present."""
        return getattr(self, "_as_of", None)

    @property
    def record_model(self):
        """The editorial model (also for a snapshot, whose rows are historical)."""
        return getattr(self.model, "instance_type", self.model)

    def at_same_time(self, model):
        """``model``'s records as of the same moment as these."""
        if self.as_of is None:
            return model._default_manager.all()
        from .timetravel import snapshot

        return snapshot(model, self.as_of)

    # --- visibility ---------------------------------------------------------------------

    def published(self):
        """What readers may see: published records whose parents are published too (for
        records without a state of their own, like delegations: their parents)."""
        queryset = self.filter(state=PUBLISHED) if self.publishable else self
        for foreign_key, optional in self.public_parents:
            parent = self.record_model._meta.get_field(foreign_key).related_model
            visible = Q(
                **{f"{foreign_key}_id__in": self.at_same_time(parent).published().values("id")}
            )
            if optional:
                visible |= Q(**{f"{foreign_key}__isnull": True})
            queryset = queryset.filter(visible)
        return queryset

    def parents_published(self, pk) -> bool:
        """Whether the parents of record ``pk`` (as last recorded, even if it was deleted
        since) are public now, so that its history may be shown."""
        if not self.public_parents:
            return True
        model = self.record_model
        latest = (
            model.history.filter(id=pk)
            .order_by("-history_date", "-history_id")
            .values(*[f"{foreign_key}_id" for foreign_key, _ in self.public_parents])
            .first()
        )
        if latest is None:
            return False
        for foreign_key, optional in self.public_parents:
            parent_id = latest[f"{foreign_key}_id"]
            if parent_id is None and optional:
                continue
            parent = model._meta.get_field(foreign_key).related_model
            if not parent.objects.published().filter(pk=parent_id).exists():
                return False
        return True

    def with_revision_info(self):
        """``revision_count`` and ``last_revised``, from the public revisions (up to the
        snapshot's moment)."""
        from .revisions import public_revisions

        model = self.record_model
        history = public_revisions(model, model.history.filter(id=OuterRef("id")), annotate=False)
        if self.as_of is not None:
            history = history.filter(history_date__lte=self.as_of)
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

    # --- search -------------------------------------------------------------------------

    def search(self, text: str):
        words = meaningful_words(search_words(text or ""))
        queryset = self
        for word in words:
            queryset = queryset.filter(self.word_match(word))
        return queryset

    def word_match(self, word: str) -> Q:
        match = Q(pk__in=self.own_matches(word))
        for lookup, label in self.search_related:
            related = self.at_same_time(apps.get_model(label))
            match |= self.relation_q(
                lookup, related.filter(pk__in=related.own_matches(word)).values("id")
            )
        return match

    def own_matches(self, word: str):
        """Primary keys of rows whose own text columns match ``word``."""
        base = self.model._default_manager.all()
        if not self.search_fields:
            return base.none().values("pk")
        if connection.vendor == "postgresql":
            query = None
            for config in SEARCH_CONFIGS:
                part = SearchQuery(word, config=config, search_type="plain")
                query = part if query is None else query | part
            return (
                base.annotate(search_document=search_vector(self.search_fields))
                .filter(search_document=query)
                .values("pk")
            )
        pattern = re.escape(word)
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__iregex": pattern})
        return base.filter(condition).values("pk")
