"""Read logic shared by the public pages, exports and admin of every editorial model."""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

# A search is a few words; anything longer is refused with a message, not run.
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 12
SEARCH_CONFIGS = ("russian", "english")


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
    """``published()``, revision counts and search, for every editorial model.

    Subclasses name their own text columns in ``search_fields`` (covered by a GIN index on
    PostgreSQL) and related records whose search also counts in ``search_related``
    (``(lookup, "app_label.Model")``). Search contract, on both databases: every word of
    the query must match the record or one of those related records. PostgreSQL matches
    stemmed words (Russian and English) through the index; SQLite matches substrings,
    case-insensitively in any script.
    """

    search_fields: tuple[str, ...] = ()
    search_related: tuple[tuple[str, str], ...] = ()

    def published(self):
        """What readers may see. Until the editorial workflow exists, every record."""
        return self

    def with_revision_info(self):
        """Annotate ``revision_count`` and ``last_revised`` from the history table."""
        history = self.model.history.model._default_manager.filter(
            **{self.model._meta.pk.attname: OuterRef("pk")}
        ).order_by()
        count = history.values(self.model._meta.pk.attname).annotate(n=Count("*")).values("n")
        latest = history.order_by("-history_date").values("history_date")[:1]
        return self.annotate(
            revision_count=Coalesce(Subquery(count[:1]), Value(0)),
            last_revised=Subquery(latest),
        )

    # --- search -------------------------------------------------------------------------

    def search(self, text: str):
        words = meaningful_words(search_words(text or ""))
        queryset = self
        for word in words:
            queryset = queryset.filter(self.word_match(word))
        return queryset

    def word_match(self, word: str) -> Q:
        from django.apps import apps

        match = Q(pk__in=self.own_matches(word))
        base = self.model._default_manager.all()
        for lookup, label in self.search_related:
            related = apps.get_model(label)._default_manager.all().own_matches(word)
            # A subquery on the key, not a join: a record is listed once however many
            # of its related records match.
            match |= Q(pk__in=base.filter(**{f"{lookup}__in": related}).values("pk"))
        return match

    def own_matches(self, word: str):
        """Primary keys of records whose own text columns match ``word``."""
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
