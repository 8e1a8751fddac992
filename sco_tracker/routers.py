"""Reads of public pages on a streaming replica; everything else on the primary.

With ``DATABASE_REPLICA_URL`` set, production settings add a ``replica`` database alias,
``ReplicaRouter`` and ``PublicReadMiddleware`` (``with_replica_middleware``). The
middleware marks a request as a *public read* — a GET or HEAD outside the admin from a
reader with no session cookie — and only then, and only outside a transaction on the
primary, do reads go to the replica. Writes, migrations, the admin, and signed-in users
(who expect to see what they have just saved, whatever the replica's lag) stay on
``default``.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse

REPLICA = "replica"
_public_read: ContextVar[bool] = ContextVar("public_read", default=False)


@contextlib.contextmanager
def public_reads():
    """Within this block, reads may be served by the replica."""
    token = _public_read.set(True)
    try:
        yield
    finally:
        _public_read.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _public_read.get()
            and REPLICA in settings.DATABASES
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # One database, two connections: a record read from either may refer to the other.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class PublicReadMiddleware:
    """Marks public reads for ``ReplicaRouter``; streamed responses (CSV exports) keep
    the mark while their rows are read, after the view has returned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_read(request):
            return self.get_response(request)
        with public_reads():
            response = self.get_response(request)
        if response.streaming and not getattr(response, "is_async", False):
            response.streaming_content = _read_publicly(response.streaming_content)
        return response


def _read_publicly(chunks):
    """The chunks, each produced under the mark (and only while it is produced: the
    server writing a chunk out may run in another context)."""
    chunks = iter(chunks)
    while True:
        previous = _public_read.get()
        _public_read.set(True)
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        finally:
            _public_read.set(previous)
        yield chunk


def is_public_read(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(reverse("admin:index"))
    )


def with_replica_middleware(middleware: list[str]) -> list[str]:
    """``middleware`` with ``PublicReadMiddleware`` early, before anything that reads the
    database (right after ``SecurityMiddleware``, which may redirect to HTTPS)."""
    entry = "sco_tracker.routers.PublicReadMiddleware"
    middleware = [name for name in middleware if name != entry]
    security = "django.middleware.security.SecurityMiddleware"
    position = middleware.index(security) + 1 if security in middleware else 0
    return [*middleware[:position], entry, *middleware[position:]]
