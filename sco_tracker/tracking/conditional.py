"""Conditional GET for the public site: ``ETag``, ``Last-Modified``, ``Cache-Control``, 304.

A public page (a GET or HEAD outside the admin, from a reader who is not signed in) is a
function of its URL, its language, the release of the code, the public revisions up to
the moment it shows, and the day (a figure page's citation says when it was retrieved).
So:

* **The present** (no ``?as_of=``, or one too recent to be settled): ``Last-Modified`` is
  the latest public revision (``freshness.latest_public_change``, one query), the weak
  ``ETag`` hashes it with the release, the language, the absolute URL (query string
  included) and the date (UTC), and ``Cache-Control: public, max-age=0,
  must-revalidate``: browsers and proxies may keep the page but ask each time, and a
  draft edit changes nothing they see.
* **A settled past** (``request.as_of`` more than ``SETTLED`` ago): the page can no longer
  change — revisions are only ever added, dated when written — so ``Last-Modified`` is the
  moment itself, the ``ETag`` needs no query, and ``Cache-Control: public,
  max-age=86400``.

``If-None-Match`` / ``If-Modified-Since`` are answered by Django's own
``get_conditional_response`` *before* the view runs, so a 304 costs one query (none for
the past). Responses that set a cookie, are not 200, or go to a signed-in user (staff
see editor names on some pages) get no validators; the last are marked ``private``.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from .freshness import latest_public_change, reading_once

# How long after a moment the site as it stood then is taken as fixed. Revisions are
# dated when written and become visible when their transaction commits; an hour covers
# the longest write (an import) with room to spare.
SETTLED = datetime.timedelta(hours=1)
PAST_MAX_AGE = 60 * 60 * 24  # a day: a deploy may still change how a past page looks
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class ConditionalPublicMiddleware:
    """After ``AsOfMiddleware`` (it reads ``request.as_of``) and the locale middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_read(request):
            return self.get_response(request)
        with reading_once():
            return self.respond(request)

    def respond(self, request):
        if signed_in(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True)
            return response
        validators = Validators.for_request(request)
        prototype = validators.apply(HttpResponse())
        early = get_conditional_response(
            request,
            etag=validators.etag,
            last_modified=validators.last_modified_timestamp,
            response=prototype,
        )
        if early is not prototype:
            return early  # 304 Not Modified (or 412 for a failed If-Match)
        response = self.get_response(request)
        if cacheable(request, response):
            validators.apply(response)
        return response


def is_public_read(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.path_info.startswith(
        (reverse("admin:index"), reverse("set_language"))
    )


def signed_in(request) -> bool:
    """Without a session cookie nobody is signed in, and the session is not read (reading
    it would add ``Vary: Cookie`` to every page)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def cacheable(request, response) -> bool:
    if response.status_code != 200 or response.cookies or response.has_header("Cache-Control"):
        return False  # a view that says how to cache itself is left to say so
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False  # SessionMiddleware will set the session cookie
    return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # …or CsrfViewMiddleware


class Validators:
    def __init__(self, *, etag: str, last_modified: datetime.datetime | None, max_age: int):
        self.etag = etag
        self.last_modified = last_modified
        self.max_age = max_age

    @classmethod
    def for_request(cls, request) -> Validators:
        now = timezone.now()
        as_of = getattr(request, "as_of", None)
        if as_of is not None and as_of < now - SETTLED:
            moment, state, max_age = as_of, f"as_of:{as_of.isoformat()}", PAST_MAX_AGE
        else:
            moment = latest_public_change()
            state = f"latest:{moment.isoformat() if moment else '-'}"
            max_age = 0
        if moment is not None:
            moment = max(moment, EPOCH)
        key = "\n".join(
            [
                getattr(settings, "RELEASE", ""),
                translation.get_language() or "",
                request.build_absolute_uri(),
                state,
                now.date().isoformat(),
            ]
        )
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        return cls(etag=f'W/"{digest}"', last_modified=moment, max_age=max_age)

    @property
    def last_modified_timestamp(self) -> int | None:
        return int(self.last_modified.timestamp()) if self.last_modified else None

    def apply(self, response):
        response.headers["ETag"] = self.etag
        if self.last_modified is not None:
            response.headers["Last-Modified"] = http_date(self.last_modified_timestamp)
        if self.max_age:
            patch_cache_control(response, public=True, max_age=self.max_age)
        else:
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response
