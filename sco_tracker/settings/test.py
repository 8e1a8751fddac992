"""Test settings: fast hashing, no manifest storage, same databases as dev (DATABASE_URL)."""

from .dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
LANGUAGE_CODE = "en"
# Serve static files straight from the finders: no collectstatic before the suite.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# A record type declared only in its own app, to show the tracking engine needs no line
# of its own for it (tests/test_new_tracked_model.py).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.example_app"]  # noqa: F405
# A "replica" alias that is the default test database itself (a test mirror), so tests can
# tell which alias served a query (tests/test_serving.py). Nothing goes to it unless a test
# installs sco_tracker.routers.ReplicaRouter, as production does with DATABASE_REPLICA_URL.
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),  # noqa: F405
    "TEST": {"MIRROR": "default"},
}
