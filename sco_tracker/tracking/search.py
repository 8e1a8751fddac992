"""Search, on both databases, over a record's own text and its related records' text.

Contract: every word of the query must match the record or one of the related records
its model names in ``Tracking.search_related``. PostgreSQL matches stemmed words (Russian
and English) through GIN indexes built from ``search_vector``; SQLite matches substrings,
case-insensitively in any script.
"""

import re

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q

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


class SearchQuerySetMixin:
    """``search(text)`` for a TrackedQuerySet, in either tense."""

    def search(self, text: str):
        words = meaningful_words(search_words(text or ""))
        queryset = self
        for word in words:
            queryset = queryset.filter(self.word_match(word))
        return queryset

    def word_match(self, word: str) -> Q:
        match = Q(pk__in=self.own_matches(word))
        for lookup, label in self.record_model.tracking.search_related:
            related = self.at_same_time(apps.get_model(label))
            match |= self.relation_q(
                lookup, related.filter(pk__in=related.own_matches(word)).values("id")
            )
        return match

    def own_matches(self, word: str):
        """Primary keys of rows whose own text columns match ``word``."""
        base = self.model._default_manager.all()
        fields = self.record_model.tracking.search_fields
        if not fields:
            return base.none().values("pk")
        if connection.vendor == "postgresql":
            query = None
            for config in SEARCH_CONFIGS:
                part = SearchQuery(word, config=config, search_type="plain")
                query = part if query is None else query | part
            return (
                base.annotate(search_document=search_vector(fields))
                .filter(search_document=query)
                .values("pk")
            )
        pattern = re.escape(word)
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__iregex": pattern})
        return base.filter(condition).values("pk")
