"""Hostile input and an operator's day: dates at the edge of the calendar, negative
series, junk in admin relation fields, spreadsheet formulas in exports, sign-in lockout
behind a proxy, deleted authors, stale writes, and backups that restore exactly."""

import csv
import io
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from urllib.parse import urlencode

import psycopg
import pytest
from django.contrib.admin import helpers
from django.core.management import call_command
from django.db import connection
from django.db.models import ProtectedError
from django.test import override_settings
from django.urls import reverse

from indicators.charts import build_chart
from indicators.models import Figure, Indicator
from meetings.models import Commitment, Source
from sco_tracker.tracking.exports import csv_cell
from sco_tracker.tracking.recording import revision
from sco_tracker.tracking.workflow import transition
from tests.admin_forms import changeform_data, changelist_data
from tests.conftest import EDITOR_PASSWORD, signed_in
from tests.factories import EditorFactory, FigureFactory, IndicatorFactory, SourceFactory

pytestmark = pytest.mark.usefixtures("seed")
FIGURE = 3


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def with_query(page, **params):
    separator = "&" if "?" in page else "?"
    return f"{page}{separator}{urlencode(params)}"


# --- moments at the edge of the calendar --------------------------------------------------

EDGE_MOMENTS = [
    "2025-11-20T00:00:00+23:00",
    "2025-11-20T00:00:00-23:59",
    "9999-12-31T23:59:59-05:00",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31",
    "0001-01-01",
    "2025-11-20T10:00Z",
    "2025-11-20T10:00:00.123456+0530",
]
EDGE_PAGES = [
    "/figures/",
    "/figures/?format=csv",
    "/figures/?format=json",
    "/figures/3/",
    "/figures/3/history/",
    "/changes/",
    "/changes/?format=csv",
    "/changes/feed/",
    "/meetings/chg-24-moscow-2025/",
    "/indicators/trade-with-sco-members/",
    "/",
]


@pytest.mark.parametrize("moment", EDGE_MOMENTS)
def test_moments_iso_8601_allows_are_accepted_or_clamped(client, moment):
    """``?as_of=`` with offsets up to ±23:59 and years 1 and 9999: every page answers,
    every export is whole (a CSV ends with a newline after its last row)."""
    for page in EDGE_PAGES:
        response = client.get(with_query(page, as_of=moment))
        assert response.status_code in (200, 404), (page, moment, response.status_code)
        text = body(response)
        if "csv" in page:
            assert text.endswith("\r\n") and text.count("\r\n") >= 1, (page, moment)


@pytest.mark.parametrize(
    "moment", ["2025-11-20T00:00:00+24:00", "2025-13-01", "2025-11-20T25:00", "yesterday", "1e9"]
)
def test_impossible_moments_are_a_400_with_the_rule(client, moment):
    for page in ["/figures/", "/figures/?format=csv", "/changes/feed/"]:
        response = client.get(with_query(page, as_of=moment))
        assert response.status_code == 400, (page, moment)
        assert "ISO 8601" in body(response)


def test_the_far_future_shows_the_present(client):
    now = client.get("/figures/", {"format": "json"}).json()["count"]
    later = client.get("/figures/", {"format": "json", "as_of": "9999-12-31T23:59:59-05:00"})
    assert later.json()["count"] == now
    earliest = client.get("/figures/", {"format": "json", "as_of": "0001-01-01T00:00:00+05:00"})
    assert earliest.json()["count"] == 0


# --- charts with negative, zero and mixed-sign series ---------------------------------------


def chart_for(values):
    indicator = IndicatorFactory(
        measure_kind="growth_rate", default_unit="%", default_unit_multiplier=0, state="draft"
    )
    figures = [
        FigureFactory(
            indicator=indicator,
            value=Decimal(value),
            unit="%",
            unit_multiplier=0,
            comparator="exact",
        )
        for value in values
    ]
    return indicator, build_chart(indicator, figures, "%")


@pytest.mark.parametrize(
    "values",
    [["-3.5"], ["0"], ["-2", "4.5"], ["5", "5", "5"], ["-1", "-7", "-0.5"], ["0", "0"], ["12"]],
)
def test_charts_draw_any_sign(values):
    _indicator, chart = chart_for(values)
    ticks = [float(label) for _y, label in chart.y_ticks]
    assert min(ticks) <= min(float(v) for v in values) and max(ticks) >= max(map(float, values))
    assert 0.0 in ticks, "the axis crosses zero"
    for series in chart.series:
        for point in series.points:
            assert chart.top - 1 <= point.y <= chart.bottom_edge + 1


def test_an_indicator_whose_only_figure_is_negative_has_a_page(client, reviewer):
    indicator, _chart = chart_for(["-4.2"])
    transition(indicator, to_state="published", user=reviewer, reason="Trade balance")
    figure = indicator.figures.get()
    figure.quote = figure.source.text.split(".")[0]
    with revision(reason="Quote"):
        figure.save()
    transition(figure, to_state="published", user=reviewer, reason="Checked")
    response = client.get(f"/indicators/{indicator.slug}/")
    assert response.status_code == 200
    assert 'class="zero-line"' in body(response)


# --- junk in admin relation fields, searches and filters ------------------------------------


@pytest.mark.parametrize("junk", ["abc", "1.5", "99999999999999999999", "-1", "1e3", " "])
def test_junk_in_relation_fields_is_a_form_error(superuser_client, junk):
    url = reverse("admin:indicators_figure_change", args=[FIGURE])
    data = changeform_data(superuser_client.get(url), indicator=junk, change_reason="junk")
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["indicator"]
    url = reverse("admin:meetings_commitment_change", args=[6])
    data = changeform_data(superuser_client.get(url), countries=[junk], change_reason="junk")
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["countries"]
    assert Figure.objects.get(pk=FIGURE).history.count() == 1


@pytest.mark.parametrize(
    "query",
    [
        "?q=%00",
        "?indicator__id__exact=99999999999999999999",
        "?indicator__id__exact=abc",
        "?country__id__exact=-99999999999999999999",
        "?state__exact=%00",
        "?o=abc",
        "?p=-1",
    ],
)
def test_junk_in_admin_lists_is_never_a_server_error(superuser_client, query):
    response = superuser_client.get(reverse("admin:indicators_figure_changelist") + query)
    assert response.status_code in (200, 302, 400)


@pytest.mark.parametrize(
    "query",
    [
        {
            "term": "\x00",
            "app_label": "indicators",
            "model_name": "figure",
            "field_name": "indicator",
        },
        {"term": "x", "app_label": "indicators", "model_name": "figure", "field_name": "nope"},
        {"term": "x", "app_label": "nope", "model_name": "figure", "field_name": "indicator"},
        {
            "term": "x",
            "app_label": "indicators",
            "model_name": "figure",
            "field_name": "indicator",
            "page": "99999999999999999999",
        },
    ],
)
def test_junk_in_autocomplete_is_never_a_server_error(superuser_client, query):
    response = superuser_client.get(reverse("admin:autocomplete"), query)
    assert response.status_code in (200, 400, 403, 404)


# --- spreadsheet formulas are exported as text ----------------------------------------------


def test_formulas_in_csv_exports_are_neutralised(client, editor):
    formula = '=HYPERLINK("http://evil.example/","click")'
    source = Source.objects.get(pk=1)
    source.text += f" {formula} @SUM(A1) -1+2 +cmd"
    with revision(user=editor, reason="Text with formulas"):
        source.save()
    figure = Figure.objects.get(pk=FIGURE)
    figure.quote = formula
    figure.note = "@SUM(A1)"
    figure.as_stated = "-1+2"
    with revision(user=editor, reason="+cmd|' /C calc'!A0"):
        figure.save()
    rows = list(csv.DictReader(io.StringIO(body(client.get("/figures/?format=csv")))))
    row = next(r for r in rows if r["id"] == str(FIGURE))
    assert row["quote"] == "'" + formula
    assert row["as_stated"] == "'-1+2"
    changes = list(csv.DictReader(io.StringIO(body(client.get("/changes/?format=csv")))))
    assert changes[0]["reason"] == "'+cmd|' /C calc'!A0"
    for line in [*rows, *changes]:
        for value in line.values():
            assert not (value or "").startswith(("=", "+", "@", "\t", "\r")), value
    assert csv_cell(Decimal("-3.25")) == "-3.25", "numbers stay numbers"
    assert csv_cell(["=1", "x"]) == "'=1; x"


# --- sign-in lockout behind a proxy ----------------------------------------------------------

LOGIN = "/admin/login/"


def attempt(client, username, password="wrong", address="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_one_attacker_cannot_lock_out_an_editor(client):
    """Every request arrives from the proxy (10.0.0.1); the attacker spoofs
    X-Forwarded-For entries, but only the one the proxy appended is trusted."""
    EditorFactory(username="olga")
    for number in range(8):
        spoofed = f"198.51.100.{number}, 192.0.2.66"  # the proxy appended 192.0.2.66
        attempt(client, "olga", address="10.0.0.1", forwarded=spoofed)
    locked = attempt(client, "olga", EDITOR_PASSWORD, address="10.0.0.1", forwarded="192.0.2.66")
    assert locked.status_code == 429
    assert "Try again after" in body(locked)
    editor = attempt(client, "olga", EDITOR_PASSWORD, address="10.0.0.1", forwarded="192.0.2.10")
    assert editor.status_code == 302, "the editor, at her own address, still signs in"


def test_without_a_trusted_proxy_forwarded_for_is_ignored(client):
    EditorFactory(username="olga")
    for number in range(5):
        attempt(client, "olga", forwarded=f"198.51.100.{number}")
    assert attempt(client, "olga", EDITOR_PASSWORD, forwarded="192.0.2.10").status_code == 429


def test_spraying_many_usernames_from_one_address_is_stopped(client):
    EditorFactory(username="pavel")
    for number in range(20):
        attempt(client, f"user{number % 10}")
    assert attempt(client, "pavel", EDITOR_PASSWORD).status_code == 429
    assert attempt(client, "pavel", EDITOR_PASSWORD, address="192.0.2.10").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_username_tried_from_many_addresses_is_stopped(client):
    EditorFactory(username="olga")
    for number in range(30):
        attempt(client, "olga", address="10.0.0.1", forwarded=f"198.51.100.{number}")
    assert (
        attempt(client, "olga", EDITOR_PASSWORD, address="10.0.0.1", forwarded="192.0.2.10")
    ).status_code == 429


def test_lockouts_are_listed_and_lifted_by_a_command(client):
    EditorFactory(username="olga")
    for _ in range(5):
        attempt(client, "olga")
    listing = io.StringIO()
    call_command("lockouts", stdout=listing)
    assert "olga\t203.0.113.7\t5" in listing.getvalue() and "UTC" in listing.getvalue()
    call_command("lockouts", clear="olga", stdout=io.StringIO())
    assert attempt(client, "olga", EDITOR_PASSWORD).status_code == 302


# --- the audit trail keeps its authors ---------------------------------------------------------


def test_an_author_cannot_be_deleted_only_deactivated(superuser_client, reviewer):
    editor = reviewer  # whose change to the published figure is a revision at once
    url = reverse("admin:indicators_figure_change", args=[FIGURE])
    client = signed_in(editor)
    data = changeform_data(client.get(url), value="68", change_reason="Newer figure")
    assert client.post(url, data).status_code == 302
    delete_url = reverse("admin:auth_user_delete", args=[editor.pk])
    response = superuser_client.post(delete_url, {"post": "yes"}, follow=True)
    assert "authored 1 revision" in body(response)
    with pytest.raises(ProtectedError):
        editor.delete()
    editor.refresh_from_db()
    revision_row = Figure.history.filter(id=FIGURE).latest("history_date")
    assert revision_row.history_user == editor
    bulk = superuser_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [str(editor.pk)]},
    )
    assert "deactivate the account instead" in body(bulk)
    assert type(editor).objects.filter(pk=editor.pk).exists()


# --- every write path checks the version and keeps the reason ----------------------------------


def test_list_edits_without_a_version_are_refused(reviewer_client):
    editor_client = reviewer_client
    url = reverse("admin:meetings_commitment_changelist")
    data = changelist_data(
        editor_client.get(url), reason="Charter drafted", changes={6: {"status": "in_progress"}}
    )
    del data["form-_concurrency_version_6"]
    response = editor_client.post(url, data)
    assert "without the version it was shown with" in body(response)
    assert Commitment.objects.get(pk=6).status == "proposed"


def test_actions_with_bare_ids_are_refused(editor_client):
    url = reverse("admin:meetings_commitment_changelist")
    response = editor_client.post(
        url,
        {
            "action": "submit_for_review",
            helpers.ACTION_CHECKBOX_NAME: ["6"],
            "change_reason": "Ready",
            "index": "0",
        },
        follow=True,
    )
    assert "reload the list and select the records again" in body(response)
    assert Commitment.objects.get(pk=6).history.count() == 1


def test_a_bulk_delete_asks_for_a_reason_and_records_it(superuser_client):
    url = reverse("admin:indicators_figure_changelist")
    figures = list(Figure.objects.filter(pk__in=[3, 8]))
    selected = [f"{figure.pk},{figure.version}" for figure in figures]
    base = {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: selected, "index": "0"}
    confirm = superuser_client.post(url, {**base, "change_reason": "Duplicates"})
    assert 'name="change_reason"' in body(confirm) and "Duplicates" in body(confirm)
    refused = superuser_client.post(url, {**base, "post": "yes", "change_reason": ""}, follow=True)
    assert "give a reason for deleting" in body(refused)
    assert Figure.objects.filter(pk__in=[3, 8]).count() == 2
    superuser_client.post(url, {**base, "post": "yes", "change_reason": "Duplicates"})
    assert not Figure.objects.filter(pk__in=[3, 8]).exists()
    tombstones = Figure.history.filter(id__in=[3, 8], history_type="-")
    assert sorted(t.history_change_reason for t in tombstones) == ["Duplicates", "Duplicates"]


# --- the feed escapes what editors typed ----------------------------------------------------


def test_the_feed_escapes_hostile_text(client, editor):
    """The entry's HTML (as a feed reader gets it, XML-unescaped) shows the text as text."""
    hostile = '<script>alert("x")</script>'
    figure = Figure.objects.get(pk=FIGURE)
    figure.note = hostile
    with revision(user=editor, reason=hostile):
        figure.save()
    root = ET.fromstring(client.get("/changes/feed/").content)
    atom = "{http://www.w3.org/2005/Atom}"
    html = root.find(f"{atom}entry/{atom}summary").text
    assert "&lt;script&gt;" in html and "<script>" not in html


# --- a dump restores exactly -------------------------------------------------------------------

DUMPED = ["auth.user", "meetings", "indicators"]


def dump() -> list:
    out = io.StringIO()
    call_command(
        "dumpdata", *DUMPED, natural_foreign=True, natural_primary=True, format="json", stdout=out
    )
    return json.loads(out.getvalue())


@pytest.mark.django_db(transaction=True)
def test_dumpdata_then_loaddata_restores_the_same_records_and_history(tmp_path, editor):
    client = signed_in(editor)
    url = reverse("admin:meetings_commitment_change", args=[6])
    data = changeform_data(client.get(url), change_reason="Russia joined")
    data["countries"] = [*data["countries"], "5"]
    assert client.post(url, data).status_code == 302
    before = dump()
    history_rows = sum(model.history.count() for model in (Figure, Indicator, Commitment, Source))
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(before), encoding="utf-8")

    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", str(path), verbosity=0)

    assert dump() == before
    assert (
        sum(model.history.count() for model in (Figure, Indicator, Commitment, Source))
        == history_rows
    )


def test_sources_made_in_code_need_a_revision():
    with pytest.raises(Exception, match="outside a revision"):
        SourceFactory._meta.model.objects.create(title="x", publisher="y")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs the PostgreSQL client tools")
def test_pg_dump_restores_history_byte_for_byte(tmp_path, reviewer):
    """The documented backup (``pg_dump -Fc`` / ``pg_restore``) brings back every history
    row exactly: each historical table's rows hash the same in the restored database.
    (A reviewer's edit: an editor's change to a published figure would wait as a proposal.)"""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL backup")
    client = signed_in(reviewer)
    url = reverse("admin:indicators_figure_change", args=[FIGURE])
    client.post(url, changeform_data(client.get(url), value="68", change_reason="Newer"))
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    target = f"{settings['NAME']}_restored"
    common = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    common += ["-U", settings["USER"] or "postgres"]
    archive = tmp_path / "backup.dump"
    subprocess.run(
        ["pg_dump", "-Fc", "-f", str(archive), *common, settings["NAME"]], check=True, env=env
    )
    subprocess.run(["dropdb", "--if-exists", *common, target], check=True, env=env)
    subprocess.run(["createdb", *common, target], check=True, env=env)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "-d", target, *common, str(archive)], check=True, env=env
        )
        tables = [
            model.history.model._meta.db_table for model in (Figure, Indicator, Commitment, Source)
        ]

        def fingerprint(database):
            with psycopg.connect(
                host=common[1], port=common[3], user=common[5], dbname=database
            ) as db:
                return {
                    table: db.execute(
                        f"SELECT count(*), md5(string_agg(t::text, '|' ORDER BY history_id)) "
                        f"FROM {table} t"
                    ).fetchone()
                    for table in tables
                }

        original = fingerprint(settings["NAME"])
        assert original[tables[0]][0] >= 14
        assert fingerprint(target) == original
    finally:
        subprocess.run(["dropdb", "--if-exists", *common, target], check=True, env=env)
