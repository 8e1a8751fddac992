"""No lost updates: a stale save is refused with what changed, by whom; input is kept."""

import threading
from decimal import Decimal

import pytest
from concurrency.exceptions import RecordModifiedError
from django.contrib.admin import helpers
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from indicators.models import Figure
from meetings.models import Commitment, Delegation
from sco_tracker.tracking.recording import revision
from tests.admin_forms import changeform_data, changelist_data
from tests.factories import ReviewerFactory

FIGURE = 3  # Kazakhstan's trade with SCO members, 2024: > 67 billion USD


def change_url(pk=FIGURE):
    return reverse("admin:indicators_figure_change", args=[pk])


@pytest.fixture
def two_editors(seed):
    """Two people whose saves of published records apply at once (reviewers); editors'
    changes to published records are proposals, locked the same way (test_review.py)."""
    alice, bob = ReviewerFactory(username="alice"), ReviewerFactory(username="bob")
    a, b = Client(), Client()
    a.force_login(alice)
    b.force_login(bob)
    return a, b


def test_second_save_is_refused_with_what_changed_and_input_kept(two_editors):
    a, b = two_editors
    form_a = a.get(change_url())
    form_b = b.get(change_url())  # both opened the same version

    assert (
        a.post(
            change_url(), changeform_data(form_a, value="68", change_reason="Ministry figure")
        ).status_code
        == 302
    )

    response = b.post(
        change_url(),
        changeform_data(form_b, value="69", as_stated="около $69 млрд", change_reason="Mine"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not saved: someone else changed this record after you opened it." in page
    assert "alice" in page and "Ministry figure" in page
    assert "&gt; 67 billion USD → &gt; 68 billion USD" in page
    form = response.context["adminform"].form
    assert form["value"].value() == "69"  # Bob's input is still there
    assert form["as_stated"].value() == "около $69 млрд"
    figure = Figure.objects.get(pk=FIGURE)
    assert figure.value == Decimal("68")
    assert figure.history.count() == 2  # seed + Alice

    # Bob has seen Alice's change; saving again is his deliberate choice.
    again = changeform_data(response, change_reason="Mine, after seeing Alice's")
    assert b.post(change_url(), again).status_code == 302
    figure.refresh_from_db()
    assert figure.value == Decimal("69")
    assert figure.history.count() == 3


def test_a_conflict_never_brings_back_the_other_editors_old_values(two_editors):
    """Alice changes the period label; Bob, who opened the form before, changes the value
    (and, like Alice, the note). Refused, his form shows Alice's label with his value,
    and the note both changed is marked; saving again keeps Alice's label."""
    a, b = two_editors
    form_a, form_b = a.get(change_url()), b.get(change_url())
    a.post(
        change_url(),
        changeform_data(
            form_a, period_label="2024 (calendar year)", note="Alice's note", change_reason="Label"
        ),
    )
    response = b.post(
        change_url(), changeform_data(form_b, value="69", note="Bob's note", change_reason="Value")
    )
    form = response.context["adminform"].form
    assert form["period_label"].value() == "2024 (calendar year)"  # Alice's, not the old one
    assert form["value"].value() == "69"  # Bob's own change, re-applied
    assert form["note"].value() == "Bob's note"
    assert "Also changed by the other editor, to “Alice&#x27;s note”" in str(form.errors["note"])
    assert "period_label" not in form.errors
    b.post(change_url(), changeform_data(response, change_reason="Value, after seeing Alice's"))
    figure = Figure.objects.get(pk=FIGURE)
    assert (figure.period_label, figure.value, figure.note) == (
        "2024 (calendar year)",
        Decimal("69"),
        "Bob's note",
    )


def test_revert_form_is_locked_too(two_editors):
    a, b = two_editors
    first = Figure.objects.get(pk=FIGURE).history.get()
    revert_url = reverse("admin:indicators_figure_simple_history", args=[FIGURE, first.history_id])
    stale_revert = b.get(revert_url)
    a.post(change_url(), changeform_data(a.get(change_url()), value="70", change_reason="A"))
    response = b.post(
        revert_url, changeform_data(stale_revert, change_reason="Back to the release")
    )
    assert response.status_code == 200
    assert "someone else changed this record" in response.content.decode()
    assert Figure.objects.get(pk=FIGURE).value == Decimal("70")


def test_inline_rows_are_locked(two_editors):
    a, b = two_editors
    url = reverse("admin:meetings_meeting_change", args=[1])
    page_a, page_b = a.get(url), b.get(url)

    def edit(page, office, reason):
        data = changeform_data(page, change_reason=reason)
        forms = page.context["inline_admin_formsets"][1].formset.forms
        kz = next(form for form in forms if form.instance.country.code == "KZ")
        data[kz["head_office_en"].html_name] = office
        return data

    assert a.post(url, edit(page_a, "Prime Minister", "A")).status_code == 302
    response = b.post(url, edit(page_b, "Premier", "B"))
    assert response.status_code == 200
    assert "someone else changed this record" in response.content.decode()
    assert Delegation.objects.get(meeting=1, country__code="KZ").head_office_en == "Prime Minister"


def test_list_editable_rows_are_locked(two_editors):
    a, b = two_editors
    url = reverse("admin:meetings_commitment_changelist")

    def post(client, page, status, reason):
        return client.post(
            url, changelist_data(page, reason=reason, changes={6: {"status": status}})
        )

    page_a, page_b = a.get(url), b.get(url)
    assert post(a, page_a, "in_progress", "A").status_code == 302
    response = post(b, page_b, "dropped", "B")
    assert response.status_code == 200
    assert "someone else changed this record" in response.content.decode()
    assert Commitment.objects.get(pk=6).status == "in_progress"


def test_actions_on_stale_rows_are_refused(seed, reviewer_client):
    client = reviewer_client
    figure = Figure.objects.get(pk=FIGURE)
    shown_version = figure.version
    figure.value = 71
    with revision(reason="meanwhile"):
        figure.save()
    response = client.post(
        reverse("admin:indicators_figure_changelist"),
        {
            "action": "withdraw",
            "index": "0",
            "change_reason": "Retracted",
            helpers.ACTION_CHECKBOX_NAME: [f"{FIGURE},{shown_version}"],
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Nothing was done: this record changed after the list was shown" in page
    assert "meanwhile" in page
    figure.refresh_from_db()
    assert figure.state == "published"


def test_a_stale_instance_cannot_be_saved(seed):
    one = Figure.objects.get(pk=FIGURE)
    two = Figure.objects.get(pk=FIGURE)
    one.value = 68
    with revision(reason="first"):
        one.save()
    two.value = 69
    with pytest.raises(RecordModifiedError), transaction.atomic(), revision(reason="second"):
        two.save()
    assert Figure.objects.get(pk=FIGURE).value == Decimal("68")
    assert one.history.count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_admin_saves_on_postgresql(committed_seed):
    """N editors, N connections, one version: exactly one save wins, no row is lost."""
    threads_count = 6
    editors = [ReviewerFactory(username=f"editor{n}") for n in range(threads_count)]
    clients = []
    for user in editors:
        client = Client()
        client.force_login(user)
        clients.append((client, client.get(change_url())))
    history_before = Figure.history.filter(id=FIGURE).count()
    barrier = threading.Barrier(threads_count)
    results = [None] * threads_count

    def save(index):
        client, page = clients[index]
        data = changeform_data(page, value=str(100 + index), change_reason=f"editor {index}")
        try:
            barrier.wait()
            results[index] = client.post(change_url(), data)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = [response.status_code for response in results]
    assert statuses.count(302) == 1, statuses
    assert statuses.count(200) == threads_count - 1, statuses
    for response in results:
        if response.status_code == 200:
            assert "someone else changed this record" in response.content.decode()
    winner = statuses.index(302)
    figure = Figure.objects.get(pk=FIGURE)
    assert figure.value == Decimal(100 + winner)
    revisions = Figure.history.filter(id=FIGURE)
    assert revisions.count() == history_before + 1
    assert revisions.latest("history_date").history_change_reason == f"editor {winner}"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_model_saves_on_postgresql(committed_seed):
    """The same race below the admin: one version, N saves, exactly one write."""
    threads_count = 8
    loaded = [Figure.objects.get(pk=FIGURE) for _ in range(threads_count)]
    barrier = threading.Barrier(threads_count)
    outcomes = [None] * threads_count

    def save(index):
        figure = loaded[index]
        figure.value = Decimal(200 + index)
        try:
            barrier.wait()
            with revision(reason=f"thread {index}"):
                figure.save()
            outcomes[index] = "saved"
        except RecordModifiedError:
            outcomes[index] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("saved") == 1, outcomes
    assert outcomes.count("conflict") == threads_count - 1
    assert Figure.history.filter(id=FIGURE).count() == 2
