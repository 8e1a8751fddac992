"""When the public site last changed: the moment of the latest *public* revision.

Every public page is computed from public revisions alone (``public.py``): a draft edit,
a proposal or an edit of a record whose parent is hidden changes no public page, and a
publication, a withdrawal or an edit of a public record is a public revision
(``PublicKind``). So the newest public revision of any tracked model bounds what any
public page can show, and the conditional-GET validators (``conditional.py``) are derived
from it.
"""

from __future__ import annotations

import contextvars
import datetime
import hashlib
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import connections, models, router

from .options import tracked_models

# A cached value is dropped by its key (the newest public revision) long before this.
CACHE_SECONDS = 24 * 3600


# Within one public read (``reading_once``): the moment, read once per database alias.
_read_once: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "latest_public_change", default=None
)


@contextmanager
def reading_once():
    """Within the block, ``latest_public_change`` queries once: a public page reads it for
    its validators (``conditional.py``) and for each value it keeps until the next public
    change (menus, key indicators). Only for reads: a write would not be seen."""
    token = _read_once.set({})
    try:
        yield
    finally:
        _read_once.reset(token)


def latest_public_change(using: str | None = None) -> datetime.datetime | None:
    remembered = _read_once.get()
    if remembered is not None:
        if using not in remembered:
            remembered[using] = read_latest_public_change(using)
        return remembered[using]
    return read_latest_public_change(using)


def read_latest_public_change(using: str | None = None) -> datetime.datetime | None:
    """The ``history_date`` of the newest public revision of any tracked model (None when
    there is none), in one query: a scalar subquery per history table, each the first
    entry of its partial index of public revisions, newest first (``TrackedHistoricalRecords``:
    ``*_h_public``) — a few index pages, however long the history, on PostgreSQL and
    SQLite alike."""
    tracked = tracked_models()
    if not tracked:
        return None
    alias = using or router.db_for_read(tracked[0])
    connection = connections[alias]
    sql, params = _query(alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    # The raw values as the driver gives them (SQLite: text): convert as the ORM would.
    expression = models.Value(None, output_field=models.DateTimeField())
    converters = connection.ops.get_db_converters(expression)
    moments = []
    for value in row:
        for converter in converters:
            value = converter(value, expression, connection)
        if value is not None:
            moments.append(value)
    return max(moments, default=None)


_queries: dict[str, tuple[str, list]] = {}


def _query(alias: str) -> tuple[str, list]:
    """The SQL, built once per database alias: compiling fourteen querysets costs more
    than running the query they make."""
    if alias not in _queries:
        columns, params = [], []
        for model in tracked_models():
            newest = model.history.public().order_by("-history_date").values("history_date")[:1]
            sql, sql_params = newest.query.get_compiler(using=alias).as_sql()
            columns.append(f"({sql})")
            params.extend(sql_params)
        _queries[alias] = (f"SELECT {', '.join(columns)}", params)
    return _queries[alias]


def cached_until_public_change(name: str, compute, *, as_of=None):
    """``compute()``, kept in Django's cache until the next public revision (or for good,
    for a moment in the past): for figures that are costly to work out and read on every
    visit, such as aggregates over every figure on the home page. The key holds the
    moment shown and the newest public revision, so no change is ever served stale."""
    stamp = latest_public_change()
    key = ":".join(
        [
            "tracking",
            getattr(settings, "RELEASE", ""),  # a deploy may change how a value is worked out
            name,
            as_of.isoformat() if as_of is not None else "now",
            stamp.isoformat() if stamp is not None else "-",
        ]
    )
    return cache.get_or_set(key, compute, timeout=CACHE_SECONDS)


def query_key(queryset, *extra) -> str:
    """A cache key for what ``queryset`` selects (its SQL and parameters, unordered), so
    every filter, search and moment has its own."""
    sql, params = queryset.order_by().query.sql_with_params()
    return hashlib.sha256(repr((sql, params, extra)).encode()).hexdigest()[:32]


def public_count(queryset) -> int:
    """``queryset.count()`` of public rows, kept until the next public change: counting a
    list of 100,000 figures costs more than the rest of its page."""
    return cached_until_public_change(f"count:{query_key(queryset)}", queryset.count)
