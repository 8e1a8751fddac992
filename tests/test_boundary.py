"""The publication boundary, tried as a hostile editor and as an auditor would: nothing
unreviewed reaches a public page, export, feed or history, a revert never changes the
publication state, and ``?as_of=`` shows related records as they stood.

Each test drives the admin as editors do (rendered forms posted back) and reads the
public site over HTTP; its docstring names the path it covers."""

import csv
import importlib
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from indicators.models import Figure, Indicator
from meetings.models import Commitment, CommitmentQuote, Meeting
from tests.admin_forms import add_figure, changeform_data
from tests.conftest import signed_in
from tests.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.usefixtures("seed")

FIGURE = 3  # Kazakhstan's trade with SCO members, "более $67 млрд", meeting 1
MEETING = 1  # the 24th meeting of the Council of Heads of Government, Moscow
SOURCE_TEXT_SNIPPETS = (
    "Вклад стран ШОС в мировую экономику",
    "Вклад стран ШОС в мировую экономику за годы деятельности Организации",
    "Вклад стран ШОС в мировую экономику за годы деятельности Организации вырос",
)


def admin_url(obj, view="change", *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def edit(client, obj, reason, **changes):
    """Post the admin change form of ``obj`` as shown, with ``changes`` and a reason."""
    url = admin_url(obj)
    response = client.post(url, changeform_data(client.get(url), change_reason=reason, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def act(client, model, objects, action, reason):
    """Run a change-list action on ``objects`` (each selected with its version); a
    withdrawal's confirmation (of the children leaving with it) is given."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    fresh = model.objects.filter(pk__in=[obj.pk for obj in objects])
    response = client.post(
        url,
        {
            "action": action,
            "_selected_action": [f"{obj.pk},{obj.version}" for obj in fresh],
            "change_reason": reason,
            "index": "0",
            "confirmed": "yes",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "No action selected" not in response.content.decode()
    return response


def revert(client, obj, revision_row, reason):
    url = admin_url(obj, "simple_history", revision_row.history_id)
    return client.post(url, changeform_data(client.get(url), change_reason=reason))


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def everything_public(client, *paths) -> str:
    """Every public view of the site's changes and of ``paths``, as one text."""
    urls = [
        "/changes/",
        "/changes/?format=json",
        "/changes/?format=csv",
        "/changes/feed/",
        *paths,
    ]
    return "\n".join(body(client.get(url)) for url in urls)


@pytest.fixture
def editor_admin(editor):
    return signed_in(editor)


@pytest.fixture
def reviewer_admin(reviewer):
    return signed_in(reviewer)


# --- reverts restore content, never the publication state -------------------------------


def test_revert_to_a_draft_revision_keeps_a_published_record_published(
    client, editor_admin, reviewer_admin
):
    """Admin revert form, by a reviewer: going back to a figure's first (draft) text leaves
    it published, with the draft's value. (An editor cannot revert a published record: a
    change to it waits for review, test_review.py.)"""
    assert add_figure(editor_admin, quote=SOURCE_TEXT_SNIPPETS[0]).status_code == 302
    figure = Figure.objects.latest("pk")
    published = act(reviewer_admin, Figure, [figure], "publish", "Checked against the release")
    assert "is now published" in published.content.decode()
    edit(reviewer_admin, Figure.objects.get(pk=figure.pk), "Ministry's newer figure", value="23.1")
    first = figure.history.earliest("history_date")
    assert first.state == "draft"

    response = revert(reviewer_admin, Figure.objects.get(pk=figure.pk), first, "Back to 22.7")

    assert response.status_code == 302
    figure.refresh_from_db()
    assert (figure.state, figure.value) == ("published", Decimal("22.7"))
    latest = figure.history.latest("history_date")
    assert latest.reverted_to_history_id == first.history_id
    assert latest.history_change_reason == "Back to 22.7"
    assert client.get(f"/figures/{figure.pk}/").status_code == 200


def test_revert_to_a_published_revision_does_not_republish_a_withdrawn_record(
    client, editor_admin, reviewer_admin
):
    """Admin revert form, by an editor: a withdrawn figure reverted to its published text
    stays withdrawn and off the site."""
    act(reviewer_admin, Figure, [Figure.objects.get(pk=FIGURE)], "withdraw", "Disputed")
    published = Figure.history.filter(id=FIGURE).earliest("history_date")
    assert published.state == "published"

    response = revert(editor_admin, Figure.objects.get(pk=FIGURE), published, "Undo")

    assert response.status_code in (200, 302)
    assert Figure.objects.get(pk=FIGURE).state == "withdrawn"
    assert client.get(f"/figures/{FIGURE}/").status_code == 404


def test_view_only_staff_cannot_revert(reviewer_admin):
    """Admin revert URL, by a staff user with only the view permission: 403 for GET and
    POST, and nothing is written."""
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_figure", content_type__app_label="indicators")
    )
    figure = Figure.objects.get(pk=FIGURE)
    first = figure.history.earliest("history_date")
    edit(reviewer_admin, figure, "Newer figure", value="68")
    url = admin_url(figure, "simple_history", first.history_id)
    data = changeform_data(reviewer_admin.get(url), change_reason="sneaky")
    revisions = figure.history.count()

    viewer_client = signed_in(viewer)
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url, data).status_code == 403
    assert figure.history.count() == revisions
    assert Figure.objects.get(pk=FIGURE).value == Decimal("68")


# --- time travel reaches related records as they stood ---------------------------------


def test_as_of_shows_related_records_as_they_stood(client, editor_admin, reviewer_admin):
    """``/figures/<id>/?as_of=``: the indicator's name and the meeting's title are those of
    the moment, though both were renamed since and the meeting was withdrawn."""
    before = timezone.now().isoformat()
    figure = Figure.objects.get(pk=FIGURE)
    old_indicator, old_meeting = figure.indicator.name_en, figure.meeting.title_en
    edit(reviewer_admin, figure.indicator, "Renamed", name_en="RENAMED INDICATOR")
    meeting = Meeting.objects.get(pk=MEETING)
    edit(reviewer_admin, meeting, "Retitled", title_en="RETITLED MEETING")

    def page_then():
        return body(client.get(f"/figures/{FIGURE}/", {"as_of": before}))

    assert old_indicator in page_then() and old_meeting in page_then()
    assert "RENAMED INDICATOR" not in page_then() and "RETITLED MEETING" not in page_then()
    listed = client.get("/figures/", {"as_of": before, "format": "json"}).json()["results"]
    row = next(r for r in listed if r["id"] == FIGURE)
    assert row["indicator_name"] == old_indicator

    act(reviewer_admin, Meeting, [meeting], "withdraw", "Taken down")
    assert client.get(f"/figures/{FIGURE}/").status_code == 404
    assert old_meeting in page_then() and "RETITLED MEETING" not in page_then()


def test_as_of_hides_related_records_that_were_not_public_then(client, reviewer_admin):
    """``/meetings/<slug>/?as_of=``: a figure entered (as a draft) after the moment is not
    on the meeting's page then; menus of the figures list offer only the indicators that
    were public then, under their names of then."""
    before = timezone.now().isoformat()
    edit(
        reviewer_admin,
        Indicator.objects.get(slug="transit-freight"),
        "Renamed",
        name_en="RENAMED TRANSIT",
    )
    page = body(client.get("/figures/", {"as_of": before}))
    assert "RENAMED TRANSIT" not in page
    assert 'value="transit-freight"' in page
    now = body(client.get("/figures/"))
    assert "RENAMED TRANSIT" in now


# --- draft-stage edits never become public ------------------------------------------------


def add_draft_commitment(client) -> Commitment:
    url = reverse("admin:meetings_commitment_add")
    data = changeform_data(
        client.get(url),
        title_en="DRAFT TITLE ONE",
        title_ru="Черновик",
        kind="proposal",
        status="proposed",
        meeting=str(MEETING),
        change_reason="",
    )
    data.update(
        {
            "quotes-TOTAL_FORMS": "1",
            "quotes-INITIAL_FORMS": "0",
            "quotes-0-source": "1",
            "quotes-0-quote": SOURCE_TEXT_SNIPPETS[0],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Commitment.objects.get(title_en="DRAFT TITLE ONE")


def test_draft_stage_edits_stay_out_of_every_public_history(client, editor_admin, reviewer_admin):
    """``/changes/`` (HTML, CSV, JSON, Atom) and the commitment's history: a commitment
    created as a draft and edited (title, quote) several times before publication shows
    one publication event, none of the drafts' texts or reasons."""
    commitment = add_draft_commitment(editor_admin)
    edit(editor_admin, commitment, "DRAFT REASON A", title_en="DRAFT TITLE TWO")
    commitment.refresh_from_db()
    url = admin_url(commitment)
    data = changeform_data(
        editor_admin.get(url),
        title_en="Final title",
        change_reason="DRAFT REASON B",
        **{"quotes-0-quote": SOURCE_TEXT_SNIPPETS[1]},
    )
    assert editor_admin.post(url, data).status_code == 302
    act(editor_admin, Commitment, [commitment], "submit_for_review", "Ready")
    act(reviewer_admin, Commitment, [commitment], "publish", "Checked")
    assert Commitment.objects.get(pk=commitment.pk).state == "published"
    assert commitment.history.count() >= 5
    assert CommitmentQuote.objects.get(commitment=commitment).quote == SOURCE_TEXT_SNIPPETS[1]

    history_url = f"/commitments/{commitment.pk}/history/"
    text = everything_public(client, history_url, f"/commitments/{commitment.pk}/")
    for secret in ("DRAFT TITLE ONE", "DRAFT TITLE TWO", "DRAFT REASON A", "DRAFT REASON B"):
        assert secret not in text, secret
    assert "Final title" in text
    revisions = client.get("/changes/", {"format": "json", "type": "commitment"}).json()
    mine = [r for r in revisions["results"] if r["record_id"] == commitment.pk]
    assert [r["revision"] for r in mine] == ["published"]
    assert mine[0]["reason"] == "Checked"
    quotes = client.get("/changes/", {"format": "json", "type": "commitmentquote"}).json()
    assert commitment.quotes.get().pk not in [
        r["record_id"] for r in quotes["results"] if r["date"] > mine[0]["date"][:10]
    ]
    assert body(client.get(history_url)).count('class="revision revision-') == 1


def test_edits_of_a_published_record_are_public(client, reviewer_admin):
    """The other side of the boundary: a reviewer's edit of a public record is a public
    revision."""
    edit(reviewer_admin, Figure.objects.get(pk=FIGURE), "Ministry's annual report", value="68")
    rows = client.get("/changes/", {"format": "json", "type": "figure"}).json()["results"]
    assert rows[0]["revision"] == "changed"
    assert rows[0]["changes"] == ["Value: > 67 billion USD → > 68 billion USD"]


# --- diffs never name a record that is not public ----------------------------------------


def test_diffs_never_name_a_record_that_is_not_public(client, editor_admin, reviewer_admin):
    """A figure's history and ``/changes/``: after its new meeting was withdrawn, the
    revision that moved it there reads "a record not yet public", never the title."""
    tianjin = Meeting.objects.get(slug="chs-tianjin-2025")
    edit(reviewer_admin, tianjin, "Retitled", title_en="TIANJIN SUMMIT TITLE")
    edit(
        reviewer_admin, Figure.objects.get(pk=FIGURE), "Stated in Tianjin", meeting=str(tianjin.pk)
    )
    act(reviewer_admin, Meeting, [Meeting.objects.get(pk=tianjin.pk)], "withdraw", "Disputed")

    history = client.get(f"/figures/{FIGURE}/history/")
    assert history.status_code == 200
    assert "a record not yet public" in body(history)
    rows = client.get("/changes/", {"format": "json", "type": "figure"}).json()["results"]
    assert [r["revision"] for r in rows[:2]] == ["withdrawn", "changed"]  # left with Tianjin
    assert any("a record not yet public" in change for change in rows[1]["changes"])
    changed = body(history).split('class="revision revision-changed"')[1]
    assert "TIANJIN SUMMIT TITLE" not in changed.split("</li>")[0]
    assert not any("TIANJIN" in change for change in rows[1]["changes"])


# --- a record that was never public is a 404 everywhere -----------------------------------


def public_urls(model, obj):
    page = obj.tracking.url(obj)
    history = obj.tracking.history_url(obj)
    return [
        page,
        history,
        f"{page}?as_of={timezone.now().isoformat()}",
        f"{history}?as_of={timezone.now().isoformat()}",
        f"{history}?page=2",
    ]


def test_never_public_records_are_404_on_every_public_url(client, editor_admin, reviewer):
    """Detail and history pages (now and as of now) of a draft figure, a draft indicator
    and a figure published in code under that draft indicator: 404, like a missing record,
    and absent from every list, export and feed."""
    assert add_figure(editor_admin, as_stated="NEVER-PUBLIC FIGURE").status_code == 302
    draft_figure = Figure.objects.get(as_stated="NEVER-PUBLIC FIGURE")
    url = reverse("admin:indicators_indicator_add")
    data = changeform_data(
        editor_admin.get(url),
        slug="never-public",
        name_en="NEVER-PUBLIC INDICATOR",
        name_ru="Никогда",
        measure_kind="level",
        default_unit="USD",
        default_unit_multiplier="9",
    )
    assert editor_admin.post(url, data).status_code == 302
    indicator = Indicator.objects.get(slug="never-public")
    assert (
        add_figure(
            editor_admin, indicator=str(indicator.pk), as_stated="UNDER A DRAFT INDICATOR"
        ).status_code
        == 302
    )
    orphan = Figure.objects.get(as_stated="UNDER A DRAFT INDICATOR")
    from sco_tracker.tracking.recording import revision

    orphan.state = "published"
    orphan.quote = SOURCE_TEXT_SNIPPETS[0]
    with revision(user=reviewer, reason="Published in code, around the workflow"):
        orphan.save()

    missing = client.get("/figures/999999/")
    for obj in (draft_figure, indicator, orphan):
        for url in public_urls(type(obj), obj):
            response = client.get(url)
            assert response.status_code == missing.status_code == 404, url
    text = everything_public(
        client, "/figures/?format=json", "/figures/?format=csv", "/indicators/?format=json"
    )
    for secret in ("NEVER-PUBLIC", "UNDER A DRAFT INDICATOR"):
        assert secret not in text


def test_publishing_under_a_private_parent_is_refused(editor_admin, reviewer_admin):
    """Publish action on a figure whose indicator is a draft: refused, naming the
    indicator; the figure stays as it was."""
    url = reverse("admin:indicators_indicator_add")
    data = changeform_data(
        editor_admin.get(url),
        slug="draft-parent",
        name_en="Draft parent",
        name_ru="Черновик",
        measure_kind="level",
        default_unit="USD",
        default_unit_multiplier="9",
    )
    editor_admin.post(url, data)
    indicator = Indicator.objects.get(slug="draft-parent")
    add_figure(editor_admin, indicator=str(indicator.pk), quote=SOURCE_TEXT_SNIPPETS[0])
    figure = Figure.objects.get(indicator=indicator)
    response = act(reviewer_admin, Figure, [figure], "publish", "Looks fine")
    assert "Draft parent" in response.content.decode()
    assert "is not public" in response.content.decode()
    assert Figure.objects.get(pk=figure.pk).state == "draft"


# --- the feed and time travel ---------------------------------------------------------------


def test_feed_honours_as_of(client, reviewer_admin):
    """``/changes/feed/?as_of=``: revisions made after the moment are not in the feed."""
    before = timezone.now().isoformat()
    edit(reviewer_admin, Figure.objects.get(pk=FIGURE), "LATER REASON", value="68")
    assert "LATER REASON" in body(client.get("/changes/feed/"))
    assert "LATER REASON" not in body(client.get("/changes/feed/", {"as_of": before}))


def test_csv_export_of_changes_matches_json(client, reviewer_admin):
    edit(reviewer_admin, Figure.objects.get(pk=FIGURE), "Ministry's annual report", value="68")
    rows = list(csv.DictReader(io.StringIO(body(client.get("/changes/?format=csv")))))
    listed = client.get("/changes/", {"format": "json", "per_page": 200}).json()
    assert [int(r["revision_id"]) for r in rows][: len(listed["results"])] == [
        r["revision_id"] for r in listed["results"]
    ]


# --- stored public events agree with the migration that filled them in ------------------


def test_backfill_migration_agrees_with_the_engine(editor_admin, reviewer_admin):
    """Revisions written before ``public_kind`` existed were classified by a migration; it
    must say what the engine says for the same history."""
    edit(editor_admin, Figure.objects.get(pk=FIGURE), "Newer", value="68")
    act(reviewer_admin, Meeting, [Meeting.objects.get(pk=MEETING)], "withdraw", "Down")
    add_draft_commitment(editor_admin)
    act(reviewer_admin, Figure, [Figure.objects.get(pk=2)], "withdraw", "Disputed")
    models = [Figure, Indicator, Meeting, Commitment, CommitmentQuote]
    engine = {m: dict(m.history.values_list("history_id", "public_kind")) for m in models}
    assert any(kind == "" for kinds in engine.values() for kind in kinds.values())
    for model in models:
        model.history.update(public_kind="")
    migration = importlib.import_module("indicators.migrations.0007_backfill_public_kind")
    from django.apps import apps

    migration.backfill(apps, None)
    for model in models:
        assert dict(model.history.values_list("history_id", "public_kind")) == engine[model]


def test_editor_accounts_are_kept_in_the_groups_after_a_flush():
    """The Editors and Reviewers groups come from the engine's post_migrate handler, for
    every tracked model; editors never delete."""
    editor = EditorFactory(username="greta")
    assert editor.has_perm("indicators.change_figure")
    assert editor.has_perm("meetings.add_session")
    assert not editor.has_perm("indicators.delete_figure")
    assert not editor.has_perm("indicators.publish_figure")
