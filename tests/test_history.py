"""The revision rules, at the model level: one revision per real change, who and why on it."""

from decimal import Decimal

import pytest

from indicators.models import Figure
from meetings.models import Commitment
from sco_tracker.history import has_unrecorded_changes, record_revision
from tests.factories import CommitmentFactory, CountryFactory, FigureFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_creation_records_a_revision_with_default_reason():
    figure = FigureFactory()
    revision = figure.history.get()
    assert revision.history_type == "+"
    assert revision.history_change_reason == "Created"


def test_save_with_no_change_writes_no_revision():
    figure = FigureFactory()
    figure.stamp_revision(reason="nothing to see").save()
    fresh = Figure.objects.get(pk=figure.pk)
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
    figure.stamp_revision(user=user, reason="Corrected").save()
    latest = figure.history.latest("history_date")
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        user,
        "Corrected",
    )
    assert latest.value == Decimal("11")


def test_m2m_change_in_code_is_a_revision():
    commitment = CommitmentFactory()
    commitment.stamp_revision(reason="Kazakhstan joined")
    commitment.countries.add(CountryFactory(code="KZ"))
    revisions = commitment.history.order_by("history_date")
    assert revisions.count() == 2
    assert revisions.last().history_change_reason == "Kazakhstan joined"
    assert [row.country.code for row in revisions.last().countries.all()] == ["KZ"]
    # Adding it again changes nothing.
    commitment.countries.add(CountryFactory(code="KZ"))
    assert commitment.history.count() == 2


def test_reverse_m2m_change_records_the_tracked_side():
    commitment = CommitmentFactory()
    country = CountryFactory(code="KG")
    country.commitments.add(commitment)
    assert commitment.history.count() == 2
    assert country.history.count() == 1


def test_deferred_write_records_once():
    commitment = CommitmentFactory()
    commitment._defer_revision = True
    commitment.title_en = "Renamed"
    commitment.save()
    commitment.countries.set([CountryFactory(code="UZ"), CountryFactory(code="TJ")])
    assert commitment.history.count() == 1
    del commitment._defer_revision
    assert record_revision(commitment) is True
    assert record_revision(commitment) is False
    latest = commitment.history.latest("history_date")
    assert latest.title_en == "Renamed"
    assert latest.countries.count() == 2


def test_deleting_keeps_history_and_records_a_tombstone():
    figure = FigureFactory()
    pk = figure.pk
    figure.stamp_revision(reason="Duplicate of #1").delete()
    revisions = Figure.history.filter(id=pk).order_by("history_date")
    assert [r.history_type for r in revisions] == ["+", "-"]
    assert revisions.last().history_change_reason == "Duplicate of #1"


def test_history_as_of_shows_the_past():
    figure = FigureFactory(value=Decimal("10"))
    before = figure.history.latest("history_date").history_date
    figure.value = Decimal("12")
    figure.stamp_revision(reason="later").save()
    assert Figure.history.as_of(before).get(pk=figure.pk).value == Decimal("10")
    assert Commitment.history.as_of(before).count() == 0
