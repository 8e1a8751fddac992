"""Page cost does not grow with the data: every public page, and the admin change list,
search, change form and history, runs the same number of queries with the seed data and
with several times more records and revisions (issue 11). Counts, never wall time."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.models import Figure, Indicator
from meetings.models import Country
from sco_tracker.tracking.recording import revision
from tests.factories import IndicatorFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.usefixtures("seed")

PUBLIC_PAGES = [
    "/",
    "/figures/",
    "/figures/?page=2&per_page=10",
    "/figures/?country=KZ&year=2024",
    "/figures/?q=trade",
    "/figures/?sort=-value",
    "/figures/?format=csv",
    "/figures/?format=json",
    "/figures/3/",
    "/figures/3/history/",
    "/indicators/",
    "/indicators/trade-with-sco-members/",
    "/meetings/",
    "/meetings/chg-24-moscow-2025/",
    "/commitments/",
    "/commitments/6/",
    "/compliance/",
    "/countries/KZ/",
    "/sources/1/",
    "/ru/figures/",
]
ADMIN_PAGES = [
    "/admin/indicators/figure/",
    "/admin/indicators/figure/?q=trade",
    "/admin/indicators/figure/?country__id__exact=1",
    "/admin/indicators/figure/3/change/",
    "/admin/indicators/figure/3/history/",
    "/admin/indicators/indicator/",
    "/admin/meetings/commitment/",
]


def grow(figures: int = 120, revisions: int = 3) -> None:
    """More of everything a page reads: published indicators, figures for the seed's
    countries and the seed's indicator, each figure revised several times."""
    user = UserFactory(username="grower", is_staff=True)
    source = SourceFactory(text="Товарооборот превысил $10 млрд. " * 3)
    countries = list(Country.objects.filter(code__in=["KZ", "KG", "RU", "CN", "UZ", "TJ"]))
    indicators = [IndicatorFactory(state="published") for _ in range(4)]
    indicators.append(Indicator.objects.get(slug="trade-with-sco-members"))
    created = []
    with revision(user=user, reason="More data"):
        for n in range(figures):
            start = datetime.date(1950 + n // len(countries), 1, 1)
            created.append(
                Figure.objects.create(
                    indicator=indicators[n % len(indicators)],
                    country=countries[n % len(countries)],
                    scope="country",
                    as_stated="более $10 млрд",
                    comparator="more_than",
                    value=Decimal("10"),
                    unit_multiplier=9,
                    unit="USD",
                    period_start=start,
                    period_end=start.replace(month=12, day=31),
                    period_label=str(start.year),
                    source=source,
                    quote="Товарооборот превысил $10 млрд.",
                    state="published",
                )
            )
    for step in range(1, revisions):
        with revision(user=user, reason=f"Revised, step {step}"):
            for figure in created:
                figure.value += Decimal("1.5")
                figure.save()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def counts(client, urls) -> dict[str, int]:
    for url in urls:  # once to warm per-process caches (content types, permissions)
        count_queries(client, url)
    return {url: count_queries(client, url) for url in urls}


def test_public_pages_cost_the_same_with_more_data(client):
    # Time travel to the seed's moment: after grow() the same records, more history.
    moment = timezone.now().isoformat()
    pages = [*PUBLIC_PAGES, f"/figures/?as_of={moment}", f"/figures/3/?as_of={moment}"]
    pages = [page.replace("+", "%2B") for page in pages]
    before = counts(client, pages)
    grow()
    after = counts(client, pages)
    assert after == before
    assert Figure.objects.published().count() > 100


def test_admin_pages_cost_the_same_with_more_data(superuser_client):
    before = counts(superuser_client, ADMIN_PAGES)
    grow()
    after = counts(superuser_client, ADMIN_PAGES)
    assert after == before
    assert all(count <= 20 for count in after.values()), after


def test_the_figure_changelist_runs_no_facet_counts_unless_asked(superuser_client):
    """Facets are one aggregate per filter over the whole table: only on request."""
    plain = count_queries(superuser_client, "/admin/indicators/figure/")
    with_facets = count_queries(superuser_client, "/admin/indicators/figure/?_facets=True")
    assert with_facets > plain


def test_the_home_pages_key_indicators_are_read_once_until_a_public_change(client, reviewer):
    """The costly count behind "key indicators" is cached, and a publication shows at once."""
    cache.clear()
    first = count_queries(client, "/")
    assert count_queries(client, "/") < first
    indicator = IndicatorFactory(state="published", name_en="Freshly published indicator")
    source = SourceFactory(text="Товарооборот превысил $10 млрд. " * 3)
    with revision(user=reviewer, reason="Many figures"):
        for year in range(1990, 2010):
            Figure.objects.create(
                indicator=indicator,
                scope="sco",
                as_stated="более $10 млрд",
                comparator="more_than",
                value=Decimal("10"),
                unit_multiplier=9,
                unit="USD",
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                period_label=str(year),
                source=source,
                quote="Товарооборот превысил $10 млрд.",
                state="published",
            )
    assert "Freshly published indicator" in client.get("/").content.decode()


def statements(block) -> list[str]:
    """The SQL statements ``block()`` runs, savepoints left out."""
    with CaptureQueriesContext(connection) as queries:
        block()
    return [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]


def test_a_save_with_history_adds_only_what_the_revision_needs(reviewer):
    """Beside the save itself: the latest revision (is this a real change?), one check per
    distinct public parent (is the revision public?), and the revision's insert. The
    record and its previous revision name the same parents: each is asked about once."""
    from sco_tracker.tracking.recording import restoring

    figure = Figure.objects.published().filter(meeting__isnull=False).first()
    figure = Figure.objects.select_related("indicator").get(pk=figure.pk)

    def plain_save():
        with restoring():  # no revision noted, none written: the save alone
            figure.note = "Saved without a revision"
            figure.save()

    def tracked_save():
        with revision(user=reviewer, reason="Saved with a revision"):
            figure.note = "Saved with a revision"
            figure.save()

    plain, tracked = statements(plain_save), statements(tracked_save)
    added = tracked[len(plain) :]
    parents = ["indicators_indicator", "meetings_meeting"]
    assert len(tracked) == len(plain) + 1 + len(parents) + 1, added
    assert "indicators_historicalfigure" in added[0] and added[0].startswith("SELECT")
    assert [table for table in parents if any(table in sql for sql in added[1:-1])] == parents
    assert added[-1].startswith("INSERT INTO") and "historicalfigure" in added[-1]
    assert figure.history.first().history_change_reason == "Saved with a revision"


def test_a_csv_export_reads_its_revision_info_with_its_rows(client, monkeypatch):
    """However many chunks a CSV streams in, its queries stay the same: each row's revision
    count and date come in the rows' own query, not one more query per chunk."""
    from sco_tracker.tracking import exports

    monkeypatch.setattr(exports, "CSV_CHUNK", 5)
    few = count_queries(client, "/figures/?format=csv&per_page=10")
    grow(figures=30, revisions=2)
    many = count_queries(client, "/figures/?format=csv")
    rows = client.get("/figures/?format=csv")
    lines = b"".join(rows.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) > 6 * exports.CSV_CHUNK
    assert many == few
