"""Search, on both databases, over a record's own text and its related records' text.

Contract: every word of the query must match the record or one of the related records
its model names in ``Tracking.search_related``. PostgreSQL matches stemmed words (Russian
and English) through GIN indexes built from ``search_vector``; SQLite matches substrings,
case-insensitively in any script.
"""

import re

from django.apps import apps
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Lookup, Q

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


def prefix_query(word: str, config: str) -> SearchQuery:
    """``word`` as a word beginning: each of its lexemes quoted (so no character in it is
    tsquery syntax) and the last one marked as a prefix."""
    lexemes = [part for part in re.split(r"[\W_]+", word) if part]
    if not lexemes:
        return SearchQuery(word, config=config, search_type="plain")
    terms = [f"'{lexeme}'" for lexeme in lexemes]
    terms[-1] += ":*"
    return SearchQuery(" & ".join(terms), config=config, search_type="raw")


class EqualsAny(Lookup):
    """``lhs = ANY(rhs)``, ``rhs`` an array (PostgreSQL)."""

    lookup_name = "equals_any"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


class SearchQuerySetMixin:
    """``search(text)`` for a TrackedQuerySet, in either tense."""

    def search(self, text: str, prefix: bool = False, whole_rows: bool = False):
        """Records matching every word of ``text``; with ``prefix``, words match as word
        beginnings too ("transi" finds "transit"), as editors type in the admin.
        ``whole_rows``: the query reads whole rows (the admin's change list), not keys
        first (the public lists)."""
        words = search_words(text or "") if prefix else meaningful_words(search_words(text or ""))
        queryset = self
        for word in words:
            queryset = queryset.filter(self.word_match(word, prefix, whole_rows))
        return queryset

    def word_match(self, word: str, prefix: bool = False, whole_rows: bool = False) -> Q:
        """Records whose own text, or a related record's, matches ``word``: one ``IN``
        over the union of the matching keys, each part found through its own index
        (an ``OR`` of subqueries would test every row of the table against each)."""
        base = self.model._default_manager.all()
        parts = [self.own_matches(word, prefix).order_by()]
        for lookup, label in self.record_model.tracking.search_related:
            related = self.at_same_time(apps.get_model(label))
            matches = related.filter(pk__in=related.own_matches(word, prefix)).values("id")
            parts.append(base.filter(self.relation_q(lookup, matches)).order_by().values("pk"))
        keys = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
        if whole_rows and connection.vendor == "postgresql":
            # "= ANY(ARRAY(…))": the matching keys are found once and the rows fetched by
            # their primary key; with "IN (…)" PostgreSQL estimates the matches high and
            # reads the whole table to hash-join them with the rows (the admin's change
            # list at 100,000 figures: 185 -> 138 ms for "transit"). A keys-first query
            # is better served by "IN".
            return Q(EqualsAny(F("pk"), ArraySubquery(keys)))
        return Q(pk__in=keys)

    def own_matches(self, word: str, prefix: bool = False):
        """Primary keys of rows whose own text columns match ``word``."""
        base = self.model._default_manager.all()
        fields = self.record_model.tracking.search_fields
        if not fields:
            return base.none().values("pk")
        if connection.vendor == "postgresql":
            query = None
            for config in SEARCH_CONFIGS:
                part = (
                    prefix_query(word, config)
                    if prefix
                    else SearchQuery(word, config=config, search_type="plain")
                )
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
