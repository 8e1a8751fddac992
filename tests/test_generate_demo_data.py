"""``generate_demo_data``: the same rows for the same seed, every revision's public kind as
the engine decides it, public pages that answer on the data, and the refusals."""

import datetime
import importlib
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max, Min

from indicators.management.commands.generate_demo_data import written_models
from indicators.models import Figure, Indicator
from meetings.models import Commitment, Country, Meeting, Topic
from sco_tracker.tracking.options import tracked_models
from sco_tracker.tracking.recording import revision

backfill = importlib.import_module("indicators.migrations.0007_backfill_public_kind").backfill

END = datetime.date(2025, 6, 30)
ARGS = {"figures": 120, "revisions": 4, "seed": 7, "end": END, "verbosity": 0}


class Rollback(Exception):
    pass


def generate(**overrides):
    call_command("generate_demo_data", **{**ARGS, **overrides})


def dump() -> dict:
    """Every row the generator writes, users by name (their ids come from a sequence)."""
    users = dict(get_user_model().objects.values_list("id", "username"))
    rows = {}
    for model in written_models():
        values = list(model._default_manager.order_by("pk").values())
        for row in values:
            if "history_user_id" in row:
                row["history_user_id"] = users.get(row["history_user_id"])
        rows[model._meta.db_table] = values
    return rows


def public_kinds() -> dict:
    return {
        (model._meta.label, history_id): kind
        for model in tracked_models()
        for history_id, kind in model.history.values_list("history_id", "public_kind")
    }


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows():
    with pytest.raises(Rollback), transaction.atomic():
        generate()
        first = dump()
        raise Rollback
    generate()
    assert dump() == first
    assert sum(len(rows) for rows in first.values()) > 3000


@pytest.mark.django_db
def test_every_revision_is_what_the_engine_would_have_written():
    generate()
    planned = ARGS["figures"] * ARGS["revisions"]
    # N × K planned, plus the withdrawals that come with a withdrawn indicator or meeting.
    assert planned <= Figure.history.count() <= planned * 1.05
    # Recomputed independently: the backfill migration's restatement of the rule, over the
    # history as written, changes nothing.
    written = public_kinds()
    with pytest.raises(Rollback), transaction.atomic():
        backfill(apps, None)
        assert public_kinds() == written
        raise Rollback
    kinds = Counter(written.values())
    assert {"", "created", "changed", "published", "withdrawn", "reverted"} <= set(kinds)
    for model in tracked_models():
        history = model.history.model.objects
        span = history.aggregate(first=Min("history_date"), last=Max("history_date"))
        if span["first"] is None:
            continue
        end = datetime.datetime.combine(END, datetime.time(), tzinfo=datetime.UTC)
        assert end - datetime.timedelta(days=366 * 20) < span["first"] <= span["last"] < end
        # Dates strictly increase per record (one revision per moment).
        dates = history.values("id", "history_date").annotate(n=Count("*")).filter(n__gt=1)
        assert not dates.exists(), model
        # version = the number of saves of each live record.
        saves = dict(history.values("id").annotate(n=Count("*")).values_list("id", "n"))
        for pk, version in model._default_manager.values_list("pk", "version"):
            assert version == saves[pk], (model, pk)
    published = Figure.objects.published()
    assert published.exists() and published.exclude(quote="").count() == published.count()


@pytest.mark.django_db
def test_public_pages_answer_on_the_generated_data(client):
    generate()
    figure = Figure.objects.published().order_by("pk").first()
    withdrawn = Figure.objects.filter(state="withdrawn").first()
    draft = Figure.objects.filter(state="draft").first()
    indicator = Indicator.objects.published().first()
    meeting = Meeting.objects.published().first()
    commitment = Commitment.objects.published().first()
    pages = [
        "/",
        "/figures/",
        "/figures/?country=KZ&year=2020",
        "/figures/?q=trade",
        "/figures/?as_of=2015-06-01",
        "/figures/?format=csv",
        f"/figures/{figure.pk}/",
        f"/figures/{figure.pk}/history/",
        f"/indicators/{indicator.slug}/",
        "/indicators/",
        "/meetings/",
        f"/meetings/{meeting.slug}/",
        "/commitments/",
        f"/commitments/{commitment.pk}/",
        "/changes/",
        "/changes/?country=KZ&type=figure",
        "/changes/feed/",
        "/ru/figures/",
    ]
    if withdrawn is not None:
        pages.append(f"/figures/{withdrawn.pk}/history/")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    if draft is not None:
        assert client.get(f"/figures/{draft.pk}/").status_code == 404


@pytest.mark.django_db
def test_refuses_records_it_did_not_write_unless_forced(editor):
    with revision(user=editor, reason="Typed in by hand"):
        Topic.objects.create(slug="hand-made", name_en="Hand-made", name_ru="Вручную")
    with pytest.raises(CommandError, match="--force"):
        generate()
    assert not Figure.objects.exists()
    generate(force=True)
    assert Figure.history.count() >= ARGS["figures"] * ARGS["revisions"]


@pytest.mark.django_db
def test_keeps_the_seed_and_runs_once(seed):
    seeded = Figure.objects.count()
    generate()
    assert Country.objects.filter(code="KZ").count() == 1  # the seed's country, reused
    assert Figure.objects.count() > seeded
    before = Figure.history.count()
    generate()  # the same parameters: nothing to do
    assert Figure.history.count() == before
    with pytest.raises(CommandError, match="already holds demo data"):
        generate(seed=8)


@pytest.mark.django_db
def test_the_seed_can_still_be_loaded_afterwards():
    generate()
    call_command("load_seed_data", verbosity=0)
    assert Meeting.objects.filter(slug="chg-24-moscow-2025").exists()
    assert Indicator.objects.filter(slug="trade-with-sco-members").exists()
    assert Country.objects.filter(code="CN").count() == 1
