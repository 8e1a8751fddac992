"""WSGI entry point (gunicorn sco_tracker.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_tracker.settings.production")

application = get_wsgi_application()
