"""Public pages over HTTP: every page, every filter, every export, every bad input."""

import csv
import io
import json
import re

import pytest
from django.urls import NoReverseMatch, reverse

from indicators.models import Figure, Indicator
from meetings.models import Commitment, Meeting
from sco_tracker.tracking.recording import revision
from tests.factories import FigureFactory

pytestmark = pytest.mark.usefixtures("seed")

FIGURES = reverse("indicators:figure_list")
MEETINGS = reverse("meetings:meeting_list")
COMMITMENTS = reverse("meetings:commitment_list")
INDICATORS = reverse("indicators:indicator_list")


def listed_ids(client, url, **params):
    """Ids of the rows a list shows, read from its JSON export (which mirrors the page)."""
    response = client.get(url, {**params, "format": "json", "per_page": 200})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def figure_ids(**lookups):
    return set(Figure.objects.filter(**lookups).values_list("pk", flat=True))


# --- every page ---------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/ru"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/meetings/",
        "/meetings/chg-24-moscow-2025/",
        "/meetings/chs-tianjin-2025/",
        "/commitments/",
        "/commitments/6/",
        "/indicators/",
        "/indicators/trade-with-sco-members/",
        "/indicators/customs-release-time/",
        "/figures/",
        "/figures/3/",
        "/figures/9/",
    ],
)
def test_pages_render_in_both_languages(client, prefix, path):
    response = client.get(prefix + path)
    assert response.status_code == 200
    language = "ru" if prefix else "en"
    assert response.headers["Content-Language"] == language
    assert f'<html lang="{language}">' in response.content.decode()


def test_russian_pages_are_in_russian(client):
    page = client.get("/ru/figures/3/").content.decode()
    assert "Товарооборот с государствами — членами ШОС" in page
    assert "Казахстан" in page
    assert "более 67 млрд USD" in page  # the Russian phrase, not a symbol
    assert "2024 год" in page  # the Russian period label
    english = client.get("/figures/3/").content.decode()
    assert "&gt; 67 billion USD" in english


def test_language_switcher_keeps_the_page_and_filters(client):
    page = client.get("/figures/?country=KZ&year=2024").content.decode()
    assert 'href="/ru/figures/?country=KZ&amp;year=2024"' in page
    page = client.get("/ru/figures/?country=KZ").content.decode()
    assert 'href="/figures/?country=KZ"' in page


def test_home_shows_meetings_revised_figures_and_indicators(client):
    figure = Figure.objects.get(indicator__slug="trade-with-sco-members")
    figure.value = 68
    with revision(reason="newer release"):
        figure.save()
    page = client.get("/").content.decode()
    assert "24th meeting of the SCO Council of Heads of Government" in page
    assert "SCO Council of Heads of State summit in Tianjin" in page
    recent = page[page.index("Recently revised figures") :]
    assert recent.index("&gt; 68 billion USD") < recent.index("</ul>")
    assert "Key indicators" in page


def test_figure_page_shows_the_number_as_stated_and_normalised(client):
    figure = Figure.objects.get(indicator__slug="trade-with-sco-members")
    page = client.get(figure.get_absolute_url()).content.decode()
    assert "превысил $67 млрд" in page
    assert "67,000,000,000" in page  # normalised, grouped
    assert "more than" in page
    assert "2024" in page
    assert figure.quote in page
    assert "1 revision" in page
    assert reverse("indicators:figure_history", args=[figure.pk]) in page


def test_figure_page_shows_the_base(client):
    customs = Figure.objects.get(indicator__slug="customs-release-time")
    page = client.get(customs.get_absolute_url()).content.decode()
    assert "From (base value)" in page
    assert "5 h" in page
    assert "before “Smart Customs”" in page


def test_meeting_page_has_everything_the_sources_say(client):
    page = client.get("/meetings/chg-24-moscow-2025/").content.decode()
    for text in [
        "Moscow",
        "Mikhail Mishustin",
        "Chairman of the Government of the Russian Federation",
        "Narrow format",
        "Expanded format",
        "Collective meeting with President Vladimir Putin",
        "Olzhas Bektenov",
        "Prime Minister of the Republic of Kazakhstan",
        "Establish the SCO Development Bank",
        "27.5 million t",
        "A number of documents on multilateral trade",
        "Water resources",
    ]:
        assert text in page, text


def test_commitment_page_shows_status_timeline_and_quotes(client):
    commitment = Commitment.objects.get(pk=6)
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Status over time" in page
    assert "proposed" in page
    assert "Seed data: fixtures/03_commitments.json" in page
    for quote in commitment.quotes.all():
        assert quote.quote in page


def test_indicator_page_charts_with_comparators(client):
    page = client.get("/indicators/trade-with-sco-members/").content.decode()
    assert "<svg" in page
    assert "&gt; 67</text>" in page
    visitors = client.get("/indicators/visitors-from-sco/").content.decode()
    assert "≈ 8</text>" in visitors
    assert "?indicator=visitors-from-sco&amp;format=csv" in visitors


def test_indicator_without_dated_figures_explains_the_missing_chart(client):
    page = client.get("/indicators/customs-release-time/").content.decode()
    assert "<svg viewBox" not in page
    assert "No figure of this indicator has a dated period" in page


def test_missing_records_are_404(client):
    for url in ["/figures/999/", "/meetings/nope/", "/commitments/999/", "/indicators/nope/"]:
        assert client.get(url).status_code == 404
        assert client.get("/ru" + url).status_code == 404


# --- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "lookups"),
    [
        ({"indicator": "trade-with-sco-members"}, {"indicator__slug": "trade-with-sco-members"}),
        ({"country": "KZ"}, {"country__code": "KZ"}),
        ({"country": "kg"}, {"country__code": "KG"}),
        ({"country": "SCO"}, {"scope": "sco"}),
        ({"country": "WORLD"}, {"scope": "world"}),
        ({"comparator": "approximately"}, {"comparator": "approximately"}),
        ({"year": "2024"}, {"period_start__year__lte": 2024, "period_end__year__gte": 2024}),
        ({"source": "2"}, {"source": 2}),
        ({"country": "KZ", "year": "2024"}, {"country__code": "KZ", "period_end__year": 2024}),
    ],
)
def test_figure_filters(client, params, lookups):
    expected = figure_ids(**lookups)
    assert expected, "each filter is checked against a non-empty selection"
    assert expected != figure_ids(), "…which is narrower than everything"
    assert listed_ids(client, FIGURES, **params) == expected


def test_figure_meeting_filter(client):
    assert listed_ids(client, FIGURES, meeting="chg-24-moscow-2025") == figure_ids()
    assert listed_ids(client, FIGURES, meeting="chs-tianjin-2025") == set()


def test_figure_year_filter_uses_period_overlap(client):
    # The 2001–2025 figure overlaps 2010; figures with no dated period never match a year.
    assert listed_ids(client, FIGURES, year="2010") == figure_ids(
        indicator__slug="sco-share-of-world-economy-growth"
    )


@pytest.mark.parametrize(
    ("query", "expected_slugs"),
    [
        ("Kyrgyzstan visitors", {"visitors-from-sco"}),
        ("Умная таможня", {"customs-release-time"}),
        ("World Bank", {"world-trade-growth-belt-and-road"}),
        ("млн тонн", {"transit-freight", "transit-freight-growth"}),
    ],
)
def test_figure_search(client, query, expected_slugs):
    ids = listed_ids(client, FIGURES, q=query)
    assert set(Figure.objects.filter(pk__in=ids).values_list("indicator__slug", flat=True)) == (
        expected_slugs
    )


def test_figure_sorting(client):
    def order(sort):
        response = client.get(FIGURES, {"sort": sort, "format": "json"})
        return [row["id"] for row in response.json()["results"]]

    by_value = order("-value")
    assert by_value[0] == Figure.objects.get(indicator__slug="intra-sco-trade").pk  # $1 trn
    assert order("value")[-1] == by_value[0]
    dated = [pk for pk in order("period") if Figure.objects.get(pk=pk).period_end]
    ends = [Figure.objects.get(pk=pk).period_end for pk in dated]
    assert ends == sorted(ends)
    figure = Figure.objects.get(indicator__slug="transit-freight")
    figure.value = 28
    with revision(reason="newest"):
        figure.save()
    assert order("-revised")[0] == figure.pk


@pytest.mark.parametrize(
    ("params", "expected_slugs"),
    [
        ({"body": "heads_of_state"}, {"chs-tianjin-2025"}),
        ({"year": "2025"}, {"chs-tianjin-2025", "chg-24-moscow-2025"}),
        ({"year": "2024"}, set()),
        ({"host": "RU"}, {"chg-24-moscow-2025"}),
        ({"host": "CN"}, {"chs-tianjin-2025"}),
        ({"country": "KG"}, {"chg-24-moscow-2025"}),
        ({"country": "KZ"}, {"chs-tianjin-2025", "chg-24-moscow-2025"}),
        ({"topic": "water"}, {"chg-24-moscow-2025"}),
        ({"q": "China"}, {"chs-tianjin-2025"}),
        ({"q": "Москва"}, {"chg-24-moscow-2025"}),
    ],
)
def test_meeting_filters(client, params, expected_slugs):
    ids = listed_ids(client, MEETINGS, **params)
    assert set(Meeting.objects.filter(pk__in=ids).values_list("slug", flat=True)) == expected_slugs


def test_meeting_sort_by_date(client):
    def slugs(sort):
        return [
            r["slug"]
            for r in client.get(MEETINGS, {"sort": sort, "format": "json"}).json()["results"]
        ]

    assert slugs("date") == ["chs-tianjin-2025", "chg-24-moscow-2025"]
    assert slugs("-date") == ["chg-24-moscow-2025", "chs-tianjin-2025"]


@pytest.mark.parametrize(
    ("params", "lookups"),
    [
        ({"status": "achieved"}, {"status": "achieved"}),
        ({"country": "CN"}, {"countries__code": "CN"}),
        ({"topic": "transport"}, {"topic__slug": "transport"}),
        ({"kind": "pledge"}, {"kind": "pledge"}),
        ({"meeting": "chs-tianjin-2025"}, {"meeting__slug": "chs-tianjin-2025"}),
        ({"q": "Development Bank"}, {"title_en__contains": "Development Bank"}),
        ({"q": "Барскоон"}, {"quotes__quote__contains": "Барскоон"}),
    ],
)
def test_commitment_filters(client, params, lookups):
    expected = set(Commitment.objects.filter(**lookups).values_list("pk", flat=True))
    assert expected and expected != set(Commitment.objects.values_list("pk", flat=True))
    assert listed_ids(client, COMMITMENTS, **params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"kind": "share"},
            {"sco-share-of-world-economy", "sco-share-of-trade", "sco-share-of-world-gdp"},
        ),
        (
            {"topic": "transport"},
            {"railway-corridors", "transit-freight", "transit-freight-growth"},
        ),
        ({"country": "WORLD"}, {"world-trade-growth-belt-and-road"}),
        ({"country": "KG", "kind": "share"}, {"sco-share-of-trade"}),
        ({"q": "transit"}, {"transit-freight", "transit-freight-growth"}),
    ],
)
def test_indicator_filters(client, params, expected):
    rows = client.get(INDICATORS, {**params, "format": "json"}).json()["results"]
    assert {row["slug"] for row in rows} == expected


def test_filter_state_is_in_the_url_and_can_be_cleared(client):
    page = client.get(FIGURES, {"country": "KZ"}).content.decode()
    assert '<option value="KZ" selected>' in page
    assert "Clear filters" in page
    assert f"{len(figure_ids(country__code='KZ'))} results" in page
    assert "Clear filters" not in client.get(FIGURES).content.decode()


# --- pagination and exports ---------------------------------------------------------------


def test_pagination_json_shape(client):
    response = client.get(FIGURES, {"format": "json", "per_page": 5, "page": 2})
    body = response.json()
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert (body["count"], body["page"], body["pages"]) == (13, 2, 3)
    assert body["next"].endswith("page=3") and "format=json" in body["next"]
    assert "page=1" in body["previous"]
    assert len(body["results"]) == 5


def test_page_past_the_end_shows_the_last_page(client):
    body = client.get(FIGURES, {"format": "json", "per_page": 5, "page": 99}).json()
    assert body["page"] == 3
    assert len(body["results"]) == 3
    assert client.get(FIGURES, {"page": 99}).status_code == 200


def test_figure_json_row(client):
    body = client.get(FIGURES, {"format": "json", "indicator": "trade-with-sco-members"}).json()
    (row,) = body["results"]
    figure = Figure.objects.get(indicator__slug="trade-with-sco-members")
    assert row == {
        "id": figure.pk,
        "url": f"http://testserver/figures/{figure.pk}/",
        "indicator": "trade-with-sco-members",
        "indicator_name": "Trade turnover with SCO member states",
        "scope": "country",
        "country": "KZ",
        "value": "67",
        "unit_multiplier": 9,
        "unit": "USD",
        "comparator": "more_than",
        "comparator_words": "more than",
        "value_as_read": "> 67 billion USD",
        "observation_status": "actual",
        "fraction": None,
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "period_label": "2024",
        "period_label_ru": "2024 год",
        "base_value": None,
        "base_period_start": None,
        "base_period_end": None,
        "base_period_label": "",
        "as_stated": "превысил $67 млрд",
        "quote": figure.quote,
        "quote_verified": True,
        "note": figure.note,
        "note_ru": figure.note_ru,
        "stated_by": None,
        "estimate_by": None,
        "meeting": "chg-24-moscow-2025",
        "meeting_title": "24th meeting of the SCO Council of Heads of Government",
        "source_title": figure.source.title,
        "source_publisher": "Правительство Республики Казахстан",
        "source_published_on": None,
        "source_url": None,
        "source_page": f"http://testserver/sources/{figure.source_id}/",
        "revisions": 1,
        "last_revised": figure.history.get().history_date.isoformat(),
    }


def test_sco_figure_has_null_country(client):
    body = client.get(FIGURES, {"format": "json", "country": "SCO"}).json()
    assert body["results"] and all(row["country"] is None for row in body["results"])


def test_csv_streams_every_matching_row_with_a_header(client):
    response = client.get(FIGURES, {"format": "csv", "country": "KZ"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="sco-figures-kz.csv"' in response["Content-Disposition"]
    assert b"".join(client.get(FIGURES, {"format": "csv"}).streaming_content)[:3] == (
        b"\xef\xbb\xbf"  # a byte-order mark: spreadsheets read the file as UTF-8
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {int(row["id"]) for row in rows} == figure_ids(country__code="KZ")
    trade = next(row for row in rows if row["indicator"] == "trade-with-sco-members")
    assert (trade["value"], trade["unit_multiplier"], trade["comparator"]) == (
        "67",
        "9",
        "more_than",
    )
    assert trade["as_stated"] == "превысил $67 млрд"
    assert trade["country"] == "KZ"


def test_csv_ignores_pagination_and_exports_all(client):
    response = client.get(FIGURES, {"format": "csv", "per_page": 2, "page": 3})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + Figure.objects.count()


def test_exports_match_the_page(client):
    params = {"country": "KG", "sort": "-value"}
    page = client.get(FIGURES, params).content.decode()
    json_rows = client.get(FIGURES, {**params, "format": "json"}).json()["results"]
    csv_text = b"".join(client.get(FIGURES, {**params, "format": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    csv_ids = [int(row["id"]) for row in csv.DictReader(io.StringIO(csv_text))]
    assert [row["id"] for row in json_rows] == csv_ids
    positions = [page.index(f'href="/figures/{pk}/"') for pk in csv_ids]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("url", "columns"),
    [
        (
            MEETINGS,
            {"slug", "body", "host_country", "countries", "topics", "revisions", "last_revised"},
        ),
        (COMMITMENTS, {"title", "status", "kind", "countries", "quotes", "meeting", "revisions"}),
        (INDICATORS, {"slug", "name", "measure_kind", "default_unit", "figures", "last_revised"}),
    ],
)
def test_other_exports(client, url, columns):
    csv_text = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(csv_text)))
    assert columns <= set(header)
    body = client.get(url, {"format": "json"}).json()
    assert body["count"] == len(body["results"]) > 0
    assert columns <= set(body["results"][0])


def test_commitment_export_lists(client):
    body = client.get(COMMITMENTS, {"format": "json", "q": "Development Bank"}).json()
    (row,) = body["results"]
    assert row["countries"] == ["KZ", "KG"] or sorted(row["countries"]) == ["KG", "KZ"]
    assert len(row["quotes"]) == 2
    csv_text = b"".join(
        client.get(COMMITMENTS, {"format": "csv", "q": "Development Bank"}).streaming_content
    ).decode("utf-8-sig")
    (csv_row,) = list(csv.DictReader(io.StringIO(csv_text)))
    assert sorted(csv_row["countries"].split("; ")) == ["KG", "KZ"]


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        (FIGURES, {"indicator": "no-such-indicator"}, "Select a valid choice"),
        (FIGURES, {"country": "XX"}, "Select a valid choice"),
        (FIGURES, {"year": "abc"}, "Enter a whole number."),
        (FIGURES, {"year": "99999"}, "less than or equal to 2100"),
        (FIGURES, {"page": "-1"}, "Pages start at 1."),
        (FIGURES, {"page": "abc"}, "The page must be a whole number."),
        (FIGURES, {"per_page": "100000"}, "Show at most 200 results per page."),
        (FIGURES, {"per_page": "0"}, "Show at least 1 result per page."),
        (FIGURES, {"format": "xml"}, "Unknown format “xml”: use csv, json or datapackage."),
        (FIGURES, {"q": "x" * 10_000}, "at most 200 characters"),
        (FIGURES, {"sort": "password"}, "Select a valid choice"),
        (MEETINGS, {"body": "politburo"}, "Select a valid choice"),
        (MEETINGS, {"topic": "nope"}, "Select a valid choice"),
        (COMMITMENTS, {"status": "done"}, "Select a valid choice"),
        (COMMITMENTS, {"meeting": "nope"}, "Select a valid choice"),
        (INDICATORS, {"kind": "vibes"}, "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_message_not_everything(client, url, params, message):
    response = client.get(url, params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "This address asks for something we cannot show" in page
    assert 'class="data-table"' not in page and 'class="card-list"' not in page


@pytest.mark.parametrize(
    "params",
    [
        {"indicator": "nope"},
        {"year": "abc"},
        {"page": "-1"},
        {"per_page": "100000"},
        {"q": "x" * 10_000},
    ],
)
@pytest.mark.parametrize("output", ["csv", "json"])
def test_bad_input_on_exports_is_400(client, params, output):
    response = client.get(FIGURES, {**params, "format": output})
    assert response.status_code == 400
    errors = json.loads(response.content)["errors"]
    assert errors


def test_sql_looking_values_are_harmless(client):
    for value in ["' OR 1=1 --", "1; DROP TABLE indicators_figure", '"><script>alert(1)</script>']:
        for key in ["q", "indicator", "country", "year", "sort"]:
            response = client.get(FIGURES, {key: value})
            assert response.status_code in (200, 400)
            assert "<script>alert(1)</script>" not in response.content.decode()
    assert Figure.objects.count() == 13


# --- queries ------------------------------------------------------------------------------


@pytest.fixture
def many_figures(db):
    FigureFactory.create_batch(200)


@pytest.mark.parametrize("per_page", [10, 200])
@pytest.mark.parametrize("output", ["html", "json"])
def test_figure_list_queries_do_not_grow_with_page_size(
    client, many_figures, django_assert_max_num_queries, per_page, output
):
    with django_assert_max_num_queries(12):
        response = client.get(FIGURES, {"per_page": per_page, "format": output})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/",
        MEETINGS + "?per_page=200",
        COMMITMENTS + "?per_page=200",
        INDICATORS + "?per_page=200",
        "/indicators/trade-with-sco-members/",
        "/meetings/chg-24-moscow-2025/",
        "/commitments/6/",
        "/figures/3/",
    ],
)
def test_other_pages_use_a_fixed_number_of_queries(
    client, many_figures, django_assert_max_num_queries, url
):
    with django_assert_max_num_queries(16):  # the meeting page: 15 (its parts, the citation)
        assert client.get(url).status_code == 200


def test_search_queries_are_bounded(client, many_figures, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(FIGURES, {"q": "Kazakhstan trade 2024 turnover more"}).status_code == 200


@pytest.mark.parametrize(
    ("page", "history"),
    [
        ("/meetings/chg-24-moscow-2025/", "/meetings/chg-24-moscow-2025/history/"),
        ("/commitments/6/", "/commitments/6/history/"),
        ("/indicators/transit-freight/", "/indicators/transit-freight/history/"),
        ("/figures/3/", "/figures/3/history/"),
    ],
)
def test_detail_pages_link_their_history(client, page, history):
    assert f'href="{history}"' in client.get(page).content.decode()
    assert client.get(history).status_code == 200


@pytest.mark.parametrize(
    ("path", "list_path"),
    [
        ("/meetings/chg-24-moscow-2025/", "/meetings/"),
        ("/commitments/6/", "/commitments/"),
    ],
)
def test_meeting_and_commitment_pages_cite_themselves_and_answer_json(client, path, list_path):
    """A permanent link to the version shown, a citation, and ``?format=json`` with the
    fields of the list's export."""
    page = client.get(path).content.decode()
    assert "Cite this" in page
    assert "SCO Tracker, revision of" in page
    assert f"http://testserver{path}?as_of=" in page
    record = client.get(path, {"format": "json"}).json()
    rows = client.get(list_path, {"format": "json", "per_page": 200}).json()["results"]
    (row,) = [row for row in rows if row["id"] == record["id"]]
    assert record == row
    assert client.get(path, {"format": "xml"}).status_code == 404


def test_indicator_page_answers_json_with_the_list_exports_fields(client):
    """``?format=json`` on an indicator's page: its row of the indicator export (figures
    counted as the list counts them), now and as of a past moment; drafts never count."""
    path = "/indicators/transit-freight/"
    record = client.get(path, {"format": "json"}).json()
    rows = client.get("/indicators/", {"format": "json", "per_page": 200}).json()["results"]
    (row,) = [row for row in rows if row["id"] == record["id"]]
    assert record == row and record["figures"] >= 1
    assert 'href="/indicators/transit-freight/?format=json"' in client.get(path).content.decode()
    FigureFactory(indicator=Indicator.objects.get(slug="transit-freight"))  # a draft
    assert client.get(path, {"format": "json"}).json()["figures"] == record["figures"]
    assert client.get(path, {"format": "xml"}).status_code == 404
    assert client.get(path, {"format": "json", "as_of": "2020-01-01"}).status_code == 404


def test_the_pagination_bar_lists_only_the_pages_it_shows():
    """First, last and two each side of the current page, gaps marked: a list of 2,000
    pages renders a handful of links, not a loop over 2,000 numbers."""
    from django.core.paginator import Paginator
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    paginator = Paginator(range(100_000), 50)
    bar = Template('{% include "tracking/includes/pagination.html" %}')
    request = RequestFactory().get("/figures/", {"page": 1000, "country": "KZ"})
    html = bar.render(RequestContext(request, {"page_obj": paginator.page(1000)}))
    links = re.findall(r'href="\?page=(\d+)&amp;country=KZ"', html)
    assert links == ["999", "1", "998", "999", "1001", "1002", "2000", "1001"]
    assert html.count('class="ellipsis"') == 2
    assert '<span aria-current="page">1000</span>' in html
    first = bar.render(RequestContext(request, {"page_obj": paginator.page(1)}))
    assert re.findall(r"page=(\d+)", first) == ["2", "3", "2000", "2"]


@pytest.mark.parametrize(
    ("path", "warm"),
    [
        # The page's rows are read again; its four menus and its count are not.
        ("/figures/", lambda cold: cold - 5),
        # Nothing but the moment of the latest public change: the page is kept whole.
        ("/changes/", lambda cold: 1),
    ],
)
def test_menus_are_kept_until_the_next_public_change(client, path, warm):
    """The record menus (indicators, countries, meetings, sources…), the list's count and
    ``/changes/``'s described page are read once and kept until a public revision: a
    second visit reads none of them, and a record made public in between is in the
    menu at once; a draft never is."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CountryFactory, IndicatorFactory

    def visit():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path).content.decode()
        return page, len(queries.captured_queries)

    _page, first = visit()
    assert visit()[1] == warm(first) < first
    draft = IndicatorFactory(name_en="Draft indicator of tea exports")
    IndicatorFactory(state="published", name_en="Tea exports, published")
    CountryFactory(code="ZZ", name_en="Zedland")
    page, third = visit()
    assert third > warm(first)  # read again
    assert '<option value="ZZ">Zedland</option>' in page
    assert draft.name_en not in page
    assert ">Tea exports, published</option>" in page
    assert visit()[1] == warm(third)


def test_the_kept_count_follows_every_public_change(client, reviewer):
    """The figures list's count, kept between visits, is the count of the moment: a
    figure published or withdrawn changes it at once, a draft never does."""
    from sco_tracker.tracking.workflow import transition

    def count():
        return client.get("/figures/", {"format": "json", "country": "KZ"}).json()["count"]

    before = count()
    assert count() == before
    kazakhstan = Figure.objects.filter(country__code="KZ").first().country
    FigureFactory(country=kazakhstan, scope="country")  # a draft
    assert count() == before
    published = FigureFactory(
        country=kazakhstan, scope="country", state="published", indicator__state="published"
    )
    assert count() == before + 1
    transition(published, to_state="withdrawn", user=reviewer, reason="Checking the source")
    assert count() == before


@pytest.mark.parametrize(
    ("url_name", "value"),
    [
        ("indicators:figure_detail", 3),
        ("indicators:indicator_detail", "trade-with-sco-members"),
        ("meetings:meeting_detail", "chg-24-moscow-2025"),
        ("meetings:country_detail", "KZ"),  # a pattern of its own: reverse() each time
    ],
)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_record_addresses_are_what_reverse_gives(url_name, value, language):
    """Lists and exports build each record's address from its route reversed once."""
    from django.utils import translation

    from sco_tracker.tracking.options import record_url

    with translation.override(language):
        assert record_url(url_name, value) == reverse(url_name, args=[value])
        assert record_url(url_name, value).startswith("/ru/" if language == "ru" else "/")
        with pytest.raises(NoReverseMatch):  # not a slug: refused, as by reverse()
            record_url("meetings:meeting_detail", "встреча")


def test_a_kept_menu_renders_as_if_written_afresh():
    """A menu's options are written once, when it is kept; a page marks the chosen one.
    The result is what writing every option again gives, escaping included."""
    from sco_tracker.tracking.filters import Menu, QuickSelect

    menu = Menu([("kz", "Kazakhstan"), ("kg", 'Kyrgyzstan <b>"'), ("ru", "Russia")])
    cases = [
        ([("", "All"), ("sco", "SCO as a whole"), *menu], "kg"),
        ([("", "All"), ("sco", "SCO as a whole"), *menu], "sco"),
        ([("", "All"), *menu], ""),
        ([("", "All"), *menu, ("null", "None")], "ru"),  # not ending with the menu
    ]
    for choices, value in cases:
        kept = QuickSelect(choices=choices, menu=menu).render("country", value)
        assert kept == QuickSelect(choices=choices).render("country", value)
    marked = QuickSelect(choices=cases[0][0], menu=menu).render("country", "kg")
    assert '<option value="kg" selected>Kyrgyzstan &lt;b&gt;&quot;</option>' in marked
    assert marked.count(" selected") == 1


def test_list_pages_write_their_kept_menus_once(client, monkeypatch):
    """The second visit marks the chosen option in menus written on the first."""
    from sco_tracker.tracking import filters

    first = client.get("/figures/", {"country": "KZ"}).content.decode()
    written = []
    original = filters.option_html
    monkeypatch.setattr(
        filters, "option_html", lambda *args: written.append(args) or original(*args)
    )
    second = client.get("/figures/", {"country": "KZ"}).content.decode()
    assert second == first
    assert '<option value="KZ" selected>' in second
    assert second.count("<option") > 3 * len(written)


def test_list_forms_share_their_menus_choices(rf):
    """A FilterSet's form copies each field; the record menus' choices are shared."""
    from indicators.filters import FigureFilter

    request = rf.get("/figures/")
    request.as_of = None
    filterset = FigureFilter({}, queryset=Figure.objects.published(), request=request)
    copied = filterset.form.fields["source"]
    assert copied is not filterset.filters["source"].field
    assert copied._choices is filterset.filters["source"].field._choices
    assert len(list(copied.choices)) > 1
