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
