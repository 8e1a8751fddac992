"""Adding a tracked model touches its own app only (``tests/example_app``: the model with
its ``Tracking`` class, an admin registration, its URLs); the admin, the workflow, the
public pages, ``/changes/`` with its filters and feed, ``?as_of=``, the review queue and
the groups treat it like every other record type."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.admin_forms import changeform_data
from tests.conftest import signed_in
from tests.example_app.models import Statement
from tests.factories import EditorFactory

pytestmark = [
    pytest.mark.usefixtures("seed"),
    pytest.mark.urls("tests.example_app.urls"),
]


def post_action(client, statement, action, reason):
    return client.post(
        reverse("admin:example_statement_changelist"),
        {
            "action": action,
            "_selected_action": [
                f"{statement.pk},{Statement.objects.get(pk=statement.pk).version}"
            ],
            "change_reason": reason,
            "index": "0",
        },
        follow=True,
    )


def changes(client, **params):
    return client.get("/changes/", {"format": "json", **params}).json()["results"]


def test_the_engine_does_not_know_the_example_app():
    engine = Path(settings.BASE_DIR) / "sco_tracker" / "tracking"
    for path in engine.rglob("*"):
        if path.suffix in (".py", ".html"):
            assert "statement" not in path.read_text(encoding="utf-8").lower(), path


@override_settings(ROOT_URLCONF="tests.example_app.urls")
def test_a_new_record_type_gets_the_whole_engine(client, editor, reviewer):
    editor_admin, reviewer_admin = signed_in(editor), signed_in(reviewer)
    add = reverse("admin:example_statement_add")
    data = changeform_data(
        editor_admin.get(add), meeting="1", text="Moscow is ready to host", change_reason=""
    )
    assert editor_admin.post(add, data).status_code == 302
    statement = Statement.objects.get()
    first = statement.history.get()
    assert (first.history_user, first.history_change_reason) == (editor, "Created")

    # A draft is private everywhere, and waits in the reviewers' queue once submitted.
    assert client.get(f"/statements/{statement.pk}/").status_code == 404
    assert client.get(f"/statements/{statement.pk}/history/").status_code == 404
    assert not changes(client, type="statement")
    post_action(editor_admin, statement, "submit_for_review", "Ready")
    assert "Moscow is ready to host" in reviewer_admin.get("/admin/review/").content.decode()
    refused = post_action(editor_admin, statement, "publish", "Editors cannot")
    assert Statement.objects.get(pk=statement.pk).state == "in_review", refused

    # Published by a reviewer: public, in /changes/ (with the filters it declares), feed.
    post_action(reviewer_admin, statement, "publish", "Checked")
    before_edit = timezone.now().isoformat()
    assert client.get(f"/statements/{statement.pk}/").status_code == 200
    assert [r["revision"] for r in changes(client, type="statement")] == ["published"]
    assert changes(client, type="statement", country="RU")
    assert not changes(client, type="statement", country="KZ")
    assert "Moscow is ready to host" in client.get("/changes/feed/").content.decode()

    # An editor's change waits for review; published by a reviewer: one public revision
    # with its diff; the past stays readable.
    change = reverse("admin:example_statement_change", args=[statement.pk])
    data = changeform_data(
        editor_admin.get(change), text="Moscow will host", change_reason="Exact words"
    )
    assert editor_admin.post(change, data).status_code == 302
    assert "Moscow is ready to host" in client.get(f"/statements/{statement.pk}/").content.decode()
    post_action(editor_admin, statement, "submit_for_review", "Exact words")
    assert "Moscow will host" in reviewer_admin.get("/admin/review/").content.decode()
    post_action(reviewer_admin, statement, "publish", "Checked")
    rows = changes(client, type="statement")
    assert rows[0]["revision"] == "changed"
    assert rows[0]["changes"] == ["Text: Moscow is ready to host → Moscow will host"]
    then = client.get(f"/statements/{statement.pk}/", {"as_of": before_edit}).content.decode()
    assert "Moscow is ready to host" in then
    assert "Moscow will host" in client.get(f"/statements/{statement.pk}/").content.decode()

    # Its parent withdrawn, it is off the site, its public history kept.
    from sco_tracker.tracking.workflow import transition

    transition(Meeting.objects.get(pk=1), to_state="withdrawn", user=reviewer, reason="Down")
    assert client.get(f"/statements/{statement.pk}/").status_code == 404
    assert client.get(f"/statements/{statement.pk}/history/").status_code == 200


def test_the_groups_cover_the_new_record_type():
    editor = EditorFactory(username="nina")
    assert editor.has_perm("example.add_statement")
    assert editor.has_perm("example.change_statement")
    assert not editor.has_perm("example.publish_statement")
    assert not editor.has_perm("example.delete_statement")
