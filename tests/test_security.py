"""Security: no admin or draft for anonymous users, escaped output, strict headers,
throttled logins, harmless hostile input."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from indicators.models import Figure, Indicator
from meetings.models import Commitment, CommitmentQuote, Country, Meeting, Person, Source, Topic
from sco_tracker.tracking.recording import revision
from tests.factories import EditorFactory

pytestmark = pytest.mark.usefixtures("seed")

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
PUBLIC_PAGES = [
    "/",
    "/meetings/",
    "/meetings/chg-24-moscow-2025/",
    "/commitments/",
    "/commitments/6/",
    "/indicators/",
    "/indicators/trade-with-sco-members/",
    "/figures/",
    "/figures/3/",
    "/figures/3/history/",
    "/commitments/6/history/",
    "/meetings/chg-24-moscow-2025/history/",
    "/indicators/trade-with-sco-members/history/",
]


def admin_urls():
    urls = [reverse("admin:index"), reverse("admin_review_queue")]
    for model in admin.site._registry:
        if model._meta.app_label not in {"meetings", "indicators"}:
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [
            reverse(f"{name}_changelist"),
            reverse(f"{name}_add"),
            reverse(f"{name}_change", args=[1]),
            reverse(f"{name}_history", args=[1]),
            reverse(f"{name}_delete", args=[1]),
            reverse(f"{name}_simple_history", args=[1, 1]),
        ]
    return urls


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_reach_no_admin_page(client, method):
    for url in admin_urls():
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url
    assert Figure.objects.get(pk=1).history.count() == 1


def test_non_staff_users_reach_no_admin_page(client):
    client.force_login(EditorFactory(username="reader", is_staff=False))
    for url in admin_urls():
        assert client.get(url).status_code == 302, url


@pytest.mark.parametrize(
    ("model", "pk", "url"),
    [
        (Meeting, 1, "/meetings/chg-24-moscow-2025/"),
        (Commitment, 6, "/commitments/6/"),
        (Indicator, 3, "/indicators/trade-with-sco-members/"),
        (Figure, 3, "/figures/3/"),
    ],
)
@pytest.mark.parametrize("state", ["draft", "in_review", "withdrawn"])
def test_unpublished_records_are_invisible_to_anonymous_readers(client, model, pk, url, state):
    obj = model.objects.get(pk=pk)
    obj.state = state
    with revision(reason="test"):
        obj.save()
    assert client.get(url).status_code == 404
    assert client.get("/ru" + url).status_code == 404
    list_url = url.rsplit("/", 2)[0] + "/"
    listed = {
        r["id"] for r in client.get(list_url, {"format": "json", "per_page": 200}).json()["results"]
    }
    assert pk not in listed
    assert obj.get_absolute_url() not in client.get("/").content.decode()


def test_security_headers(client):
    response = client.get("/figures/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style(client):
    for url in PUBLIC_PAGES:
        page = client.get(url).content.decode()
        assert "<script" not in page, url
        assert " style=" not in page and "<style" not in page, url


def fill_text_fields(obj):
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            if field.name in {"slug", "code", "url"}:
                continue
            value = XSS[: field.max_length] if field.max_length else XSS
            setattr(obj, field.name, value)
    with revision(reason=XSS):
        obj.save()


def test_hostile_text_is_escaped_everywhere(client):
    source = Source.objects.get(pk=1)
    source.text = ""  # so a hostile quote passes validation
    with revision(reason="Text withheld for the test"):
        source.save()
    for obj in [
        Figure.objects.get(pk=3),
        Meeting.objects.get(pk=1),
        Commitment.objects.get(pk=6),
        CommitmentQuote.objects.filter(commitment=6).first(),
        Indicator.objects.get(pk=3),
        Country.objects.get(code="KZ"),
        Person.objects.get(slug="olzhas-bektenov"),
        Source.objects.get(pk=1),
        Topic.objects.get(slug="trade"),
    ]:
        fill_text_fields(obj)
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    seen_escaped = 0
    for prefix in ["", "/ru"]:
        for url in PUBLIC_PAGES:
            response = client.get(prefix + url)
            assert response.status_code == 200, url
            page = response.content.decode()
            assert "<script>" not in page and "<img src=x" not in page, url
            seen_escaped += escaped in page
    assert seen_escaped >= len(PUBLIC_PAGES)
    page = client.get("/changes/").content.decode()
    assert "<script>" not in page and escaped in page
    for url in ["/changes/feed/", "/ru/changes/feed/"]:
        # What a feed reader renders: each entry's HTML, once the XML is parsed.
        root = ET.fromstring(client.get(url).content)
        entries = root.findall("{http://www.w3.org/2005/Atom}entry")
        html = " ".join(
            entry.find("{http://www.w3.org/2005/Atom}summary").text for entry in entries
        )
        assert "<script>" not in html and "<img src=x" not in html, url
        assert escaped in html, url  # the hostile text is there, escaped
    body = client.get("/figures/", {"format": "json"}).json()
    assert any(row["as_stated"] == XSS[:300] for row in body["results"])  # data intact


def test_login_is_throttled(client):
    EditorFactory(username="olga")
    url = reverse("admin:login")
    for _ in range(4):
        response = client.post(url, {"username": "olga", "password": "wrong"})
        assert response.status_code == 200
    fifth = client.post(url, {"username": "olga", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post(url, {"username": "olga", "password": "correct horse battery staple"})
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not affected.
    EditorFactory(username="pavel")
    ok = client.post(url, {"username": "pavel", "password": "correct horse battery staple"})
    assert ok.status_code == 302


def test_successful_login_is_not_throttled(client):
    EditorFactory(username="olga")
    url = reverse("admin:login")
    for _ in range(3):
        client.post(url, {"username": "olga", "password": "wrong"})
    assert (
        client.post(
            url, {"username": "olga", "password": "correct horse battery staple"}
        ).status_code
        == 302
    )
