"""Editorial workflow: drafts stay private, reviewers publish, every transition is a
revision with its reason, permissions are enforced on the server."""

from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from indicators.models import Figure, Indicator
from meetings.models import Commitment
from sco_tracker.tracking.recording import revision
from sco_tracker.tracking.states import PublicationState
from sco_tracker.tracking.workflow import TransitionError, transition
from tests.admin_forms import add_figure, changeform_data, changelist_data

pytestmark = pytest.mark.usefixtures("seed")

CHANGELIST = reverse("admin:indicators_figure_changelist")


@pytest.fixture
def draft_figure(editor_client):
    """A figure an editor has just entered through the admin: a draft."""
    response = add_figure(editor_client)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Figure.objects.get(period_label="2023", indicator__slug="transit-freight")


def run_action(client, action, objects, reason="Checked against the release"):
    return client.post(
        CHANGELIST
        if isinstance(objects[0], Figure)
        else reverse(
            f"admin:{objects[0]._meta.app_label}_{objects[0]._meta.model_name}_changelist"
        ),
        {
            "action": action,
            "index": "0",
            "change_reason": reason,
            helpers.ACTION_CHECKBOX_NAME: [f"{obj.pk},{obj.version}" for obj in objects],
        },
        follow=True,
    )


def public_urls(figure):
    return [
        figure.get_absolute_url(),
        reverse("indicators:figure_history", args=[figure.pk]),
        f"/ru{figure.get_absolute_url()}",
    ]


def is_public(client, figure) -> bool:
    listed = {row["id"] for row in client.get("/figures/", {"format": "json"}).json()["results"]}
    return figure.pk in listed


def test_new_records_are_drafts_and_invisible(client, draft_figure):
    assert draft_figure.state == PublicationState.DRAFT
    client.logout()
    for url in public_urls(draft_figure):
        assert client.get(url).status_code == 404, url
    assert not is_public(client, draft_figure)
    assert str(draft_figure.pk) not in client.get("/figures/", {"q": "22,7"}).content.decode()
    assert b"22,7" not in b"".join(client.get("/figures/", {"format": "csv"}).streaming_content)
    page = client.get("/indicators/transit-freight/").content.decode()
    assert "22.7" not in page


def test_submit_publish_withdraw(client, editor, reviewer, draft_figure):
    from django.test import Client

    editor_client, reviewer_client = Client(), Client()
    editor_client.force_login(editor)
    reviewer_client.force_login(reviewer)

    response = run_action(editor_client, "submit_for_review", [draft_figure], "Ready")
    assert "is now in review" in response.content.decode()
    draft_figure.refresh_from_db()
    assert draft_figure.state == PublicationState.IN_REVIEW
    latest = draft_figure.history.latest("history_date")
    assert (latest.state, latest.history_user, latest.history_change_reason) == (
        "in_review",
        editor,
        "Ready",
    )

    # Publishing needs the quote first.
    response = run_action(reviewer_client, "publish", [draft_figure], "Checked")
    assert "cannot be published yet" in response.content.decode()
    assert "verbatim quote" in response.content.decode()
    draft_figure.refresh_from_db()
    assert draft_figure.state == PublicationState.IN_REVIEW

    draft_figure.quote = "объем транзитных перевозок"
    with revision(user=editor, reason="Quote added"):
        draft_figure.save()
    response = run_action(reviewer_client, "publish", [draft_figure], "Checked the quote")
    assert "is now published" in response.content.decode()
    draft_figure.refresh_from_db()
    assert draft_figure.state == PublicationState.PUBLISHED
    assert is_public(client, draft_figure)
    assert client.get(draft_figure.get_absolute_url()).status_code == 200

    response = run_action(reviewer_client, "withdraw", [draft_figure], "Source retracted")
    draft_figure.refresh_from_db()
    assert draft_figure.state == PublicationState.WITHDRAWN
    assert not is_public(client, draft_figure)
    assert client.get(draft_figure.get_absolute_url()).status_code == 404
    reasons = list(
        draft_figure.history.order_by("history_date").values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons == ["Created", "Ready", "Quote added", "Checked the quote", "Source retracted"]


def test_actions_need_a_reason(editor_client, draft_figure):
    response = run_action(editor_client, "submit_for_review", [draft_figure], reason="")
    assert "type the reason" in response.content.decode()
    draft_figure.refresh_from_db()
    assert draft_figure.state == PublicationState.DRAFT
    assert draft_figure.history.count() == 1


def test_editors_cannot_publish(editor, editor_client, draft_figure):
    page = editor_client.get(CHANGELIST).content.decode()
    assert 'value="submit_for_review"' in page
    assert 'value="publish"' not in page and 'value="withdraw"' not in page
    run_action(editor_client, "publish", [draft_figure])
    draft_figure.refresh_from_db()
    assert draft_figure.state == PublicationState.DRAFT
    with pytest.raises(PermissionDenied):
        transition(draft_figure, to_state="published", user=editor, reason="sneaky")
    published = Figure.objects.get(pk=3)
    with pytest.raises(PermissionDenied):
        transition(published, to_state="withdrawn", user=editor, reason="sneaky")


def test_editors_cannot_set_state_through_the_form(editor_client, draft_figure):
    url = reverse("admin:indicators_figure_change", args=[draft_figure.pk])
    data = changeform_data(editor_client.get(url), change_reason="try")
    data["state"] = "published"
    editor_client.post(url, data)
    draft_figure.refresh_from_db()
    assert draft_figure.state == PublicationState.DRAFT


def test_impossible_transitions_are_refused(reviewer, draft_figure):
    with pytest.raises(TransitionError, match="cannot become withdrawn"):
        transition(draft_figure, to_state="withdrawn", user=reviewer, reason="x")
    with pytest.raises(TransitionError, match="Give a reason"):
        transition(draft_figure, to_state="in_review", user=reviewer, reason="  ")


def test_a_reviewers_edit_of_a_published_record_keeps_it_published(reviewer_client):
    figure = Figure.objects.get(pk=3)
    url = reverse("admin:indicators_figure_change", args=[figure.pk])
    data = changeform_data(reviewer_client.get(url), value="67.5", change_reason="Precise number")
    assert reviewer_client.post(url, data).status_code == 302
    figure.refresh_from_db()
    assert (figure.state, figure.value) == ("published", Decimal("67.5"))


def test_children_leave_with_their_withdrawn_parent(client, reviewer):
    indicator = Indicator.objects.get(slug="trade-with-sco-members")
    transition(indicator, to_state="withdrawn", user=reviewer, reason="Definition under review")
    figure = indicator.figures.get()
    assert figure.state == "withdrawn"
    assert figure.history.latest("history_date").history_change_reason.startswith(
        "Withdrawn with “Trade turnover with SCO member states”: Definition under review"
    )
    assert client.get(figure.get_absolute_url()).status_code == 404
    assert not is_public(client, figure)
    meeting_figures = client.get("/meetings/chg-24-moscow-2025/").content.decode()
    assert figure.get_absolute_url() not in meeting_figures


def test_review_queue(editor_client, reviewer_client, draft_figure):
    run_action(editor_client, "submit_for_review", [draft_figure], "Ready")
    for client in (editor_client, reviewer_client):
        page = client.get(reverse("admin_review_queue")).content.decode()
        assert "1 item is waiting for review." in page
        assert reverse("admin:indicators_figure_change", args=[draft_figure.pk]) in page
    filtered = reviewer_client.get(CHANGELIST, {"state__exact": "in_review"})
    assert filtered.context["cl"].result_count == 1


def test_state_filter_shows_counts(reviewer_client, draft_figure):
    """Counts per state on request (the admin's "Show counts"; not computed by default)."""
    assert "draft (1)" not in reviewer_client.get(CHANGELIST).content.decode()
    page = reviewer_client.get(CHANGELIST, {"_facets": "True"}).content.decode()
    assert "draft (1)" in page
    assert "published (13)" in page


def test_list_editable_status_with_reason(reviewer, reviewer_client):
    editor_client = reviewer_client  # published rows: a reviewer's list edit saves at once
    url = reverse("admin:meetings_commitment_changelist")
    page = editor_client.get(url)
    data = changelist_data(page, reason="", changes={6: {"status": "in_progress"}})

    response = editor_client.post(url, data)  # no reason
    assert response.status_code == 200
    assert "Give a reason for these changes" in response.content.decode()
    assert Commitment.objects.get(pk=6).status == "proposed"
    assert Commitment.objects.get(pk=6).history.count() == 1

    data["list_change_reason"] = "Charter of the bank drafted"
    response = editor_client.post(url, data)
    assert response.status_code == 302
    commitment = Commitment.objects.get(pk=6)
    assert commitment.status == "in_progress"
    latest = commitment.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (
        reviewer,
        "Charter of the bank drafted",
    )
    # Only the changed row has a new revision.
    assert (
        sum(c.history.count() for c in Commitment.objects.all()) == Commitment.objects.count() + 1
    )


class TestValidation:
    @pytest.mark.parametrize(
        ("indicator", "changes", "field", "message"),
        [
            (
                "trade-with-sco-members-growth",
                {"base_value": "2"},
                "base_value",
                "compared with a base period, not a base value",
            ),
            (
                "trade-with-sco-members",
                {"base_period_start": "2020-01-01", "base_period_end": "2020-12-31"},
                "base_period_start",
                "A base period belongs to a comparison",
            ),
            (
                "trade-with-sco-members",
                {"quote": ""},
                "quote",
                "published figure needs its verbatim quote",
            ),
            ("sco-share-of-trade", {"value": "100.5"}, "value", "between 0 and 100"),
            ("sco-share-of-trade", {"unit": "USD"}, "unit", "is a share: use %"),
        ],
    )
    def test_field_level_messages(self, editor_client, indicator, changes, field, message):
        figure = Figure.objects.filter(indicator__slug=indicator).first()
        url = reverse("admin:indicators_figure_change", args=[figure.pk])
        data = changeform_data(editor_client.get(url), change_reason="try", **changes)
        response = editor_client.post(url, data)
        assert response.status_code == 200
        assert message in " ".join(response.context["adminform"].form.errors.get(field, []))
