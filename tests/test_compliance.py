"""Commitments kept or not (issue 15): per-country compliance assessments with evidence,
through the editorial workflow to the public matrix, the commitment and country pages,
the exports, the history and ``?as_of=``; status dates that mean when it happened."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.compliance import Summary
from meetings.models import Assessment, Commitment, Country, Evidence, Meeting, Source
from sco_tracker.tracking.recording import revision
from sco_tracker.tracking.workflow import TransitionError, transition
from tests.admin_forms import changeform_data
from tests.conftest import signed_in
from tests.factories import (
    AssessmentFactory,
    CommitmentFactory,
    CountryFactory,
    EvidenceFactory,
    MeetingFactory,
    TopicFactory,
)
from tests.test_review import act, change_url, pending_of

BANK = 6  # "Establish the SCO Development Bank", published, at the 24th meeting
MEETING = "chg-24-moscow-2025"
KZ_QUOTE = "Казахстан готов задействовать возможности Международного финансового центра «Астана»"
PERIOD = {"period_start": "2025-11-18", "period_end": "2026-06-30", "period_label": "2025–26"}


@pytest.fixture
def editor_admin(editor):
    return signed_in(editor)


@pytest.fixture
def reviewer_admin(reviewer):
    return signed_in(reviewer)


def pk(code):
    return str(Country.objects.get(code=code).pk)


def add_rows(data, prefix, rows):
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for index, row in enumerate(rows, start=total):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    return data


def assessment_row(code, score, **evidence):
    return {
        "country": pk(code),
        "score": str(score),
        **PERIOD,
        "justification_en": f"{code}: as reported.",
        "justification_ru": f"{code}: по сообщениям.",
        **{f"evidence_{key}": value for key, value in evidence.items()},
    }


def three_assessments():
    kazakhstan = Source.objects.get(publisher="Правительство Республики Казахстан")
    return [
        assessment_row("KZ", 1, source=str(kazakhstan.pk), quote=KZ_QUOTE),
        assessment_row(
            "KG", 1, url="https://example.org/kg-bank", date="2026-03-03", title="Cabinet note"
        ),
        assessment_row("RU", 0, url="https://example.org/ru-bank", date="2026-03-05"),
    ]


def public_csv(client, **params):
    response = client.get("/compliance/", {"format": "csv", **params})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def changes(client, **params):
    return client.get("/changes/", {"format": "json", **params}).json()["results"]


# --- the done-when flow ------------------------------------------------------------------


@pytest.mark.usefixtures("seed")
def test_an_editor_assesses_three_members_and_a_reviewer_publishes(
    client, editor_admin, reviewer_admin, reviewer
):
    bank = Commitment.objects.get(pk=BANK)
    url = change_url(bank)
    data = changeform_data(editor_admin.get(url), change_reason="Compliance, first period")
    add_rows(data, "assessments", three_assessments())
    data["_submit"] = "Save and submit for review"
    assert editor_admin.post(url, data).status_code == 302

    # The commitment is published: the editor's rows are a proposal, nothing public yet.
    assert not Assessment.objects.exists()
    assert pending_of(bank).submitted_at is not None
    queue = reviewer_admin.get(reverse("admin_review_queue")).content.decode()
    assert "Kazakhstan, 2025–26: ✓ +1 full compliance" in queue
    assert "✓ +1 full compliance" not in client.get(f"/commitments/{BANK}/").content.decode()

    act(reviewer_admin, Commitment, [bank], "publish", "Evidence checked")
    assessments = Assessment.objects.filter(commitment=bank)
    assert set(assessments.values_list("state", flat=True)) == {"published"}
    assert {a.country.code: a.score for a in assessments} == {"KZ": 1, "KG": 1, "RU": 0}
    assert all(a.evidence.count() == 1 for a in assessments)
    first = Assessment.history.filter(country__code="KZ").get()
    assert (first.history_user, first.public_kind) == (reviewer, "created")

    # The matrix: the meeting's commitments × members, scores and averages.
    matrix = client.get("/compliance/").content.decode()
    assert '✓</span> <span class="score-number">+1</span>' in matrix
    assert '◐</span> <span class="score-number">0</span>' in matrix
    assert '+0.67</strong> <span class="percentage">(83%)' in matrix
    assert "3 of 10 assessed" in matrix  # the commitment's row
    assert "0 of 10 assessed" in matrix  # the other commitments: no average
    assert "3 of 180 cells assessed" in matrix
    # The commitment's page: a table of members, justifications, evidence.
    page = client.get(f"/commitments/{BANK}/").content.decode()
    assert "full compliance" in page and "partial compliance or work in progress" in page
    assert KZ_QUOTE in page and 'href="https://example.org/kg-bank"' in page
    assert "Cabinet note" in page and "KG: as reported." in page
    assert "3 of 10 countries assessed" in page and "(83%)" in page
    assert page.count("not assessed") == 7
    # The country's page.
    country = client.get("/countries/KZ/").content.decode()
    assert "Establish the SCO Development Bank" in country and "(100%)" in country
    # The CSV: one row per assessment.
    rows = public_csv(client)
    assert sorted((r["country"], r["score"]) for r in rows) == [
        ("KG", "1"),
        ("KZ", "1"),
        ("RU", "0"),
    ]
    assert all(r["commitment_id"] == str(BANK) and r["meeting"] == MEETING for r in rows)
    assert next(r for r in rows if r["country"] == "KZ")["evidence"].endswith(f"«{KZ_QUOTE}»")

    # Later, one score changes: proposed by the editor, published by the reviewer.
    before_change = timezone.now().isoformat()
    kyrgyzstan = assessments.get(country__code="KG")
    form = editor_admin.get(change_url(kyrgyzstan))
    data = changeform_data(form, score="0", change_reason="Bank charter not yet ratified")
    assert editor_admin.post(change_url(kyrgyzstan), data).status_code == 302
    assert Assessment.objects.get(pk=kyrgyzstan.pk).score == 1, "a proposal, not a change"
    act(reviewer_admin, Assessment, [kyrgyzstan], "publish", "Checked")
    assert Assessment.objects.get(pk=kyrgyzstan.pk).score == 0

    score_change = "Score: ✓ +1 full compliance → ◐ 0 partial compliance or work in progress"
    latest = changes(client, type="assessment")[0]
    assert (latest["revision"], latest["changes"]) == ("changed", [score_change])
    assert latest["history_url"].endswith(f"/commitments/{BANK}/history/")
    assert changes(client, type="assessment", country="KG")[0]["changes"] == [score_change]
    history = client.get(f"/commitments/{BANK}/history/").content.decode()
    assert "Its compliance assessments and their evidence" in history
    assert "Kyrgyzstan, 2025–26: ◐ 0 partial compliance or work in progress" in history
    assert "Bank charter not yet ratified" in history
    assert "partial compliance or work in progress</ins>" in history

    now = client.get(f"/commitments/{BANK}/").content.decode()
    assert '+0.33</strong> <span class="percentage">(67%)' in now
    then = client.get(f"/commitments/{BANK}/", {"as_of": before_change}).content.decode()
    assert '+0.67</strong> <span class="percentage">(83%)' in then
    matrix_then = client.get("/compliance/", {"as_of": before_change}).content.decode()
    assert "(83%)" in matrix_then and "(67%)" not in matrix_then
    rows_then = public_csv(client, as_of=before_change)
    assert next(r for r in rows_then if r["country"] == "KG")["score"] == "1"
    assert next(r for r in public_csv(client) if r["country"] == "KG")["score"] == "0"


# --- one current assessment per commitment, country and period ------------------------------


@pytest.mark.usefixtures("seed")
def test_a_duplicate_assessment_is_a_form_error_not_a_server_error(reviewer_admin):
    bank = Commitment.objects.get(pk=BANK)
    existing = AssessmentFactory(commitment=bank, country=Country.objects.get(code="KZ"))

    add = reverse("admin:meetings_assessment_add")
    values = {"commitment": str(BANK), "country": pk("KZ"), "score": "0", **PERIOD}
    values.update(justification_en="Again", justification_ru="Снова")
    response = reviewer_admin.post(add, changeform_data(reviewer_admin.get(add), **values))
    assert response.status_code == 200
    assert "already has an assessment of this commitment for this period" in response.text
    assert Assessment.objects.count() == 1

    url = change_url(bank)
    data = changeform_data(reviewer_admin.get(url), change_reason="Duplicate")
    row = assessment_row("KZ", 0, url="https://example.org/x", date="2026-01-01")
    response = reviewer_admin.post(url, add_rows(data, "assessments", [row]))
    assert response.status_code == 200
    assert "Please correct the duplicate data for country, period_start and period_end" in (
        response.text
    )
    assert Assessment.objects.count() == 1

    twice = [assessment_row("KG", 1, url="https://example.org/y", date="2026-01-01")] * 2
    data = changeform_data(reviewer_admin.get(url), change_reason="Twice in one form")
    response = reviewer_admin.post(url, add_rows(data, "assessments", twice))
    assert response.status_code == 200 and Assessment.objects.count() == 1

    with pytest.raises(IntegrityError), revision():
        Assessment.objects.create(
            commitment=bank,
            country=existing.country,
            period_start=existing.period_start,
            period_end=existing.period_end,
            period_label="same",
            score=0,
            justification_en="x",
            justification_ru="x",
        )


@pytest.mark.usefixtures("seed")
def test_a_new_row_needs_its_evidence_and_quotes_are_checked(reviewer_admin):
    url = change_url(Commitment.objects.get(pk=BANK))
    data = changeform_data(reviewer_admin.get(url), change_reason="No evidence")
    response = reviewer_admin.post(url, add_rows(data, "assessments", [assessment_row("KZ", 1)]))
    assert response.status_code == 200 and "A new assessment needs its evidence" in response.text

    source = str(Source.objects.get(publisher="Правительство Республики Казахстан").pk)
    row = assessment_row("KZ", 1, source=source, quote="Слова, которых в тексте нет")
    data = changeform_data(reviewer_admin.get(url), change_reason="Invented quote")
    response = reviewer_admin.post(url, add_rows(data, "assessments", [row]))
    assert response.status_code == 200 and "does not appear verbatim" in response.text

    row = assessment_row("KZ", 1, url="https://example.org/undated")
    data = changeform_data(reviewer_admin.get(url), change_reason="Undated page")
    response = reviewer_admin.post(url, add_rows(data, "assessments", [row]))
    assert response.status_code == 200 and "a web address and its date" in response.text
    assert not Assessment.objects.exists()


@pytest.mark.usefixtures("seed")
def test_only_members_and_named_countries_are_assessed(reviewer_admin):
    outsider = CountryFactory(code="MN", name_en="Mongolia", sco_status="observer")
    url = change_url(Commitment.objects.get(pk=BANK))
    row = assessment_row("MN", 1, url="https://example.org/mn", date="2026-01-01")
    data = changeform_data(reviewer_admin.get(url), change_reason="Observer")
    response = reviewer_admin.post(url, add_rows(data, "assessments", [row]))
    assert response.status_code == 200 and "is not an SCO member state" in response.text

    named = CommitmentFactory(state="published", meeting=Meeting.objects.get(pk=1))
    with revision(reason="Names Mongolia"):
        named.countries.add(outsider)
    AssessmentFactory(commitment=named, country=outsider, state="published", with_evidence=True)
    page = reviewer_admin.get(f"/commitments/{named.pk}/").content.decode()
    assert "Mongolia" in page and "1 of 11 countries assessed" in page


# --- publishing needs evidence; drafts never public --------------------------------------------


@pytest.mark.usefixtures("seed")
def test_publishing_needs_evidence_and_a_published_assessment_keeps_it(reviewer, superuser_client):
    bank = Commitment.objects.get(pk=BANK)
    draft = AssessmentFactory(commitment=bank, country=Country.objects.get(code="KZ"))
    with pytest.raises(TransitionError, match="needs evidence"):
        transition(draft, to_state="published", user=reviewer, reason="Too early")
    EvidenceFactory(assessment=draft)
    transition(
        Assessment.objects.get(pk=draft.pk), to_state="published", user=reviewer, reason="Ok"
    )

    # Only superusers delete; even they cannot leave a published assessment bare.
    url = change_url(draft)
    data = changeform_data(superuser_client.get(url), change_reason="Remove the evidence")
    data["evidence-0-DELETE"] = "on"
    response = superuser_client.post(url, data)
    assert response.status_code == 200 and "keeps at least one piece of evidence" in response.text
    assert Evidence.objects.filter(assessment=draft).count() == 1


@pytest.mark.usefixtures("seed")
def test_drafts_never_reach_the_public(client, editor_admin):
    bank = Commitment.objects.get(pk=BANK)
    kz, kg = Country.objects.get(code="KZ"), Country.objects.get(code="KG")
    secret = {"justification_en": "Not for readers yet", "with_evidence": True}
    draft = AssessmentFactory(commitment=bank, country=kz, **secret)
    AssessmentFactory(commitment=bank, country=kg, state="in_review", **secret)
    hidden = CommitmentFactory(meeting=Meeting.objects.get(pk=1))  # a draft commitment
    AssessmentFactory(commitment=hidden, country=kz, state="published", **secret)

    pages = [
        "/compliance/",
        f"/compliance/?meeting={MEETING}",
        f"/commitments/{BANK}/",
        f"/commitments/{BANK}/history/",
        "/countries/KZ/",
        "/countries/KG/",
    ]
    for page in pages:
        page = client.get(page).content.decode()
        assert "Not for readers yet" not in page and "full compliance</span>" not in page
    assert public_csv(client) == []
    assert client.get("/compliance/", {"format": "json"}).json()["count"] == 0
    assert not changes(client, type="assessment") and not changes(client, type="evidence")
    assert client.get(f"/commitments/{hidden.pk}/").status_code == 404

    # An editor's new rows in a draft commitment's form are drafts too.
    url = change_url(hidden)
    data = changeform_data(editor_admin.get(url), change_reason="Assessed")
    row = assessment_row("KG", 1, url="https://example.org/kg", date="2026-01-02")
    assert editor_admin.post(url, add_rows(data, "assessments", [row])).status_code == 302
    assert Assessment.objects.get(commitment=hidden, country=kg).state == "draft"
    assert draft.state == "draft"


# --- averages never hide what is missing ----------------------------------------------------


def test_averages_say_how_many_scores_they_rest_on():
    assert Summary([], 3).average_text == "—" and Summary([], 3).percentage is None
    two = Summary([1, 0], 3)
    assert (two.count, two.possible, two.average, two.percentage) == (2, 3, Decimal("0.50"), 75)
    assert (two.average_text, two.percentage_text) == ("+0.50", "75%")
    third = Summary([1, 0, 0], 3)
    assert (third.average_text, third.percentage) == ("+0.33", 67)
    assert Summary([-1, 0], 2).average_text == "−0.50"
    assert Summary([-1, 1], 2).average_text == "0.00"
    assert Summary([-1, -1], 2).percentage == 0 and Summary([1], 9).percentage == 100


@pytest.mark.django_db
def test_two_of_three_assessed(client):
    members = [CountryFactory(code=code) for code in ("AA", "AB", "AC")]
    meeting = MeetingFactory(state="published", host_country=members[0])
    commitment = CommitmentFactory(meeting=meeting, state="published")
    for country, score in zip(members[:2], (1, 0), strict=False):
        AssessmentFactory(commitment=commitment, country=country, score=score, state="published")
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert "2 of 3 countries assessed" in page and "+0.50" in page and "(75%)" in page
    matrix = client.get("/compliance/").content.decode()
    assert "2 of 3 assessed" in matrix  # the commitment's row
    assert "1 of 1 assessed" in matrix  # each assessed country's column
    assert "0 of 1 assessed" in matrix  # the country not assessed: no score
    assert "2 of 3 cells assessed" in matrix
    assert client.get("/countries/AC/").status_code == 200


# --- filters, exports, bad input -------------------------------------------------------------


@pytest.mark.usefixtures("seed")
def test_the_matrix_filters_by_meeting_topic_period_and_country(client):
    bank = Commitment.objects.get(pk=BANK)
    kz = Country.objects.get(code="KZ")
    AssessmentFactory(commitment=bank, country=kz, state="published", with_evidence=True)
    AssessmentFactory(
        commitment=bank,
        country=kz,
        state="published",
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2027, 6, 30),
        period_label="2026–27",
        score=-1,
        with_evidence=True,
    )
    both = client.get("/compliance/").content.decode()
    assert both.index("2026–27") < both.index("Nov 2025 – Jun 2026"), "latest period first"
    one = client.get("/compliance/", {"period": "2026-07-01/2027-06-30"}).content.decode()
    assert "2026–27" in one and "Assessment period: Nov 2025" not in one
    assert [r["period"] for r in public_csv(client, period="2026-07-01/2027-06-30")] == ["2026–27"]
    assert len(public_csv(client, meeting=MEETING, topic=bank.topic.slug, country="kz")) == 2
    assert public_csv(client, topic=TopicFactory().slug) == []
    assert public_csv(client, meeting="chs-tianjin-2025") == []
    tianjin = client.get("/compliance/", {"meeting": "chs-tianjin-2025"}).content.decode()
    assert "Not assessed yet" in tianjin and "No assessment of this meeting" in tianjin
    for bad in ({"period": "2020-01-01/2020-12-31"}, {"meeting": "nope"}, {"format": "xml"}):
        assert client.get("/compliance/", bad).status_code == 400, bad
    assert client.get("/compliance/", {"period": "x", "format": "json"}).status_code == 400
    assert client.get("/countries/XX/").status_code == 404
    assert client.get("/countries/kz/").status_code == 404


@pytest.mark.usefixtures("seed")
def test_the_empty_matrix_is_honest(client):
    page = client.get("/compliance/").content.decode()
    assert "24th meeting of the SCO Council of Heads of Government" in page
    assert "No assessment of this meeting’s commitments has been published yet" in page
    assert "0 of 10 assessed" in page and "+0." not in page
    method = client.get(reverse("meetings:compliance_method")).content.decode()
    assert "(average + 1) ÷ 2 × 100" in method and "What an empty cell means" in method
    russian = client.get("/ru/compliance/").content.decode()
    assert "Выполнены ли обязательства" in russian


def assess_every_member(commitments):
    members = list(Country.objects.filter(sco_status="member_state"))
    for commitment in commitments:
        for country in members:
            AssessmentFactory(
                commitment=commitment, country=country, state="published", with_evidence=True
            )


@pytest.mark.usefixtures("seed")
@pytest.mark.parametrize("params", [{}, {"as_of": "2100-01-01"}, {"format": "json"}])
def test_compliance_queries_do_not_grow_with_the_assessments(
    client, django_assert_max_num_queries, params
):
    commitments = list(Commitment.objects.filter(meeting_id=1))
    assess_every_member(commitments[:1])
    with django_assert_max_num_queries(20) as small:
        assert client.get("/compliance/", params).status_code == 200
    assess_every_member(commitments[1:12])
    assert Assessment.objects.count() == 120
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/compliance/", params).status_code == 200
    for url in (f"/commitments/{commitments[1].pk}/", "/countries/KZ/"):
        with django_assert_max_num_queries(20):
            assert client.get(url, params).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(f"/commitments/{commitments[1].pk}/history/").status_code == 200


# --- status dates that mean when it happened ---------------------------------------------------


@pytest.mark.usefixtures("seed")
def test_the_status_timeline_is_ordered_by_when_it_happened(client, editor):
    commitment = Commitment.objects.get(pk=BANK)
    commitment.status, commitment.status_since = "achieved", datetime.date(2026, 5, 1)
    with revision(user=editor, reason="Bank founded"):
        commitment.save()
    # Learnt later: work had begun in March (recorded after the achievement).
    commitment.status, commitment.status_since = "in_progress", datetime.date(2026, 3, 3)
    with revision(user=editor, reason="Charter signed in March"):
        commitment.save()
    steps = commitment.status_timeline()
    assert [step["status"] for step in steps] == ["proposed", "in_progress", "achieved"]
    assert steps[1]["since"] == datetime.date(2026, 3, 3)
    assert steps[1]["recorded"] > steps[2]["recorded"]

    page = client.get(f"/commitments/{BANK}/").content.decode()
    timeline = page[page.index('class="timeline"') :]
    assert timeline.index("proposed") < timeline.index("in progress") < timeline.index("achieved")
    today = timezone.localdate()
    recorded = f"{today.day} {today.strftime('%B')} {today.year}"
    assert 'in progress</span> since <time datetime="2026-03-03">3 March 2026</time>' in page
    assert f', recorded <time datetime="{today.isoformat()}' in page or recorded in page
    assert "no date in the sources" in timeline.split("in progress")[0]


@pytest.mark.usefixtures("seed")
def test_the_seed_dates_a_status_only_where_its_source_does(client):
    dated = Commitment.objects.exclude(status_since=None)
    assert [(c.pk, c.status_since) for c in dated] == [(1, datetime.date(2025, 9, 1))]
    assert "31 августа — 1 сентября т. г." in dated[0].notes
    assert "(31 августа — 1 сентября т. г.)" in Source.objects.get(pk=1).text
    assert not Assessment.objects.exists(), "no invented assessments"
    page = client.get("/commitments/1/").content.decode()
    assert 'since <time datetime="2025-09-01">1 September 2025</time>, recorded' in page
    rows = client.get("/commitments/", {"format": "json", "per_page": 200}).json()["results"]
    assert {row["id"]: row["status_since"] for row in rows if row["status_since"]} == {
        1: "2025-09-01"
    }


@pytest.mark.usefixtures("seed")
def test_a_status_cannot_date_from_the_future(reviewer_admin):
    bank = Commitment.objects.get(pk=BANK)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = changeform_data(
        reviewer_admin.get(change_url(bank)), status_since=tomorrow, change_reason="Typo"
    )
    response = reviewer_admin.post(change_url(bank), data)
    assert response.status_code == 200 and "cannot have taken effect in the future" in response.text


# --- hostile query strings --------------------------------------------------------------------

PATHS = ["/compliance/", "/compliance/method/", "/countries/KZ/", "/countries/KZ/history/"]
KEYS = ["meeting", "topic", "period", "country", "format", "as_of", "page", "per_page", "x"]
VALUES = st.one_of(
    st.sampled_from(["KZ", "kz", MEETING, "csv", "json", "2025-11-18/2026-06-30", "0", "-1"]),
    st.sampled_from(["2025-11-20", "2025-02-30", "9999-12-31", "' OR 1=1 --", "<script>"]),
    st.text(max_size=100).filter(lambda text: "\x00" not in text),
)


@pytest.mark.usefixtures("seed")
def test_compliance_pages_never_fail(client):
    bank, kz = Commitment.objects.get(pk=BANK), Country.objects.get(code="KZ")
    AssessmentFactory(commitment=bank, country=kz, state="published", with_evidence=True)

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
        database=None,
    )
    @given(
        path=st.sampled_from(PATHS),
        query=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=4),
    )
    def check(path, query):
        response = client.get(path, query)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code in (200, 400, 404), (path, query)
        if response.get("Content-Type", "").startswith("text/csv"):
            assert content.endswith(b"\r\n")

    check()


@pytest.mark.django_db
def test_country_page_answers_json_with_the_compliance_exports_fields(client):
    members = [CountryFactory(code=code) for code in ("AA", "AB")]
    meeting = MeetingFactory(state="published", host_country=members[0])
    commitment = CommitmentFactory(meeting=meeting, state="published")
    AssessmentFactory(commitment=commitment, country=members[0], score=1, state="published")
    AssessmentFactory(commitment=CommitmentFactory(meeting=meeting), country=members[0], score=-1)
    record = client.get("/countries/AA/", {"format": "json"}).json()
    assert record["code"] == "AA" and record["url"] == "http://testserver/countries/AA/"
    assert (record["scores"], record["average"], record["percentage"]) == (1, "1", 100)
    rows = client.get("/compliance/", {"format": "json", "country": "AA"}).json()["results"]
    assert record["assessments"] == rows and len(rows) == 1  # the draft is not there
    assert client.get("/countries/AB/", {"format": "json"}).json()["assessments"] == []
    assert 'href="/countries/AA/?format=json"' in client.get("/countries/AA/").content.decode()
    assert client.get("/countries/AA/", {"format": "csv"}).status_code == 404
