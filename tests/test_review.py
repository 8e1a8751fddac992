"""Review that means something: an editor's change to a published record waits for a
reviewer, publishing never strands a record, and reviewers read diffs they can follow."""

from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from indicators.models import Figure, Indicator
from meetings.models import Commitment, Country, Meeting, Topic
from sco_tracker.tracking.models import PendingChange
from sco_tracker.tracking.options import tracked_models
from tests.admin_forms import add_figure, changeform_data
from tests.conftest import signed_in
from tests.factories import EditorFactory

pytestmark = pytest.mark.usefixtures("seed")
FIGURE = 3
QUOTE = "Вклад стран ШОС в мировую экономику"


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def propose(client, obj, reason, submit=False, **changes):
    url = change_url(obj)
    data = changeform_data(client.get(url), change_reason=reason, **changes)
    if submit:
        data["_submit"] = "Save and submit for review"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def act(client, model, objects, action, reason, **extra):
    opts = model._meta
    fresh = model.objects.filter(pk__in=[obj.pk for obj in objects])
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {
            "action": action,
            helpers.ACTION_CHECKBOX_NAME: [f"{obj.pk},{obj.version}" for obj in fresh],
            "change_reason": reason,
            "index": "0",
            **extra,
        },
        follow=True,
    )


def pending_of(obj):
    content_type = ContentType.objects.get_for_model(type(obj))
    return PendingChange.objects.filter(content_type=content_type, object_id=obj.pk).first()


@pytest.fixture
def editor_admin(editor):
    return signed_in(editor)


@pytest.fixture
def reviewer_admin(reviewer):
    return signed_in(reviewer)


def test_an_editors_change_to_a_published_figure_waits_for_a_reviewer(
    client, editor_admin, reviewer_admin, reviewer
):
    """The done-when flow: the public keeps the published value until a reviewer, who
    reads the diff in the queue, publishes the change as one revision with the reason."""
    figure = Figure.objects.get(pk=FIGURE)
    revisions = figure.history.count()
    propose(editor_admin, figure, "Ministry's annual report", value="68")

    assert "&gt; 67 billion USD" in client.get(f"/figures/{FIGURE}/").content.decode()
    assert Figure.objects.get(pk=FIGURE).value == 67
    assert figure.history.count() == revisions, "a proposal is not a revision"
    form = editor_admin.get(change_url(figure))
    page = form.content.decode()
    assert "A proposed change is being prepared" in page
    assert "Ministry&#x27;s annual report" in page and "Differs from the published version" in page
    assert form.context["adminform"].form["value"].value() == "68"

    queue = reviewer_admin.get(reverse("admin_review_queue")).content.decode()
    assert "Trade turnover with SCO member states" not in queue.split("Changes proposed")[-1]
    act(editor_admin, Figure, [figure], "submit_for_review", "Ready")
    queue = reviewer_admin.get(reverse("admin_review_queue")).content.decode()
    assert "Changes proposed to published records" in queue
    assert "&gt; 67 billion USD" in queue and "&gt; 68 billion USD" in queue

    published = act(reviewer_admin, Figure, [figure], "publish", "Checked against the report")
    assert "is published" in published.content.decode()
    assert "&gt; 68 billion USD" in client.get(f"/figures/{FIGURE}/").content.decode()
    assert pending_of(figure) is None
    latest = Figure.history.filter(id=FIGURE).latest("history_date")
    assert figure.history.count() == revisions + 1
    assert (latest.history_user, latest.public_kind) == (reviewer, "changed")
    assert latest.history_change_reason == "Ministry's annual report — Checked against the report"
    rows = client.get("/changes/", {"format": "json", "type": "figure"}).json()["results"]
    assert rows[0]["changes"] == ["Value: > 67 billion USD → > 68 billion USD"]


def test_a_second_editor_continues_the_proposal_and_cannot_overwrite_it(editor_admin):
    figure = Figure.objects.get(pk=FIGURE)
    bob = signed_in(EditorFactory(username="bob"))
    stale = bob.get(change_url(figure))  # opened before the proposal existed
    propose(editor_admin, figure, "First reading", value="68")
    refused = bob.post(
        change_url(figure), changeform_data(stale, value="70", change_reason="Other reading")
    )
    assert refused.status_code == 302
    assert "changed this proposal" in bob.get(refused["Location"]).content.decode()
    assert pending_of(figure).form_data["value"] == ["68"]

    continued = bob.get(change_url(figure))
    assert continued.context["adminform"].form["value"].value() == "68"
    bob.post(
        change_url(figure),
        changeform_data(continued, as_stated="около $68 млрд", change_reason="Wording too"),
    )
    proposal = pending_of(figure)
    assert (proposal.revision, proposal.updated_by.username) == (2, "bob")
    assert proposal.form_data["value"] == ["68"]
    assert proposal.form_data["as_stated"] == ["около $68 млрд"]


def test_a_reviewer_returns_a_proposal_with_a_note(editor_admin, reviewer_admin):
    figure = Figure.objects.get(pk=FIGURE)
    propose(editor_admin, figure, "First reading", submit=True, value="68")
    assert pending_of(figure).submitted_at is not None
    act(reviewer_admin, Figure, [figure], "return_to_draft", "The release says 67")
    proposal = pending_of(figure)
    assert proposal.submitted_at is None and proposal.note == "The release says 67"
    assert Figure.objects.get(pk=FIGURE).state == "published"
    assert "Returned by a reviewer" in editor_admin.get(change_url(figure)).content.decode()


def test_a_reviewer_opening_the_proposal_publishes_it_by_saving(
    client, reviewer_admin, editor_admin
):
    figure = Figure.objects.get(pk=FIGURE)
    propose(editor_admin, figure, "Precise figure", value="67.4")
    form = reviewer_admin.get(change_url(figure))
    assert "Saving this form publishes the change" in form.content.decode()
    data = changeform_data(form, change_reason="Checked")
    assert reviewer_admin.post(change_url(figure), data).status_code == 302
    assert Figure.objects.get(pk=FIGURE).value == Decimal("67.4")
    assert pending_of(figure) is None
    assert "&gt; 67.4 billion USD" in client.get(f"/figures/{FIGURE}/").content.decode()


def test_a_reviewer_keeping_the_proposals_reason_publishes_it_once(
    reviewer_admin, editor_admin, reviewer
):
    """The change form opens on the proposal, its reason filled in: saved as it is, the
    revision's reason is that reason, not the reason twice over."""
    figure = Figure.objects.get(pk=FIGURE)
    propose(editor_admin, figure, "Precise figure", value="67.4")
    form = reviewer_admin.get(change_url(figure))
    assert form.context["adminform"].form["change_reason"].value() == "Precise figure"
    assert reviewer_admin.post(change_url(figure), changeform_data(form)).status_code == 302
    latest = Figure.history.filter(id=FIGURE).latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (reviewer, "Precise figure")


def test_inlines_and_many_to_many_sets_are_part_of_the_proposal(
    client, editor_admin, reviewer_admin
):
    meeting = Meeting.objects.get(pk=1)
    url = change_url(meeting)
    data = changeform_data(editor_admin.get(url), change_reason="Uzbekistan came; energy too")
    total = int(data["delegations-TOTAL_FORMS"])
    data.update(
        {
            "delegations-TOTAL_FORMS": str(total + 1),
            f"delegations-{total}-country": str(Country.objects.get(code="UZ").pk),
            f"delegations-{total}-meeting": str(meeting.pk),
        }
    )
    energy = Topic.objects.get(slug="energy") if Topic.objects.filter(slug="energy") else None
    topic = energy or Topic.objects.exclude(meetings=meeting).first()
    data["topics"] = [*data["topics"], str(topic.pk)]
    assert editor_admin.post(url, data).status_code == 302
    assert not meeting.delegations.filter(country__code="UZ").exists()

    def public_countries():
        rows = client.get("/meetings/", {"format": "json"}).json()["results"]
        return next(row for row in rows if row["id"] == meeting.pk)["countries"]

    assert "UZ" not in public_countries()
    form = editor_admin.get(url).content.decode()
    assert "Uzbekistan" in form and topic.name in form

    act(reviewer_admin, Meeting, [meeting], "publish", "Checked with the delegation list")
    assert meeting.delegations.filter(country__code="UZ").exists()
    assert topic in Meeting.objects.get(pk=1).topics.all()
    assert "UZ" in public_countries()


def test_editors_cannot_publish_around_review(editor_admin):
    """Neither the revert form nor a list edit changes a published record for an editor."""
    figure = Figure.objects.get(pk=FIGURE)
    first = figure.history.earliest("history_date")
    url = reverse("admin:indicators_figure_simple_history", args=[FIGURE, first.history_id])
    refused = editor_admin.post(url, {"change_reason": "x"}, follow=True)
    assert "only a reviewer can revert it" in refused.content.decode()
    changelist = reverse("admin:meetings_commitment_changelist")
    shown = editor_admin.get(changelist)
    from tests.admin_forms import changelist_data

    data = changelist_data(shown, reason="Charter drafted", changes={6: {"status": "achieved"}})
    response = editor_admin.post(changelist, data)
    assert "is published: open it to propose this change" in response.content.decode()
    assert Commitment.objects.get(pk=6).status == "proposed"


def test_an_unchanged_proposal_is_nothing(editor_admin):
    figure = Figure.objects.get(pk=FIGURE)
    url = change_url(figure)
    response = editor_admin.post(url, changeform_data(editor_admin.get(url), change_reason="x"))
    assert "Nothing changed" in editor_admin.get(response["Location"]).content.decode()
    assert pending_of(figure) is None


# --- publishing with parents, withdrawing with children ------------------------------------


def draft_indicator(client) -> Indicator:
    url = reverse("admin:indicators_indicator_add")
    data = changeform_data(
        client.get(url),
        slug="renewables-share",
        name_en="Share of renewables",
        name_ru="Доля ВИЭ",
        measure_kind="share",
        default_unit="%",
        default_unit_multiplier="0",
    )
    assert client.post(url, data).status_code == 302
    return Indicator.objects.get(slug="renewables-share")


def test_publishing_under_a_draft_parent_is_refused_and_both_can_be_published(
    client, editor_admin, reviewer_admin
):
    indicator = draft_indicator(editor_admin)
    add_figure(
        editor_admin,
        indicator=str(indicator.pk),
        unit="%",
        unit_multiplier="0",
        value="12",
        as_stated="12%",
        quote=QUOTE,
    )
    figure = Figure.objects.get(indicator=indicator)
    refused = act(reviewer_admin, Figure, [figure], "publish", "Checked").content.decode()
    assert "cannot be published while “Share of renewables” is not public" in refused
    both = act(reviewer_admin, Figure, [figure], "publish_with_parents", "Checked together")
    assert "Published with it: “Share of renewables”" in both.content.decode()
    assert client.get(f"/figures/{figure.pk}/").status_code == 200
    assert client.get(f"/indicators/{indicator.slug}/").status_code == 200


def test_withdrawing_a_parent_lists_the_children_and_takes_them_along(client, reviewer_admin):
    meeting = Meeting.objects.get(pk=1)
    confirm = act(reviewer_admin, Meeting, [meeting], "withdraw", "Disputed account")
    page = confirm.content.decode()
    assert "Also leaving the public site" in page
    assert "Trade turnover with SCO member states" in page  # one of its figures
    assert Meeting.objects.get(pk=1).state == "published", "nothing before confirmation"
    act(reviewer_admin, Meeting, [meeting], "withdraw", "Disputed account", confirmed="yes")
    assert Meeting.objects.get(pk=1).state == "withdrawn"
    assert set(Figure.objects.filter(meeting=meeting).values_list("state", flat=True)) == {
        "withdrawn"
    }
    assert set(Commitment.objects.filter(meeting=meeting).values_list("state", flat=True)) == {
        "withdrawn"
    }


def test_every_record_the_admin_calls_published_has_a_public_page(
    client, superuser_client, reviewer_admin, editor_admin
):
    """Over every model, after withdrawals and publications: a record in state
    "published" answers 200 on its page, and "View on site" leads there."""
    act(reviewer_admin, Meeting, [Meeting.objects.get(pk=2)], "withdraw", "x", confirmed="yes")
    act(reviewer_admin, Indicator, [Indicator.objects.get(pk=1)], "withdraw", "x", confirmed="yes")
    checked = 0
    for model in tracked_models():
        if not (model.tracking.publishable and model.tracking.url_name):
            continue
        for record in model.objects.filter(state="published"):
            url = record.get_absolute_url()
            assert client.get(url).status_code == 200, url
            form = superuser_client.get(change_url(record)).content.decode()
            assert f'href="{url}"' in form or f'href="{url}' in form, url
            checked += 1
        for record in model.objects.exclude(state="published"):
            form = superuser_client.get(change_url(record)).content.decode()
            assert 'class="viewsitelink"' not in form, record
    assert checked >= 20


# --- diffs a reviewer can read ---------------------------------------------------------


def test_long_texts_are_compared_word_by_word(client, reviewer_admin):
    meeting = Meeting.objects.get(pk=1)
    summary = meeting.summary_en
    assert len(summary) > 80
    edited = (
        summary.replace("Moscow", "Moscow (Russia)", 1)
        if "Moscow" in summary
        else summary + " More."
    )
    propose(reviewer_admin, meeting, "Place named in full", summary_en=edited)
    page = client.get(f"/meetings/{meeting.slug}/history/").content.decode()
    cell = page.split('class="word-diff"')[1].split("</td>")[0]
    assert "<ins>" in cell
    assert cell.count(summary.split()[0]) <= 2, "the text is shown once, with its changes marked"
