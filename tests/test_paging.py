"""Deep pages of the figures list found through the count of each indicator's figures
(``sco_tracker/tracking/paging.py``): the same rows, in the same order, as walking the
whole sorted list, on every page and with filters; the same queries for page 3 as for
page 1; other sorts walk the list as before."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Figure
from meetings.models import Country, Source
from tests.factories import CountryFactory, FigureFactory, IndicatorFactory

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def many_figures(seed):
    """About 150 more public figures over five indicators, two of them with the same
    name, in two countries; a few drafts among them."""
    source = Source.objects.get(pk=1)
    countries = [Country.objects.get(code="KZ"), CountryFactory(code="QQ", name_en="Qland")]
    indicators = [
        IndicatorFactory(state="published", name_en=name)
        for name in ("Alpha exports", "Twin name", "Twin name", "Zeta imports", "Mid transit")
    ]
    sizes = (61, 7, 33, 1, 48)
    for indicator, size in zip(indicators, sizes, strict=True):
        for n in range(size):
            FigureFactory(
                indicator=indicator,
                country=countries[n % 2],
                source=source,
                state="draft" if n % 10 == 9 else "published",
            )
    return indicators


def ids(client, **params) -> list[int]:
    """Every figure id of the list, page after page, as the JSON export gives them."""
    found, page = [], 1
    while True:
        body = client.get("/figures/", {"format": "json", "page": page, **params}).json()
        found += [row["id"] for row in body["results"]]
        if not body["next"]:
            return found
        page += 1


def walked(**filters) -> list[int]:
    """The public figures in the list's order, read whole."""
    figures = Figure.objects.published().filter(**filters).order_by(*Figure._meta.ordering)
    return list(figures.values_list("id", flat=True))


def test_every_page_holds_the_rows_the_sorted_list_has_there(client, many_figures):
    expected = walked()
    assert len(expected) > 120
    assert ids(client) == expected
    assert ids(client, per_page=100) == expected
    assert ids(client, country="QQ") == walked(country__code="QQ")
    assert ids(client, q="Twin") == walked(indicator__name_en="Twin name")
    body = client.get("/figures/", {"format": "json", "page": 99}).json()
    assert body["page"] == body["pages"] and body["count"] == len(expected)


def test_other_sorts_walk_the_list(client, many_figures):
    by_period = ids(client, sort="-period")
    assert sorted(by_period) == sorted(walked()) and by_period != walked()
    periods = dict(Figure.objects.values_list("id", "period_end"))
    dated = [periods[pk] for pk in by_period if periods[pk] is not None]
    assert dated == sorted(dated, reverse=True)


def test_a_deep_page_reads_what_the_first_does(client, many_figures):
    client.get("/figures/")  # the counts of each indicator, kept until the next change
    counts = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/figures/", {"page": page}).status_code == 200
        counts.append(len(queries.captured_queries))
        sql = " ".join(query["sql"] for query in queries.captured_queries)
        # Only the indicators the page spans are read, and nothing is counted again.
        assert re.search(r'"indicator_id" IN \(\d', sql), sql
        assert '"__count"' not in sql and 'AS "rows"' not in sql
    assert counts[0] == counts[1] == counts[2]
    assert 'aria-current="page">3<' in client.get("/figures/", {"page": 3}).content.decode()


def test_pages_as_of_a_moment_hold_the_rows_of_the_snapshot(client, many_figures):
    """As of a moment, pages come from the snapshot's own counts per indicator: every
    page holds what walking the whole snapshot gives there; figures created later are not
    in it."""
    from django.utils import timezone

    from sco_tracker.tracking.recording import revision

    moment = timezone.now()
    later = Figure.objects.filter(state="published", indicator__name_en="Alpha exports")[:3]
    for figure in later:
        figure.value += 1
        with revision(reason="Corrected later"):
            figure.save()
    FigureFactory(indicator=many_figures[0], state="published", source=Source.objects.get(pk=1))
    snapshot = Figure.history.as_of(moment)  # simple-history's own time travel, for contrast
    expected_ids = {figure.pk for figure in snapshot if figure.state == "published"} & set(walked())
    paged = ids(client, as_of=moment.isoformat())
    assert len(paged) == len(set(paged))  # no row twice
    assert set(paged) == expected_ids
    sorted_as_listed = walked(pk__in=expected_ids)
    assert paged == sorted_as_listed
    with CaptureQueriesContext(connection) as queries:
        client.get("/figures/", {"as_of": moment.isoformat(), "page": 2})
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert re.search(r'historicalfigure"\."indicator_id" IN \(\d', sql), sql
