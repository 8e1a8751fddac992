"""When the public site last changed: the moment of the latest *public* revision.

Every public page is computed from public revisions alone (``public.py``): a draft edit,
a proposal or an edit of a record whose parent is hidden changes no public page, and a
publication, a withdrawal or an edit of a public record is a public revision
(``PublicKind``). So the newest public revision of any tracked model bounds what any
public page can show, and the conditional-GET validators (``conditional.py``) are derived
from it.
"""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db import connections, models, router

from .options import tracked_models

# A cached value is dropped by its key (the newest public revision) long before this.
CACHE_SECONDS = 24 * 3600


def latest_public_change(using: str | None = None) -> datetime.datetime | None:
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
            name,
            as_of.isoformat() if as_of is not None else "now",
            stamp.isoformat() if stamp is not None else "-",
        ]
    )
    return cache.get_or_set(key, compute, timeout=CACHE_SECONDS)
