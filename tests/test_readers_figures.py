"""Issue 13's scenario, as a newcomer would try it with a report that is not in the
repository: an editor enters a forecast, a target and a share stated as a fraction through
the admin (the quote check catching a mistyped quote on the way), a reviewer publishes
them, and every page, the chart and both exports say which number is which, in English
and in Russian with Russian number formats; the CSV keeps its Cyrillic and cites the
source."""

import csv
import io

import pytest

from indicators.models import Figure, Indicator
from tests.admin_forms import add_figure
from tests.factories import SourceFactory
from tests.test_review import act

pytestmark = pytest.mark.usefixtures("seed")

REPORT = (
    "Министерство экономики опубликовало обзор торговли.\n\n"
    "Доля стран ШОС в мировой торговле может вырасти до 25,5% к 2030 году.\n\n"
    "Правительства планируют довести её до 30% к 2035 году.\n\n"
    "Уже сегодня на страны ШОС приходится каждый пятый доллар мировой торговли."
)
FORECAST_QUOTE = "Доля стран ШОС в мировой торговле может вырасти до 25,5% к 2030 году."
TARGET_QUOTE = "Правительства планируют довести её до 30% к 2035 году."
FRACTION_QUOTE = "Уже сегодня на страны ШОС приходится каждый пятый доллар мировой торговли."


def in_year(year: int, **fields) -> dict:
    """A figure's form fields for calendar ``year``."""
    period = {"period_start": f"{year}-01-01", "period_end": f"{year}-12-31"}
    return {**period, "period_label": str(year), **fields}


# What the editor types into the add form for each statement of the report.
ENTERED = {
    "forecast": in_year(
        2030,
        as_stated="может вырасти до 25,5%",
        comparator="up_to",
        value="25.5",
        observation_status="forecast",
        quote=FORECAST_QUOTE,
    ),
    "target": in_year(
        2035,
        as_stated="довести её до 30%",
        comparator="exact",
        value="30",
        observation_status="target",
        quote=TARGET_QUOTE,
    ),
    "fraction": in_year(
        2025,
        as_stated="каждый пятый доллар",
        comparator="exact",
        value="20",
        fraction_numerator="1",
        fraction_denominator="5",
        observation_status="actual",
        quote=FRACTION_QUOTE,
    ),
}


def share_figure(client, source, **fields):
    """The SCO's share of world trade, entered through the admin's add form."""
    indicator = Indicator.objects.get(slug="sco-share-of-trade")
    return add_figure(
        client,
        indicator=indicator.pk,
        scope="sco",
        country="",
        unit="%",
        unit_multiplier="0",
        source=source.pk,
        **fields,
    )


def test_a_forecast_a_target_and_a_fraction_read_as_what_they_are(
    client, editor_client, reviewer_client
):
    report = SourceFactory(
        title="Обзор торговли стран ШОС", publisher="Министерство экономики", text=REPORT
    )
    # The quote check: a mistyped quote is refused, saying where it parts from the text.
    typo = FORECAST_QUOTE.replace("вырасти", "вырости")
    mistyped = share_figure(editor_client, report, **{**ENTERED["forecast"], "quote": typo})
    assert mistyped.status_code == 200
    message = " ".join(mistyped.context["adminform"].form.errors["quote"])
    assert "вырасти" in message and not Figure.objects.filter(source=report).exists()

    figures = {}
    for kind, fields in ENTERED.items():
        assert share_figure(editor_client, report, **fields).status_code == 302
        figures[kind] = Figure.objects.get(source=report, quote=fields["quote"])
        assert figures[kind].state == "draft"
    assert client.get(f"/figures/{figures['forecast'].pk}/").status_code == 404
    published = act(
        reviewer_client, Figure, figures.values(), "publish", "Checked against the report"
    )
    assert published.status_code == 200
    for figure in figures.values():
        figure.refresh_from_db()
        assert figure.state == "published"

    # Pages, in English and in Russian.
    forecast, target, fraction = figures["forecast"], figures["target"], figures["fraction"]
    page = client.get(f"/figures/{forecast.pk}/").content.decode()
    assert "forecast" in page and "25.5" in page
    russian = client.get(f"/ru/figures/{forecast.pk}/").content.decode()
    assert "прогноз" in russian and "25,5" in russian and "25.5\u00a0%" not in russian
    assert "целевое значение" in client.get(f"/ru/figures/{target.pk}/").content.decode()
    fraction_page = client.get(f"/figures/{fraction.pk}/").content.decode()
    assert "⅕" in fraction_page and "1/5" in fraction_page
    listing = client.get("/figures/", {"indicator": "sco-share-of-trade"}).content.decode()
    assert 'class="obs obs-forecast"' in listing and 'class="obs obs-target"' in listing

    # The chart draws the forecast and the target hollow, on a dashed line, and says so.
    chart = client.get("/indicators/sco-share-of-trade/").content.decode()
    assert 'class="projected"' in chart and 'fill="#ffffff"' in chart
    assert "Hollow points on a dashed line are forecasts or targets" in chart

    # The CSV: a byte-order mark (spreadsheets read it as UTF-8), Cyrillic intact, the
    # kind of number, the fraction and the source to cite.
    response = client.get("/figures/", {"indicator": "sco-share-of-trade", "format": "csv"})
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    assert rows[str(forecast.pk)]["observation_status"] == "forecast"
    assert rows[str(target.pk)]["observation_status"] == "target"
    assert rows[str(fraction.pk)]["fraction"] == "1/5"
    assert rows[str(fraction.pk)]["observation_status"] == "actual"
    for figure in figures.values():
        row = rows[str(figure.pk)]
        assert row["quote"] == figure.quote and row["quote_verified"] == "True"
        assert (row["source_title"], row["source_publisher"]) == (report.title, report.publisher)
    assert rows[str(forecast.pk)]["as_stated"] == "может вырасти до 25,5%"
    # The JSON says the same.
    results = client.get("/figures/", {"indicator": "sco-share-of-trade", "format": "json"}).json()[
        "results"
    ]
    kinds = {row["id"]: row["observation_status"] for row in results}
    assert (kinds[forecast.pk], kinds[target.pk], kinds[fraction.pk]) == (
        "forecast",
        "target",
        "actual",
    )
    assert client.get(f"/figures/{fraction.pk}/", {"format": "json"}).json()["fraction"] == "1/5"
