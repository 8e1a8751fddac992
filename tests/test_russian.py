"""Russian pages read as Russian: decimal commas, non-breaking-space grouping, Russian
month names, comparator phrases with their grammar, Russian period labels and notes, and
no English interface words."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import translation

from indicators.models import Figure
from indicators.models.units import format_quantity
from sco_tracker.tracking.recording import revision

pytestmark = pytest.mark.usefixtures("seed")

RUSSIAN_PAGES = [
    "/ru/",
    "/ru/figures/",
    "/ru/figures/3/",
    "/ru/figures/4/",
    "/ru/figures/3/history/",
    "/ru/indicators/",
    "/ru/indicators/trade-with-sco-members/",
    "/ru/meetings/",
    "/ru/meetings/chg-24-moscow-2025/",
    "/ru/commitments/",
    "/ru/commitments/6/",
    "/ru/changes/",
]
# Interface words of the English site; none may show on a Russian page outside quoted
# material and texts marked lang="en" (an English text with no Russian version yet).
ENGLISH_INTERFACE = [
    "Figures",
    "Meetings",
    "Commitments",
    "Indicators",
    "Changes",
    "Filter",
    "Search",
    "Download",
    "Period",
    "Source",
    "Revision",
    "Reason",
    "billion",
    "million",
    "persons",
    "more than",
    "approximately",
    "nearly",
    "forecast",
    "Editors",
    "January",
    "November",
    "December",
    "annually",
]


class VisibleText(HTMLParser):
    """Text a reader sees, leaving out scripts, quotes and elements marked lang="en"."""

    SKIP = {"script", "style", "blockquote", "q", "code", "svg", "title", "desc"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {
            "br",
            "img",
            "input",
            "meta",
            "link",
            "hr",
            "source",
            "col",
            "line",
            "circle",
            "path",
        }:
            return
        skipped = tag in self.SKIP or dict(attrs).get("lang", "ru") not in ("ru", "")
        self.stack.append(skipped or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if self.stack and tag not in {"br", "img", "input", "meta", "link", "hr"}:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.mark.parametrize("path", RUSSIAN_PAGES)
def test_russian_pages_have_no_english_interface_words(client, path):
    response = client.get(path)
    assert response.status_code == 200
    text = visible(response.content.decode())
    found = [word for word in ENGLISH_INTERFACE if re.search(rf"\b{re.escape(word)}\b", text)]
    assert found == [], path


def test_numbers_dates_and_phrases_are_russian(client):
    page = client.get("/ru/figures/4/").content.decode()
    assert "⅓ (около 33,3%)" in page  # a fraction with its decimal, decimal comma
    assert "ноябрь 2025 года" in page
    detail = client.get("/ru/figures/3/").content.decode()
    assert "67\xa0000\xa0000\xa0000" in detail  # normalised, grouped with NBSP
    assert "1 января 2024" in detail  # Russian month names
    assert "более 67 млрд USD" in detail
    growth = client.get("/ru/figures/2/").content.decode()
    assert "более чем в 2 раза" in growth
    assert "почти в 2 раза" in client.get("/ru/figures/7/").content.decode()
    assert "в 3,5 раза" in client.get("/ru/figures/11/").content.decode()


@pytest.mark.parametrize(
    ("value", "unit", "comparator", "expected"),
    [
        ("5", "times", "exact", "в 5 раз"),
        ("22", "times", "more_than", "более чем в 22 раза"),
        ("12", "times", "nearly", "почти в 12 раз"),
        ("5", "times", "up_to", "до 5 раз"),
        ("8", "persons", "approximately", "около 8 чел."),
        ("6", "%", "up_to", "до 6%"),
        ("1234567.5", "t", "at_least", "не менее 1\xa0234\xa0567,5 т"),
    ],
)
def test_russian_comparator_grammar(value, unit, comparator, expected):
    with translation.override("ru"):
        assert format_quantity(Decimal(value), 0, unit, comparator) == expected


def test_a_missing_russian_text_falls_back_visibly(client, editor):
    figure = Figure.objects.get(pk=3)
    figure.note_ru = ""
    with revision(user=editor, reason="Russian note withdrawn for rewording"):
        figure.save()
    page = client.get("/ru/figures/3/").content.decode()
    assert (
        '<span lang="en">«по итогам прошлого года» in a November 2025 release: 2024.</span>' in page
    )
    assert "(на английском)" in page
