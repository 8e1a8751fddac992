"""Serving and scaling out: conditional GET on public pages (ETag, Last-Modified, 304,
Cache-Control) and public reads on a replica (``sco_tracker.routers``)."""

import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal
from functools import partial

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date, parse_http_date

from indicators.models import Figure, Indicator
from meetings.models import Country, Topic
from sco_tracker.routers import (
    ReplicaRouter,
    is_public_read,
    public_reads,
    with_replica_middleware,
)
from sco_tracker.tracking.conditional import Validators
from sco_tracker.tracking.freshness import latest_public_change
from sco_tracker.tracking.options import tracked_models
from sco_tracker.tracking.recording import revision
from sco_tracker.tracking.workflow import transition
from tests.admin_forms import changeform_data
from tests.factories import FigureFactory, SourceFactory

pytestmark = pytest.mark.usefixtures("seed")
FIGURE = 3
PAGES = [
    "/",
    "/figures/",
    f"/figures/{FIGURE}/",
    f"/figures/{FIGURE}/history/",
    "/changes/",
    "/changes/feed/",
    "/figures/?format=csv",
    "/ru/figures/",
]


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    if response.streaming:
        response.content_bytes = b"".join(response.streaming_content)
    else:
        response.content_bytes = response.content
    return response


def backdate_history(delta=datetime.timedelta(days=1)):
    """Every revision so far, a day earlier: Last-Modified has whole seconds, and the
    revisions a test writes next must fall in a later one."""
    for model in tracked_models():
        model.history.update(history_date=F("history_date") - delta)


@pytest.fixture
def draft_figure(reviewer):
    """A draft figure under a public indicator, written before the history is backdated."""
    figure = FigureFactory(
        indicator=Indicator.objects.published().get(slug="trade-with-sco-members"),
        country=Country.objects.get(code="KZ"),
        source=SourceFactory(),
        as_stated="DRAFT FIGURE",
    )
    backdate_history()
    return figure


# --- conditional GET ------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_carry_validators_and_answer_if_none_match_with_304(
    client, url, django_assert_max_num_queries
):
    first = get(client, url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert first.headers["Last-Modified"] == http_date(latest_public_change().timestamp())
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"

    # Answered before the view runs: one query, for the validators.
    with django_assert_max_num_queries(1):
        again = get(client, url, if_none_match=etag)
    assert again.status_code == 304
    assert again.content_bytes == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]

    assert get(client, url, if_none_match='W/"something-else"').status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_answer_if_modified_since_with_304(client, url):
    last_modified = get(client, url).headers["Last-Modified"]
    assert get(client, url, if_modified_since=last_modified).status_code == 304
    a_second_earlier = http_date(parse_http_date(last_modified) - 1)
    assert get(client, url, if_modified_since=a_second_earlier).status_code == 200


def test_head_requests_are_answered_alike(client):
    etag = client.head("/figures/").headers["ETag"]
    assert etag == client.get("/figures/").headers["ETag"]
    assert client.head("/figures/", headers={"if-none-match": etag}).status_code == 304


def test_each_page_language_moment_and_query_has_its_own_etag(client):
    urls = [
        "/figures/",
        "/ru/figures/",
        "/figures/?country=KZ",
        "/figures/?format=json",
        f"/figures/?as_of={timezone.now().isoformat()}",
        f"/figures/{FIGURE}/",
        "/",
    ]
    etags = [client.get(url).headers["ETag"] for url in urls]
    assert len(set(etags)) == len(urls)
    # …and another page's ETag is no validator for this one.
    assert client.get("/figures/", headers={"if-none-match": etags[1]}).status_code == 200


def test_the_language_is_part_of_the_etag(rf):
    """Public URLs name their language (English at /, Russian under /ru/); the ETag does
    not rely on it."""
    request = rf.get("/figures/")
    request.as_of = None
    with translation.override("en"):
        english = Validators.for_request(request).etag
    with translation.override("ru"):
        russian = Validators.for_request(request).etag
    assert english != russian


def test_the_etag_changes_with_the_day(client, monkeypatch):
    """A figure page's citation says "retrieved <today>": yesterday's copy is not today's."""
    today = client.get(f"/figures/{FIGURE}/")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr("sco_tracker.tracking.conditional.timezone.now", lambda: tomorrow)
    later = client.get(f"/figures/{FIGURE}/", headers={"if-none-match": today.headers["ETag"]})
    assert later.status_code == 200
    assert later.headers["Last-Modified"] == today.headers["Last-Modified"]


def test_a_publication_changes_the_validators(client, draft_figure, reviewer):
    before = {url: client.get(url) for url in ("/", "/figures/", "/changes/feed/")}
    transition(draft_figure, to_state="published", user=reviewer, reason="Checked")
    for url, old in before.items():
        new = get(client, url)
        assert new.headers["ETag"] != old.headers["ETag"], url
        assert parse_http_date(new.headers["Last-Modified"]) > parse_http_date(
            old.headers["Last-Modified"]
        )
        stale = {"if_none_match": old.headers["ETag"]}
        assert get(client, url, **stale).status_code == 200
        stale = {"if_modified_since": old.headers["Last-Modified"]}
        assert get(client, url, **stale).status_code == 200
    assert b"DRAFT FIGURE" in get(client, "/figures/?format=csv").content_bytes


def test_an_edit_of_a_public_record_changes_the_validators(client, reviewer):
    backdate_history()
    old = client.get(f"/figures/{FIGURE}/")
    figure = Figure.objects.get(pk=FIGURE)
    figure.note = "Read as the calendar year."
    with revision(user=reviewer, reason="Clarified the period"):
        figure.save()
    new = client.get(f"/figures/{FIGURE}/")
    assert new.headers["ETag"] != old.headers["ETag"]
    assert new.headers["Last-Modified"] != old.headers["Last-Modified"]
    stale = {"if-none-match": old.headers["ETag"]}
    assert client.get(f"/figures/{FIGURE}/", headers=stale).status_code == 200


def test_a_draft_edit_changes_nothing_readers_can_see(client, draft_figure, editor):
    before = {url: client.get(url) for url in ("/", "/figures/", "/changes/")}
    draft_figure.value = Decimal("11")
    with revision(user=editor, reason="SECRET draft rework"):
        draft_figure.save()
    assert draft_figure.history.count() == 2
    for url, old in before.items():
        new = client.get(url)
        assert new.headers["ETag"] == old.headers["ETag"], url
        assert new.headers["Last-Modified"] == old.headers["Last-Modified"]
        assert client.get(url, headers={"if-none-match": old.headers["ETag"]}).status_code == 304


def test_a_settled_past_is_cached_for_a_day_and_never_changes(
    client, reviewer, django_assert_num_queries
):
    backdate_history()
    moment = (timezone.now() - datetime.timedelta(hours=2)).replace(microsecond=0)
    url = f"/figures/?as_of={moment.isoformat().replace('+00:00', 'Z')}"
    first = client.get(url)
    assert first.status_code == 200
    assert "public" in first.headers["Cache-Control"]
    assert "max-age=86400" in first.headers["Cache-Control"]
    assert first.headers["Last-Modified"] == http_date(moment.timestamp())

    figure = Figure.objects.get(pk=FIGURE)
    figure.note = "A later correction"
    with revision(user=reviewer, reason="Later"):
        figure.save()
    assert client.get(url).headers["ETag"] == first.headers["ETag"]
    with django_assert_num_queries(0):  # nothing to look up for a fixed moment
        again = client.get(url, headers={"if-modified-since": first.headers["Last-Modified"]})
    assert again.status_code == 304
    assert "max-age=86400" in again.headers["Cache-Control"]


def test_a_recent_or_future_moment_is_revalidated_like_the_present(client):
    for moment in (
        timezone.now() - datetime.timedelta(minutes=1),
        timezone.now().replace(year=2999),
    ):
        response = client.get("/figures/", {"as_of": moment.isoformat()})
        assert response.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
        assert response.headers["Last-Modified"] == http_date(latest_public_change().timestamp())


def test_the_admin_never_gets_validators_or_304(superuser_client):
    response = Client().get(reverse("admin:login"), headers={"if-none-match": "*"})
    assert response.status_code == 200
    assert "ETag" not in response.headers

    topic = Topic.objects.get(slug="trade")
    admin_urls = [
        reverse("admin:index"),
        reverse("admin:meetings_topic_changelist"),
        reverse("admin:meetings_topic_change", args=[topic.pk]),
        reverse("admin_review_queue"),
    ]
    for url in admin_urls:
        response = superuser_client.get(
            url, headers={"if-none-match": "*", "if-modified-since": http_date(2**33)}
        )
        assert response.status_code == 200, url
        assert "ETag" not in response.headers and "Last-Modified" not in response.headers
        assert "public" not in response.headers.get("Cache-Control", "")


def test_signed_in_staff_get_public_pages_whole_and_private(superuser_client):
    for url in ("/figures/", "/changes/"):
        response = superuser_client.get(url, headers={"if-none-match": "*"})
        assert response.status_code == 200
        assert "ETag" not in response.headers
        assert "private" in response.headers["Cache-Control"]


def test_errors_and_posts_get_no_validators(client):
    for response in (
        client.get("/figures/999999/"),
        client.get("/figures/", {"year": "abc"}),
        client.get("/figures/", {"as_of": "yesterday"}),
        client.post("/i18n/setlang/", {"language": "ru"}, headers={"if-none-match": "*"}),
    ):
        assert response.status_code != 200 and response.status_code != 304
        assert "ETag" not in response.headers


def test_latest_public_change_is_one_query_over_public_revisions(
    draft_figure, editor, reviewer, django_assert_num_queries
):
    with django_assert_num_queries(1):
        latest = latest_public_change()
    newest_public = max(
        model.history.public().latest("history_date").history_date
        for model in tracked_models()
        if model.history.public().exists()
    )
    assert latest == newest_public
    draft_figure.value = Decimal("12")
    with revision(user=editor, reason="Draft"):
        draft_figure.save()
    assert latest_public_change() == latest
    transition(draft_figure, to_state="published", user=reviewer, reason="Checked")
    assert latest_public_change() == draft_figure.history.latest("history_date").history_date


# --- a replica for public reads -----------------------------------------------------------------

replica_db = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def with_replica(settings):
    """The router and middleware production installs with DATABASE_REPLICA_URL; the test
    settings' ``replica`` alias is the test database itself (a test mirror)."""
    settings.DATABASE_ROUTERS = ["sco_tracker.routers.ReplicaRouter"]
    settings.MIDDLEWARE = with_replica_middleware(settings.MIDDLEWARE)


def queries_on_each(action):
    """What ``action()`` returns, and the SQL it sent to each alias."""
    with (
        CaptureQueriesContext(connections["default"]) as default,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        result = action()
    return result, [q["sql"] for q in default], [q["sql"] for q in replica]


def test_only_public_reads_are_marked_for_the_replica(rf):
    assert is_public_read(rf.get("/figures/"))
    assert is_public_read(rf.head("/ru/changes/feed/"))
    assert not is_public_read(rf.post("/i18n/setlang/", {"language": "ru"}))
    assert not is_public_read(rf.get(reverse("admin:login")))
    assert not is_public_read(rf.get(reverse("admin_review_queue")))
    with_session = rf.get("/figures/")
    with_session.COOKIES[settings.SESSION_COOKIE_NAME] = "a session"
    assert not is_public_read(with_session)


@replica_db
@pytest.mark.usefixtures("with_replica")
def test_public_pages_read_from_the_replica(client):
    for url in ("/", "/figures/", f"/figures/{FIGURE}/", "/changes/feed/", "/figures/?format=csv"):
        response, default, replica = queries_on_each(partial(get, client, url))
        assert response.status_code == 200
        assert replica, url
        assert not default, (url, default)
    # The streamed CSV's rows came from the replica too, after the view had returned.
    assert b"trade-with-sco-members" in response.content_bytes


@replica_db
@pytest.mark.usefixtures("with_replica")
def test_the_admin_and_signed_in_users_use_the_primary(superuser_client):
    topic = Topic.objects.get(slug="trade")
    url = reverse("admin:meetings_topic_change", args=[topic.pk])
    form, default, replica = queries_on_each(partial(superuser_client.get, url))
    assert default and not replica
    data = changeform_data(form, name_en="Trade and investment", change_reason="Renamed")
    saved, default, replica = queries_on_each(partial(superuser_client.post, url, data))
    assert saved.status_code == 302
    assert not replica
    assert any(sql.startswith("UPDATE") for sql in default)
    assert Topic.objects.get(pk=topic.pk).name_en == "Trade and investment"
    # A signed-in user sees what was just saved: public pages read the primary for them.
    page, default, replica = queries_on_each(partial(superuser_client.get, "/changes/"))
    assert page.status_code == 200
    assert default and not replica


@replica_db
@pytest.mark.usefixtures("with_replica")
def test_the_router_sends_only_public_reads_outside_transactions_to_the_replica(reviewer):
    router = ReplicaRouter()
    assert router.db_for_read(Figure) == "default"
    with public_reads():
        assert router.db_for_read(Figure) == "replica"
        assert router.db_for_write(Figure) == "default"
        with transaction.atomic():
            assert router.db_for_read(Figure) == "default"
        # A write in a public read goes to the primary, and reads after it in the same
        # transaction see it there.
        figure = Figure.objects.get(pk=FIGURE)
        assert figure._state.db == "replica"
        figure.note = "Written from a public read"
        with revision(user=reviewer, reason="Test"):
            figure.save()
            assert Figure.objects.get(pk=FIGURE)._state.db == "default"
    assert router.allow_migrate("default", "indicators")
    assert not router.allow_migrate("replica", "indicators")
    assert router.allow_relation(figure, Indicator.objects.first())


def test_production_settings_add_the_replica_only_when_asked():
    def production(**env):
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_REPLICA_URL", "DATABASE_CONN_MAX_AGE", "RELEASE"}
        }
        environment.update(
            DJANGO_SETTINGS_MODULE="sco_tracker.settings.production",
            SECRET_KEY="k3Jx9-QwErTy7_uIoP0aSdFgHjKlZxCvBnM1234567890qwertyuiopZXCV",
            ALLOWED_HOSTS="sco.example.org",
            **env,
        )
        script = (
            "import json; from django.conf import settings as s; print(json.dumps({"
            "'databases': s.DATABASES, 'routers': s.DATABASE_ROUTERS,"
            " 'middleware': s.MIDDLEWARE}, default=str))"
        )
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    plain = production()
    assert set(plain["databases"]) == {"default"}
    assert plain["routers"] == []
    assert "sco_tracker.routers.PublicReadMiddleware" not in plain["middleware"]
    assert plain["databases"]["default"]["CONN_MAX_AGE"] == 60
    assert plain["databases"]["default"]["CONN_HEALTH_CHECKS"] is True

    scaled = production(
        DATABASE_URL="postgres://app@primary.internal:5432/sco_tracker",
        DATABASE_REPLICA_URL="postgres://app@replica.internal:5432/sco_tracker",
        DATABASE_CONN_MAX_AGE="120",
    )
    replica = scaled["databases"]["replica"]
    assert replica["HOST"] == "replica.internal"
    assert replica["CONN_MAX_AGE"] == 120 and replica["CONN_HEALTH_CHECKS"] is True
    assert replica["OPTIONS"]["options"] == "-c jit=off"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert scaled["routers"] == ["sco_tracker.routers.ReplicaRouter"]
    middleware = scaled["middleware"]
    marker = middleware.index("sco_tracker.routers.PublicReadMiddleware")
    assert middleware[marker - 1] == "django.middleware.security.SecurityMiddleware"
    assert marker < middleware.index("sco_tracker.tracking.conditional.ConditionalPublicMiddleware")


@pytest.mark.django_db
def test_kept_values_are_worked_out_again_after_a_deploy(settings):
    """A value kept until the next public change is also kept only for the release that
    worked it out: a shared cache never serves a deploy what an older one computed."""
    from sco_tracker.tracking.freshness import cached_until_public_change

    computed = []

    def compute():
        computed.append(settings.RELEASE)
        return len(computed)

    settings.RELEASE = "r1"
    assert cached_until_public_change("deploy-test", compute) == 1
    assert cached_until_public_change("deploy-test", compute) == 1
    settings.RELEASE = "r2"
    assert cached_until_public_change("deploy-test", compute) == 2
    assert computed == ["r1", "r2"]
