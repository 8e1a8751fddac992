"""Who is signing in, from where, and when to stop them.

Behind a reverse proxy every request comes from the proxy's address: the client's is the
one the nearest trusted proxy appended to ``X-Forwarded-For``. ``TRUSTED_PROXY_COUNT``
(environment, default 0: no proxy) says how many proxies in front of the site append to
it; entries further left are whatever the client sent and are never trusted.

django-axes locks a (username, address) pair after ``AXES_FAILURE_LIMIT`` failures. Its
own counts are per pair, so an address trying many usernames, or many addresses trying
one username, would never be stopped: ``LockoutBackend`` adds those two limits over the
failure log.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessFailureLog
from django.conf import settings
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone


def valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies the
    entry of ``X-Forwarded-For`` the outermost trusted proxy appended."""
    remote = valid_address(request.META.get("REMOTE_ADDR", "") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry.strip() for entry in forwarded if entry.strip()]
    if len(forwarded) < proxies:
        return remote  # not through the expected proxies: the direct peer is the client
    return valid_address(forwarded[-proxies]) or remote


class LockoutBackend(AxesStandaloneBackend):
    """Axes' pair lockout, plus: an address with ``AXES_ADDRESS_FAILURE_LIMIT`` failures
    over any usernames, or a username with ``AXES_USERNAME_FAILURE_LIMIT`` failures from
    any addresses, within the cool-off period, is refused too."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username=username, password=password, **kwargs)
        if request is None:
            return None
        since = timezone.now() - (get_cool_off(request) or timezone.timedelta(hours=1))
        recent = AccessFailureLog.objects.filter(attempt_time__gte=since)
        address = get_client_ip_address(request)
        too_many = (
            address
            and recent.filter(ip_address=address).count() >= settings.AXES_ADDRESS_FAILURE_LIMIT
        ) or (
            username
            and recent.filter(username=username).count() >= settings.AXES_USERNAME_FAILURE_LIMIT
        )
        if too_many:
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("Too many failed sign-ins")
        return None


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page, saying when signing in will work again (HTTP 429)."""
    cool_off = get_cool_off(request) or timezone.timedelta(hours=1)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    address = get_client_ip_address(request)
    failures = AccessFailureLog.objects.filter(attempt_time__gte=timezone.now() - cool_off).filter(
        Q(ip_address=address) | Q(username=username)
    )
    last = failures.order_by("-attempt_time").values_list("attempt_time", flat=True).first()
    until = (last or timezone.now()) + cool_off
    return render(
        request, "admin/locked_out.html", {"until": until, "username": username}, status=429
    )
