"""The revision rules, at the model level: one revision per real change, who and why on it."""

from decimal import Decimal

import pytest
from django.db import transaction

from indicators.models import Figure
from meetings.models import Commitment
from sco_tracker.tracking.recording import (
    ReasonRequired,
    RevisionRequired,
    has_unrecorded_changes,
    record_revision,
    revision,
)
from tests.factories import CommitmentFactory, CountryFactory, FigureFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_creation_records_a_revision_with_default_reason():
    figure = FigureFactory()
    revision = figure.history.get()
    assert revision.history_type == "+"
    assert revision.history_change_reason == "Created"


def test_save_with_no_change_writes_no_revision():
    figure = FigureFactory()
    with revision(reason="nothing to see"):
        figure.save()
    fresh = Figure.objects.get(pk=figure.pk)
    with revision(reason="still nothing"):
        fresh.save()
    assert figure.history.count() == 1


def test_equal_values_in_other_spellings_are_not_changes():
    figure = FigureFactory(value=Decimal("10"))
    figure.value = "10.000"
    figure.period_start = figure.period_start.isoformat()
    assert not has_unrecorded_changes(figure)


def test_change_records_user_and_reason():
    user = UserFactory()
    figure = FigureFactory()
    figure.value = Decimal("11")
    with revision(user=user, reason="Corrected"):
        figure.save()
    latest = figure.history.latest("history_date")
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        user,
        "Corrected",
    )
    assert latest.value == Decimal("11")


def test_m2m_change_in_code_is_a_revision():
    commitment = CommitmentFactory()
    kazakhstan = CountryFactory(code="KZ")
    with revision(reason="Kazakhstan joined"):
        commitment.countries.add(kazakhstan)
    revisions = commitment.history.order_by("history_date")
    assert revisions.count() == 2
    assert revisions.last().history_change_reason == "Kazakhstan joined"
    assert [row.country.code for row in revisions.last().countries.all()] == ["KZ"]
    # Adding it again changes nothing.
    with revision(reason="again"):
        commitment.countries.add(kazakhstan)
    assert commitment.history.count() == 2


def test_reverse_m2m_change_records_the_tracked_side():
    commitment = CommitmentFactory()
    country = CountryFactory(code="KG")
    with revision(reason="Kyrgyzstan backs it"):
        country.commitments.add(commitment)
    assert commitment.history.count() == 2
    assert commitment.history.first().history_change_reason == "Kyrgyzstan backs it"
    assert country.history.count() == 1


def test_several_writes_in_one_revision_record_once():
    commitment = CommitmentFactory()
    uzbekistan, tajikistan = CountryFactory(code="UZ"), CountryFactory(code="TJ")
    user = UserFactory()
    with revision(user=user, reason="Renamed; two countries joined"):
        commitment.title_en = "Renamed"
        commitment.save()
        commitment.countries.set([uzbekistan, tajikistan])
        commitment.save()
        assert commitment.history.count() == 1, "recorded when the block ends"
    latest = commitment.history.latest("history_date")
    assert commitment.history.count() == 2
    assert (latest.history_user, latest.history_change_reason) == (
        user,
        "Renamed; two countries joined",
    )
    assert latest.title_en == "Renamed"
    assert latest.countries.count() == 2
    with revision(reason="again"):
        assert record_revision(commitment) is False


def test_writes_outside_a_revision_are_refused_before_they_happen():
    figure = FigureFactory(value=Decimal("10"))
    figure.value = Decimal("11")
    with pytest.raises(RevisionRequired):
        figure.save()
    with pytest.raises(RevisionRequired), transaction.atomic():
        figure.delete()
    commitment, kazakhstan = CommitmentFactory(), CountryFactory(code="KZ")
    with pytest.raises(RevisionRequired), transaction.atomic():
        commitment.countries.add(kazakhstan)
    assert not commitment.countries.exists()
    assert Figure.objects.get(pk=figure.pk).value == Decimal("10")
    assert figure.history.count() == 1


def test_a_change_needs_a_reason():
    figure = FigureFactory(value=Decimal("10"))
    figure.value = Decimal("11")
    with pytest.raises(ReasonRequired), revision(user=UserFactory()):
        figure.save()
    assert Figure.objects.get(pk=figure.pk).value == Decimal("10"), "rolled back"
    assert figure.history.count() == 1


def test_a_failed_revision_keeps_neither_writes_nor_revisions():
    figure = FigureFactory(value=Decimal("10"))
    with pytest.raises(ZeroDivisionError), revision(reason="half done"):
        figure.value = Decimal("12")
        figure.save()
        1 / 0  # noqa: B018
    assert Figure.objects.get(pk=figure.pk).value == Decimal("10")
    assert figure.history.count() == 1


def test_deleting_keeps_history_and_records_a_tombstone():
    figure = FigureFactory()
    pk = figure.pk
    with revision(reason="Duplicate of #1"):
        figure.delete()
    revisions = Figure.history.filter(id=pk).order_by("history_date")
    assert [r.history_type for r in revisions] == ["+", "-"]
    assert revisions.last().history_change_reason == "Duplicate of #1"


def test_history_as_of_shows_the_past():
    figure = FigureFactory(value=Decimal("10"))
    before = figure.history.latest("history_date").history_date
    figure.value = Decimal("12")
    with revision(reason="later"):
        figure.save()
    assert Figure.history.as_of(before).get(pk=figure.pk).value == Decimal("10")
    assert Commitment.history.as_of(before).count() == 0


def test_deleting_a_record_revises_the_sets_that_held_it():
    commitment = CommitmentFactory()
    kazakhstan = CountryFactory(code="KZ")
    with revision(reason="Kazakhstan backs it"):
        commitment.countries.add(kazakhstan)
    with revision(reason="Entered by mistake"):
        kazakhstan.delete()
    latest = commitment.history.latest("history_date")
    assert commitment.history.count() == 3
    assert latest.history_change_reason == "Entered by mistake"
    assert not latest.countries.exists()
