"""The seed data: faithful to the two source documents, loaded once, with one revision each."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from indicators.models import Figure, Indicator
from meetings.models import (
    Commitment,
    CommitmentQuote,
    Country,
    Delegation,
    Meeting,
    Person,
    Session,
    Source,
    Topic,
)
from sco_tracker.tracking.models import TrackedModel
from sco_tracker.tracking.recording import revision

# The repository's own copies of the two documents the project started from.
SEEDS = Path(settings.BASE_DIR) / "fixtures" / "sources"
SEED_TEXTS = {
    "Правительство Республики Казахстан": SEEDS / "kazakhstan-government.txt",
    "Пресс-служба Кабинета министров Кыргызской Республики": SEEDS / "kyrgyzstan-cabinet.txt",
}
SEEDED_MODELS = [
    Topic,
    Country,
    Person,
    Source,
    Meeting,
    Session,
    Delegation,
    Commitment,
    CommitmentQuote,
    Indicator,
    Figure,
]
pytestmark = pytest.mark.usefixtures("seed")


def all_seeded_records():
    for model in SEEDED_MODELS:
        yield from model.objects.all()


def test_sources_hold_the_documents_verbatim():
    for publisher, path in SEED_TEXTS.items():
        source = Source.objects.get(publisher=publisher)
        assert source.text == path.read_text(encoding="utf-8")
        assert source.url == ""
        assert source.published_on is None, "the documents state no date: never guessed"
        assert source.language == "ru"


def test_every_quote_is_a_substring_of_its_seed_document():
    documents = {
        publisher: path.read_text(encoding="utf-8") for publisher, path in SEED_TEXTS.items()
    }
    quotes = [(f.source, f.quote) for f in Figure.objects.select_related("source")]
    quotes += [(q.source, q.quote) for q in CommitmentQuote.objects.select_related("source")]
    assert len(quotes) >= 13 + 19
    for source, quote in quotes:
        assert quote
        assert quote in documents[source.publisher], quote


def test_counts_cover_both_documents():
    assert Meeting.objects.count() == 2
    assert Commitment.objects.count() > 10
    assert Figure.objects.count() > 12
    assert Country.objects.filter(sco_status="member_state").count() == 10
    assert set(Figure.objects.values_list("source__publisher", flat=True)) == set(SEED_TEXTS)


def test_moscow_meeting():
    meeting = Meeting.objects.get(slug="chg-24-moscow-2025")
    assert (meeting.body, meeting.number) == ("heads_of_government", 24)
    assert (meeting.start_date, meeting.end_date) == (
        datetime.date(2025, 11, 17),
        datetime.date(2025, 11, 18),
    )
    assert (meeting.city_en, meeting.host_country.code) == ("Moscow", "RU")
    assert meeting.chair.name_en == "Mikhail Mishustin"
    assert set(meeting.sessions.values_list("format", flat=True)) == {
        "narrow",
        "expanded",
        "with_head_of_state",
    }
    assert meeting.sessions.get(format="with_head_of_state").with_person.name_ru == "Владимир Путин"
    offices = {
        d.country.code: (d.head.name_en, d.head_office_en) for d in meeting.delegations.all()
    }
    assert offices["KZ"] == ("Olzhas Bektenov", "Prime Minister of the Republic of Kazakhstan")
    assert offices["KG"][0] == "Adylbek Kasymaliev"
    assert meeting.sources.count() == 2
    assert meeting.documents_signed_ru.startswith("Ряд документов")


def test_tianjin_summit():
    summit = Meeting.objects.get(slug="chs-tianjin-2025")
    assert summit.body == "heads_of_state"
    assert (summit.start_date, summit.end_date) == (
        datetime.date(2025, 8, 31),
        datetime.date(2025, 9, 1),
    )
    assert summit.host_country.code == "CN"
    tokayev = summit.delegations.get(country__code="KZ")
    assert tokayev.head_office_en == "President of the Republic of Kazakhstan"
    assert summit.commitments.filter(people__slug="kassym-jomart-tokayev").exists()


@pytest.mark.parametrize(
    ("indicator", "country", "expected"),
    [
        (
            "trade-with-sco-members",
            "KZ",
            dict(
                value=Decimal("67"),
                unit_multiplier=9,
                unit="USD",
                comparator="more_than",
                period_start=datetime.date(2024, 1, 1),
                period_end=datetime.date(2024, 12, 31),
                period_label="2024",
                as_stated="превысил $67 млрд",
                scope="country",
            ),
        ),
        (
            "transit-freight",
            "KZ",
            dict(
                value=Decimal("27.5"),
                unit_multiplier=6,
                unit="t",
                comparator="exact",
                period_start=datetime.date(2024, 1, 1),
                period_end=datetime.date(2024, 12, 31),
                as_stated="27,5 млн тонн",
            ),
        ),
        (
            "customs-release-time",
            "KG",
            dict(
                value=Decimal("1"),
                base_value=Decimal("5"),
                unit="h",
                unit_multiplier=0,
                comparator="exact",
                period_start=None,
                as_stated="с пяти до одного часа",
            ),
        ),
        (
            "trade-with-sco-members-growth",
            "KG",
            dict(
                value=Decimal("3.5"),
                unit="times",
                comparator="exact",
                period_start=datetime.date(2020, 1, 1),
                period_end=datetime.date(2024, 12, 31),
                period_label="2020–2024",
                base_period_start=datetime.date(2020, 1, 1),
                base_period_end=datetime.date(2020, 12, 31),
            ),
        ),
        (
            "visitors-from-sco",
            "KG",
            dict(
                value=Decimal("8"),
                unit_multiplier=6,
                unit="persons",
                comparator="approximately",
                period_start=datetime.date(2025, 1, 1),
                period_end=datetime.date(2025, 9, 30),
                as_stated="около 8 миллионов",
            ),
        ),
        (
            "transit-freight-growth",
            "KZ",
            dict(
                value=Decimal("2"),
                unit="times",
                comparator="nearly",
                as_stated="вырос почти в 2 раза",
            ),
        ),
        (
            "sco-share-of-trade",
            "KG",
            dict(
                value=Decimal("75"),
                unit="%",
                comparator="exact",
                period_start=datetime.date(2025, 1, 1),
                period_end=datetime.date(2025, 8, 31),
                period_label="Jan–Aug 2025",
            ),
        ),
    ],
)
def test_figures_match_the_documents(indicator, country, expected):
    figure = Figure.objects.get(indicator__slug=indicator, country__code=country)
    for field, value in expected.items():
        assert getattr(figure, field) == value, field


@pytest.mark.parametrize(
    ("indicator", "scope", "expected"),
    [
        ("sco-share-of-world-economy", "sco", dict(value=Decimal("30"), comparator="more_than")),
        (
            "intra-sco-trade",
            "sco",
            dict(value=Decimal("1"), unit_multiplier=12, comparator="nearly"),
        ),
        (
            "world-trade-growth-belt-and-road",
            "world",
            dict(
                value=Decimal("6"),
                comparator="up_to",
                unit="%",
                estimate_by="World Bank (Всемирный банк)",
            ),
        ),
        (
            "sco-share-of-world-gdp",
            "sco",
            dict(as_stated="треть глобального ВВП", comparator="approximately"),
        ),
    ],
)
def test_organisation_wide_figures(indicator, scope, expected):
    figure = Figure.objects.get(indicator__slug=indicator)
    assert figure.scope == scope
    assert figure.country is None
    for field, value in expected.items():
        assert getattr(figure, field) == value, field


def test_figure_attribution():
    bektenov = Figure.objects.filter(stated_by__slug="olzhas-bektenov")
    assert set(bektenov.values_list("indicator__slug", flat=True)) == {
        "sco-share-of-world-gdp",
        "intra-sco-trade",
    }
    assert Figure.objects.filter(stated_by__slug="adylbek-kasymaliev").count() == 4
    assert not Figure.objects.filter(meeting__isnull=True).exists()


def test_each_record_has_exactly_one_revision_naming_the_seed():
    for record in all_seeded_records():
        revisions = list(record.history.all())
        assert len(revisions) == 1, record
        assert revisions[0].history_type == "+"
        assert revisions[0].history_user is None
        assert revisions[0].history_change_reason.startswith("Seed data: fixtures/")


def test_seed_revisions_include_many_to_many_values():
    bank = Commitment.objects.get(title_en="Establish the SCO Development Bank")
    revision = bank.history.get()
    assert {row.country.code for row in revision.countries.all()} == {"KZ", "KG"}
    assert bank.quotes.count() == 2


def test_second_run_changes_nothing_and_writes_no_history():
    before = {model: (model.objects.count(), model.history.count()) for model in SEEDED_MODELS}
    call_command("load_seed_data", verbosity=0)
    after = {model: (model.objects.count(), model.history.count()) for model in SEEDED_MODELS}
    assert before == after


def test_reload_keeps_editors_changes_and_deletions():
    figure = Figure.objects.get(indicator__slug="transit-freight")
    figure.value = Decimal("27.6")
    with revision(reason="edited"):
        figure.save()
    with revision(reason="duplicate"):
        Figure.objects.get(indicator__slug="visitors-from-sco").delete()
    call_command("load_seed_data", verbosity=0)
    figure.refresh_from_db()
    assert figure.value == Decimal("27.6")
    assert not Figure.objects.filter(indicator__slug="visitors-from-sco").exists()


def test_new_records_after_seeding_get_fresh_ids():
    """Explicit fixture keys must not leave the id sequence behind (PostgreSQL)."""
    with revision(reason="new topic"):
        topic = Topic.objects.create(slug="energy", name_en="Energy", name_ru="Энергетика")
    assert topic.pk > max(Topic.objects.exclude(pk=topic.pk).values_list("pk", flat=True))


def test_seeded_models_are_all_tracked():
    assert all(issubclass(model, TrackedModel) for model in SEEDED_MODELS)
