import os

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from django.utils import translation

from tests.factories import EditorFactory, ReviewerFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# tests around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

EDITOR_PASSWORD = "correct horse battery staple"


SEEDED_APPS = ("meetings", "indicators")
_seed_rows: dict = {}  # per test process: {model: [rows]} as the seed loader wrote them


def seeded_models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in SEEDED_APPS and not model._meta.proxy
    ]


@pytest.fixture(autouse=True)
def empty_cache():
    """Values kept until the next public change (counts, menus) are keyed by its moment;
    each test starts without those of tests before it, whose data was rolled back."""
    cache.clear()


@pytest.fixture(autouse=True)
def english_between_requests():
    """Django's locale middleware leaves the last request's language active in the thread
    (a request to /ru/ leaves Russian): each test starts in the site's default language,
    whatever ran before it on the same worker."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def seed(db):
    """The seed data, with its history. The loader runs once per test process (its own
    tests are in test_seed.py); later tests get the very rows it wrote, inserted directly,
    which takes a few queries instead of thousands."""
    if not _seed_rows:
        call_command("load_seed_data", verbosity=0)
        for model in seeded_models():
            _seed_rows[model] = list(model._base_manager.order_by("pk").values())
        return
    with transaction.atomic():  # foreign keys are checked at the end (transactional tests)
        for model, rows in _seed_rows.items():
            model._base_manager.bulk_create([model(**row) for row in rows])
        statements = connection.ops.sequence_reset_sql(no_style(), list(_seed_rows))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@pytest.fixture
def editor(db):
    return EditorFactory(username="editor")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def signed_in(user) -> Client:
    """A test client of its own, signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(username="rita")


@pytest.fixture
def reviewer_client(reviewer):
    return signed_in(reviewer)


@pytest.fixture
def superuser(db):
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


# --- browser tests (Playwright driving the system's Chromium) -------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The network is closed: no background services, no first-run chatter.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def committed_seed(transactional_db):
    """The seed data, committed, for tests whose threads or servers use other connections.

    (The flush between transactional tests empties every table; its post_migrate signal
    brings the Editors and Reviewers groups back.)"""
    call_command("load_seed_data", verbosity=0)


@pytest.fixture
def live_seed(committed_seed, live_server):
    """A live server with the seed data."""
    return live_server


def log_in(page, live_server, username="editor", password=EDITOR_PASSWORD):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
