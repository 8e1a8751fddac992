"""Production: refuses to start without a real SECRET_KEY and explicit ALLOWED_HOSTS;
``manage.py check --deploy`` is clean with these settings."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from sco_tracker.routers import with_replica_middleware

from .base import *  # noqa: F403
from .base import DATABASES, MIDDLEWARE, SECRET_KEY, env_bool, env_list

if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random value of at least 50 characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS everywhere; the TLS-terminating proxy sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Persistent connections, checked before reuse (a restarted PostgreSQL or a dropped
# connection costs one failed check, not a failed request).
conn_max_age = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_MAX_AGE"] = conn_max_age
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# A streaming replica of the primary serves the public pages' reads (sco_tracker/routers.py).
replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if replica_url:
    DATABASES["replica"] = dj_database_url.parse(
        replica_url, conn_max_age=conn_max_age, conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] == DATABASES["default"]["ENGINE"]:
        # The same connection options as the primary's (jit=off on PostgreSQL).
        DATABASES["replica"]["OPTIONS"] = {
            **DATABASES["default"].get("OPTIONS", {}),
            **DATABASES["replica"].get("OPTIONS", {}),
        }
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["sco_tracker.routers.ReplicaRouter"]
    MIDDLEWARE = with_replica_middleware(MIDDLEWARE)

# Part of every ETag (sco_tracker/tracking/conditional.py): a deploy that changes
# templates or translations changes every page's ETag. `make serve` sets it to the commit.
RELEASE = os.environ.get("RELEASE", "")
