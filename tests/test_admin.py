"""The admin as editors use it: real forms posted through the test client."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from indicators.models import Figure, Indicator
from meetings.models import Assessment, Commitment, Country, Delegation, Meeting, Source
from sco_tracker.tracking.recording import revision
from tests.admin_forms import add_figure, changeform_data
from tests.factories import (
    AssessmentFactory,
    CountryFactory,
    FigureFactory,
    IndicatorFactory,
    SourceFactory,
)

TRACKED_MODELS = [
    model for model in admin.site._registry if model._meta.app_label in {"meetings", "indicators"}
]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def change_figure(client, figure, **changes):
    url = admin_url(Figure, "change", figure.pk)
    data = changeform_data(client.get(url), **changes)
    return client.post(url, data)


@pytest.fixture
def kz_trade(seed):
    """Kazakhstan's trade with SCO members in 2024: "более $67 млрд"."""
    return Figure.objects.get(indicator__slug="trade-with-sco-members", country__code="KZ")


def test_every_editorial_model_is_registered():
    names = {model.__name__ for model in TRACKED_MODELS}
    assert names == {
        "Topic",
        "Country",
        "Person",
        "Source",
        "Meeting",
        "Commitment",
        "Assessment",
        "Indicator",
        "Figure",
    }


@pytest.mark.parametrize("model", TRACKED_MODELS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_admin_page_renders(seed, editor_client, model, language):
    editor_client.cookies["django_language"] = language
    if model is Assessment:  # the seed invents no compliance assessment
        AssessmentFactory(
            commitment=Commitment.objects.get(pk=6), country=Country.objects.get(code="KZ")
        )
    obj = model.objects.order_by("pk").first()
    assert obj is not None, "the seed has a record of every model"
    for url in [
        admin_url(model, "changelist"),
        admin_url(model, "changelist") + "?q=ШОС",
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
        admin_url(model, "history", obj.pk),
    ]:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == language


def test_admin_speaks_russian(seed, editor_client):
    editor_client.cookies["django_language"] = "ru"
    page = editor_client.get(admin_url(Figure, "change", 1)).content.decode()
    assert "Причина изменения" in page
    assert "Число так, как оно сказано" in page
    assert "Показатель" in page


def test_autocomplete_lookups_work_for_editors(seed, editor_client):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "indicators", "model_name": "figure", "field_name": "country", "term": "Kaz"},
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Kazakhstan"]


class TestFigureRevisions:
    """Revisions of published records, made by a reviewer (whose saves publish at once;
    an editor's change to a published record waits for review: test_review.py)."""

    def test_create_then_change_with_reason(self, seed, reviewer, reviewer_client):
        indicator = Indicator.objects.get(slug="transit-freight")
        response = add_figure(
            reviewer_client,
            as_stated="27,5 млн тонн",
            value="27.5",
            quote="достиг 27,5 млн тонн по итогам прошлого года",
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        figure = Figure.objects.get(indicator=indicator, period_label="2023")
        assert figure.value == Decimal("27.5")
        assert figure.measure_kind == "level"

        response = change_figure(
            reviewer_client,
            figure,
            value="27.6",
            change_reason="Corrected per the customs bulletin",
        )
        assert response.status_code == 302

        revisions = list(figure.history.order_by("history_date"))
        assert [r.history_type for r in revisions] == ["+", "~"]
        assert [r.history_user for r in revisions] == [reviewer, reviewer]
        assert [r.history_change_reason for r in revisions] == [
            "Created",
            "Corrected per the customs bulletin",
        ]
        assert [r.value for r in revisions] == [Decimal("27.5"), Decimal("27.6")]

    def test_change_without_reason_is_refused_and_nothing_is_saved(self, kz_trade, reviewer_client):
        response = change_figure(reviewer_client, kz_trade, value="68", change_reason="   ")
        assert response.status_code == 200
        assert "change_reason" in response.context["adminform"].form.errors
        assert "This field is required." in response.content.decode()
        kz_trade.refresh_from_db()
        assert kz_trade.value == Decimal("67")
        assert kz_trade.history.count() == 1
        # The reviewer's input is still on the form.
        assert response.context["adminform"].form["value"].value() == "68"

    def test_save_without_changes_writes_no_revision(self, kz_trade, reviewer_client):
        version = kz_trade.version
        response = change_figure(reviewer_client, kz_trade, change_reason="Checked against source")
        assert response.status_code == 302
        assert kz_trade.history.count() == 1
        kz_trade.refresh_from_db()
        assert kz_trade.version == version, "an unchanged save leaves the version as it was"
        page = reviewer_client.get(response["Location"]).content.decode()
        assert "Nothing changed" in page

    def test_revision_diff_shown_in_history(self, kz_trade, reviewer_client):
        change_figure(reviewer_client, kz_trade, value="68", change_reason="Typo in the release")
        page = reviewer_client.get(admin_url(Figure, "history", kz_trade.pk)).content.decode()
        assert "Typo in the release" in page
        assert "&gt; 67 billion USD &rarr; &gt; 68 billion USD" in page
        assert "rita" in page  # the reviewer who made the change

    def test_choice_changes_are_shown_with_labels(self, kz_trade, reviewer_client):
        change_figure(
            reviewer_client, kz_trade, comparator="approximately", change_reason="Re-read"
        )
        page = reviewer_client.get(admin_url(Figure, "history", kz_trade.pk)).content.decode()
        assert "&gt; 67 billion USD &rarr; ≈ 67 billion USD" in page

    def test_status_changes_are_shown_with_labels(self, seed, reviewer_client):
        url = admin_url(Commitment, "change", 6)
        data = changeform_data(reviewer_client.get(url), status="in_progress", change_reason="Go")
        reviewer_client.post(url, data)
        page = reviewer_client.get(admin_url(Commitment, "history", 6)).content.decode()
        assert "proposed &rarr; in progress" in page

    def test_revert_asks_for_reason_and_becomes_a_new_revision(
        self, kz_trade, reviewer, reviewer_client
    ):
        change_figure(reviewer_client, kz_trade, value="68", change_reason="Typo?")
        original = kz_trade.history.earliest("history_date")
        revert_url = admin_url(Figure, "simple_history", kz_trade.pk, original.history_id)
        form_page = reviewer_client.get(revert_url)
        assert form_page.status_code == 200

        without_reason = changeform_data(form_page, change_reason="")
        assert reviewer_client.post(revert_url, without_reason).status_code == 200
        assert kz_trade.history.count() == 2

        response = reviewer_client.post(
            revert_url, changeform_data(form_page, change_reason="The release says 67")
        )
        assert response.status_code == 302
        kz_trade.refresh_from_db()
        assert kz_trade.value == Decimal("67")
        latest = kz_trade.history.latest("history_date")
        assert kz_trade.history.count() == 3
        assert latest.history_change_reason == "The release says 67"
        assert latest.history_user == reviewer
        assert latest.reverted_to_history_id == original.history_id
        assert latest.reverted_to_date == original.history_date
        page = reviewer_client.get(admin_url(Figure, "history", kz_trade.pk)).content.decode()
        assert "Reverted to the revision of" in page

    def test_unknown_revision_is_404(self, kz_trade, reviewer_client):
        assert (
            reviewer_client.get(
                admin_url(Figure, "simple_history", kz_trade.pk, 999999)
            ).status_code
            == 404
        )
        assert (
            reviewer_client.get(admin_url(Figure, "simple_history", kz_trade.pk, "x")).status_code
            == 404
        )


class TestManyToManyAndInlines:
    def test_m2m_change_is_one_revision_with_reason(self, seed, reviewer, reviewer_client):
        commitment = Commitment.objects.get(pk=6)  # SCO Development Bank: KZ, KG
        url = admin_url(Commitment, "change", commitment.pk)
        data = changeform_data(reviewer_client.get(url))
        data["countries"] = [*data["countries"], str(Country.objects.get(code="RU").pk)]
        data["change_reason"] = "Russia also backed the bank"
        assert reviewer_client.post(url, data).status_code == 302

        revisions = commitment.history.order_by("history_date")
        assert revisions.count() == 2
        latest = revisions.last()
        assert latest.history_change_reason == "Russia also backed the bank"
        assert latest.history_user == reviewer
        assert {row.country.code for row in latest.countries.all()} == {"KZ", "KG", "RU"}
        page = reviewer_client.get(admin_url(Commitment, "history", commitment.pk)).content.decode()
        assert "Kazakhstan, Kyrgyzstan &rarr; Kazakhstan, Kyrgyzstan, Russia" in page

    def test_revert_restores_m2m(self, seed, reviewer_client):
        commitment = Commitment.objects.get(pk=6)
        url = admin_url(Commitment, "change", commitment.pk)
        data = changeform_data(reviewer_client.get(url), countries=[], change_reason="Unclear")
        reviewer_client.post(url, data)
        assert commitment.countries.count() == 0

        first = commitment.history.earliest("history_date")
        revert_url = admin_url(Commitment, "simple_history", commitment.pk, first.history_id)
        response = reviewer_client.post(
            revert_url, changeform_data(reviewer_client.get(revert_url), change_reason="Restore")
        )
        assert response.status_code == 302
        assert set(commitment.countries.values_list("code", flat=True)) == {"KZ", "KG"}
        assert commitment.history.count() == 3

    def test_inline_edit_writes_one_revision_per_changed_row(self, seed, reviewer, reviewer_client):
        meeting = Meeting.objects.get(slug="chg-24-moscow-2025")
        url = admin_url(Meeting, "change", meeting.pk)
        page = reviewer_client.get(url)
        data = changeform_data(page, change_reason="Office title per protocol")
        delegation_forms = page.context["inline_admin_formsets"][1].formset.forms
        kz_form = next(f for f in delegation_forms if f.instance.country.code == "KZ")
        data[kz_form["head_office_en"].html_name] = "Prime Minister of Kazakhstan"
        assert reviewer_client.post(url, data).status_code == 302

        kz = Delegation.objects.get(meeting=meeting, country__code="KZ")
        assert kz.head_office_en == "Prime Minister of Kazakhstan"
        assert kz.history.count() == 2
        assert kz.history.latest("history_date").history_change_reason == (
            "Office title per protocol"
        )
        assert kz.history.latest("history_date").history_user == reviewer
        # Nothing else changed: no other revision anywhere.
        assert meeting.history.count() == 1
        others = Delegation.objects.filter(meeting=meeting).exclude(pk=kz.pk)
        assert all(d.history.count() == 1 for d in others)

    def test_inline_addition_is_created_with_the_parent_reason(self, seed, reviewer_client):
        meeting = Meeting.objects.get(slug="chg-24-moscow-2025")
        url = admin_url(Meeting, "change", meeting.pk)
        page = reviewer_client.get(url)
        data = changeform_data(page, change_reason="Uzbek delegation listed in TASS report")
        prefix = page.context["inline_admin_formsets"][1].formset.prefix
        total = int(data[f"{prefix}-TOTAL_FORMS"])
        data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
        data[f"{prefix}-{total}-country"] = str(Country.objects.get(code="UZ").pk)
        data[f"{prefix}-{total}-meeting"] = str(meeting.pk)
        assert reviewer_client.post(url, data).status_code == 302
        uz = Delegation.objects.get(meeting=meeting, country__code="UZ")
        assert [(r.history_type, r.history_change_reason) for r in uz.history.all()] == [
            ("+", "Uzbek delegation listed in TASS report")
        ]
        assert meeting.history.count() == 1


class TestPermissions:
    def test_editor_cannot_delete(self, kz_trade, editor_client):
        url = admin_url(Figure, "delete", kz_trade.pk)
        assert editor_client.get(url).status_code == 403
        assert editor_client.post(url, {"post": "yes"}).status_code == 403
        assert Figure.objects.filter(pk=kz_trade.pk).exists()

    def test_editor_has_no_bulk_delete_action(self, seed, editor_client):
        response = editor_client.get(admin_url(Figure, "changelist"))
        assert "delete_selected" not in response.content.decode()
        response = editor_client.post(
            admin_url(Figure, "changelist"),
            {"action": "delete_selected", "_selected_action": ["1"], "post": "yes"},
        )
        assert Figure.objects.filter(pk=1).exists()

    def test_editor_cannot_manage_users(self, editor_client):
        assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
        assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403

    def test_history_is_not_editable_through_the_admin(
        self, kz_trade, editor_client, superuser_client
    ):
        history_models = {Figure.history.model, Commitment.history.model}
        assert not any(admin.site.is_registered(model) for model in history_models)
        change_figure(editor_client, kz_trade, value="68", change_reason="Typo?")
        first = kz_trade.history.earliest("history_date")
        url = admin_url(Figure, "simple_history", kz_trade.pk, first.history_id)
        for client in (editor_client, superuser_client):
            data = changeform_data(client.get(url), change_reason="rewrite the past")
            data["_change_history"] = "1"
            client.post(url, data)
        first.refresh_from_db()
        assert first.value == Decimal("67")
        assert first.history_change_reason.startswith("Seed data")

    def test_deleting_keeps_history(self, kz_trade, superuser, superuser_client):
        url = admin_url(Figure, "delete", kz_trade.pk)
        assert "Reason for deleting" in superuser_client.get(url).content.decode()
        refused = superuser_client.post(url, {"post": "yes"}, follow=True)
        assert "give a reason for deleting" in refused.content.decode()
        assert Figure.objects.filter(pk=kz_trade.pk).exists()
        response = superuser_client.post(url, {"post": "yes", "change_reason": "Duplicate entry"})
        assert response.status_code == 302
        assert not Figure.objects.filter(pk=kz_trade.pk).exists()
        revisions = Figure.history.filter(id=kz_trade.pk).order_by("history_date")
        assert [r.history_type for r in revisions] == ["+", "-"]
        assert revisions.last().history_user == superuser
        assert revisions.last().history_change_reason == "Duplicate entry"
        assert superuser_client.get(admin_url(Figure, "history", kz_trade.pk)).status_code == 200

    def test_anonymous_is_sent_to_login(self, client, seed):
        response = client.get(admin_url(Figure, "changelist"))
        assert response.status_code == 302
        assert reverse("admin:login") in response.url


class TestConstraintsGiveFormErrors:
    """Each database constraint, broken through the admin, is a message, never a 500."""

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            (
                {"period_start": "2024-12-31", "period_end": "2024-01-01"},
                "period_end",
                "The period cannot end before it starts.",
            ),
            ({"period_end": ""}, "period_end", "Give both the start and the end of the period."),
            (
                {"base_period_start": "2020-01-01", "base_period_end": "2019-01-01"},
                "base_period_end",
                "The base period cannot end before it starts.",
            ),
            ({"unit": "%"}, "unit", "is a level: use"),
            ({"scope": "country", "country": ""}, "country", "Choose a country when the subject"),
            ({"scope": "sco"}, "country", "Choose a country when the subject is a country, and"),
            ({"comparator": "roughly"}, "comparator", "Select a valid choice."),
            ({"unit": "parsecs"}, "unit", "Select a valid choice."),
            ({"value": "abc"}, "value", "Enter a number."),
            ({"value": "1" * 30}, "value", "Ensure that there are no more than"),
            ({"quote": "Товарооборот вырос втрое."}, "quote", "does not appear verbatim"),
        ],
    )
    def test_figure_field_errors(self, kz_trade, editor_client, changes, field, message):
        response = change_figure(editor_client, kz_trade, change_reason="try", **changes)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert message in " ".join(errors.get(field, [])), errors
        assert kz_trade.history.count() == 1

    def test_share_above_100(self, seed, editor_client):
        share = Figure.objects.get(indicator__slug="sco-share-of-trade")
        response = change_figure(editor_client, share, value="120", change_reason="try")
        assert response.status_code == 200
        assert "between 0 and 100" in str(response.context["adminform"].form.errors["value"])

    def test_a_fraction_that_does_not_match_the_value(self, seed, editor_client):
        """The constraint's message has percent signs in it: a form error, not a 500."""
        share = Figure.objects.get(indicator__slug="sco-share-of-trade")
        response = change_figure(
            editor_client,
            share,
            value="50",
            fraction_numerator="1",
            fraction_denominator="3",
            change_reason="try",
        )
        assert response.status_code == 200
        errors = str(response.context["adminform"].form.errors["value"])
        assert "does not match the fraction: ⅓ is about 33.3%, ½ is 50%." in errors
        assert share.history.count() == 1

    def test_duplicate_figure_for_same_indicator_subject_period_source(
        self, kz_trade, editor_client
    ):
        add_url = admin_url(Figure, "add")
        data = changeform_data(editor_client.get(add_url))
        for name in [
            "indicator",
            "scope",
            "country",
            "as_stated",
            "comparator",
            "value",
            "unit_multiplier",
            "unit",
            "period_start",
            "period_end",
            "period_label",
            "source",
        ]:
            value = getattr(kz_trade, f"{name}_id", None) or getattr(kz_trade, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        response = editor_client.post(add_url, data)
        assert response.status_code == 200
        assert "This source already has a figure for this indicator, subject and period." in (
            response.content.decode()
        )
        assert Figure.objects.filter(indicator=kz_trade.indicator).count() == 1

    def test_duplicate_sco_figure_without_period(self, db):
        world = FigureFactory(scope="world", country=None, period_start=None, period_end=None)
        duplicate = Figure(
            indicator=world.indicator,
            scope="world",
            source=world.source,
            as_stated="x",
            value=1,
            unit="USD",
            period_label="annually",
        )
        with pytest.raises(Exception, match="already has a figure"):
            duplicate.full_clean()

    def test_meeting_ending_before_start(self, seed, editor_client):
        meeting = Meeting.objects.get(slug="chg-24-moscow-2025")
        url = admin_url(Meeting, "change", meeting.pk)
        data = changeform_data(editor_client.get(url), end_date="2025-11-01", change_reason="try")
        response = editor_client.post(url, data)
        assert response.status_code == 200
        assert "The meeting cannot end before it starts." in response.content.decode()

    def test_duplicate_meeting_number_and_slug(self, seed, editor_client):
        meeting = Meeting.objects.get(slug="chs-tianjin-2025")
        url = admin_url(Meeting, "change", meeting.pk)
        data = changeform_data(
            editor_client.get(url),
            body="heads_of_government",
            number="24",
            slug="chg-24-moscow-2025",
            change_reason="try",
        )
        response = editor_client.post(url, data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "This body already has a meeting with this number." in page
        assert "Meeting with this Slug already exists." in page

    def test_duplicate_source_url(self, db, editor_client):
        SourceFactory(url="https://example.org/release")
        url = admin_url(Source, "add")
        data = changeform_data(
            editor_client.get(url),
            title="Copy",
            publisher="Someone",
            url="https://example.org/release",
            language="ru",
        )
        response = editor_client.post(url, data)
        assert response.status_code == 200
        assert "Another source already has this URL." in response.content.decode()
        # Several sources may have no URL at all.
        SourceFactory(url="")
        SourceFactory(url="")

    def test_country_code_must_be_two_capitals(self, db, editor_client):
        url = admin_url(Country, "add")
        data = changeform_data(
            editor_client.get(url), code="k", name_en="K", name_ru="К", sco_status="none"
        )
        response = editor_client.post(url, data)
        assert response.status_code == 200
        assert "The code must be two capital letters (ISO 3166)." in response.content.decode()
        # Lower case is accepted and stored upper case.
        data["code"] = "mn"
        assert editor_client.post(url, data).status_code == 302
        assert Country.objects.filter(code="MN").exists()

    def test_duplicate_delegation(self, seed, reviewer_client):
        url = admin_url(Meeting, "change", 1)
        page = reviewer_client.get(url)
        data = changeform_data(page, change_reason="Second Kazakh delegation")
        total = int(data["delegations-TOTAL_FORMS"])
        data.update(
            {
                "delegations-TOTAL_FORMS": str(total + 1),
                f"delegations-{total}-country": str(Country.objects.get(code="KZ").pk),
                f"delegations-{total}-meeting": "1",
            }
        )
        response = reviewer_client.post(url, data)
        assert response.status_code == 200
        assert "Please correct the duplicate data for country" in response.content.decode()

    def test_indicator_unit_must_fit_measure_kind(self, db, editor_client):
        url = admin_url(Indicator, "add")
        data = changeform_data(
            editor_client.get(url),
            slug="x",
            name_en="X",
            name_ru="Х",
            measure_kind="share",
            default_unit="USD",
            default_unit_multiplier="0",
        )
        response = editor_client.post(url, data)
        assert response.status_code == 200
        assert "This indicator is a share: use %." in response.content.decode()

    def test_indicator_kind_is_frozen_once_it_has_figures(self, kz_trade, editor_client):
        indicator = kz_trade.indicator
        url = admin_url(Indicator, "change", indicator.pk)
        data = changeform_data(
            editor_client.get(url), measure_kind="count", default_unit="count", change_reason="x"
        )
        response = editor_client.post(url, data)
        assert response.status_code == 200
        assert "its measure kind cannot change" in response.content.decode()


def test_figure_add_form_groups_fields_as_an_editor_reads_a_source(editor_client, db):
    response = editor_client.get(admin_url(Figure, "add"))
    names = [fieldset.name for fieldset in response.context["adminform"]]
    assert names == [
        "What and whom",
        "The number as stated",
        "Period",
        "Who said it, where",
        "Source and quote",
        "Publication",
        "Reason for change",
    ]
    # Creating needs no reason: "Created" is recorded.
    assert not response.context["adminform"].form.fields["change_reason"].required


def test_model_level_constraints_hold_without_forms(db):
    """The database refuses what the forms refuse, even for code that skips validation."""
    from django.db import IntegrityError

    figure = FigureFactory()
    share = IndicatorFactory(measure_kind="share", default_unit="%", default_unit_multiplier=0)
    for changes in [
        {"period_end": datetime.date(1800, 1, 1)},
        {"comparator": "roughly"},
        {"unit": "parsec"},
        {"scope": "sco"},
        {"indicator": share, "unit": "%", "unit_multiplier": 0, "value": Decimal("101")},
        {"unit": "%"},
    ]:
        for name, value in changes.items():
            setattr(figure, name, value)
        with pytest.raises(IntegrityError), revision(reason="code that skips validation"):
            figure.save()
        figure.refresh_from_db()
    country = CountryFactory()
    for bad_code in ["ab", "K"]:
        country.code = bad_code
        with pytest.raises(IntegrityError), revision(reason="code that skips validation"):
            country.save()
        country.refresh_from_db()


@pytest.mark.parametrize(
    ("term", "indicator"),
    [
        ("transi", "transit-freight"),  # a word's beginning, as editors type
        ("Transit freight", "transit-freight"),
        ("Kazakh railway", "railway-corridors"),  # a related record's name and its own
    ],
)
def test_the_figure_changelist_searches_as_editors_type(seed, editor_client, term, indicator):
    """The change list searches the record's text and its related records' (full text
    on PostgreSQL), drafts included, by word beginnings."""
    response = editor_client.get(admin_url(Figure, "changelist"), {"q": term})
    assert response.status_code == 200
    shown = {figure.indicator.slug for figure in response.context["cl"].result_list}
    assert indicator in shown, shown
    assert len(shown) < Indicator.objects.count()


def test_pickers_tell_similar_records_apart(seed, editor_client):
    """Indicators with their unit and topic, meetings with their dates; the chosen record
    is shown with the same label when the form opens."""
    answer = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "indicators",
            "model_name": "figure",
            "field_name": "indicator",
            "term": "transit",
        },
    ).json()
    labels = [result["text"] for result in answer["results"]]
    assert "Transit freight volume — million t · Transport and logistics" in labels, labels
    answer = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "indicators",
            "model_name": "figure",
            "field_name": "meeting",
            "term": "Moscow",
        },
    ).json()
    assert any("(2025-11-17–2025-11-18)" in result["text"] for result in answer["results"]), answer
    figure = Figure.objects.filter(indicator__slug="transit-freight").first()
    page = editor_client.get(admin_url(Figure, "change", figure.pk)).content.decode()
    assert "Transit freight volume — million t · Transport and logistics" in page


def test_the_figure_form_shows_decimals_as_entered_and_the_normalised_value_grouped(
    kz_trade, editor_client
):
    page = editor_client.get(admin_url(Figure, "change", kz_trade.pk)).content.decode()
    assert 'name="value" value="67"' in page
    assert "67.000000" not in page
    assert "67,000,000,000 USD" in page
