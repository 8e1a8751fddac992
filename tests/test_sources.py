"""Sources readers can check (issue 13): a public page per source with its archived text
and every public quote highlighted, quotes checked up to spacing, quotation marks and
dashes (a mismatch names the closest passage and the first differing character), and
exports that say whether each quote was found and where the source's page is."""

import csv
import datetime
import io
import json
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.models import Figure
from meetings import quotes
from meetings.models import Commitment, CommitmentQuote, Country, Source
from meetings.quotes import closest_passage, find_quote, fold, quote_found
from meetings.sources import highlighted, paragraph_spans
from sco_tracker.tracking.recording import revision
from tests.factories import AssessmentFactory, EvidenceFactory, FigureFactory, SourceFactory
from tests.test_admin import change_figure

pytestmark = pytest.mark.usefixtures("seed")

KZ_SOURCE, KG_SOURCE = 1, 2
# A sentence of the Kazakh document no seed record quotes.
UNQUOTED = (
    "В расширенном составе обсуждены вопросы торгово-экономического сотрудничества, "
    "взаимодействия в области финансового сектора, транспорта и логистики, цифровой сферы "
    "и ИИ, водных ресурсов, экологии и др."
)
NB_HYPHEN = "\u2011"


def source_page(client, pk=KZ_SOURCE, prefix="", **params) -> str:
    response = client.get(f"{prefix}/sources/{pk}/", params)
    assert response.status_code == 200
    return response.content.decode()


def archived_text(page: str) -> str:
    """The highlighted document, without the page around it."""
    return page[
        page.index('class="source-text"') : page.index("</section>", page.index("source-text"))
    ]


def marks(page: str) -> list[str]:
    """The text of each highlight, tags removed."""
    return [
        re.sub(r"<[^>]+>", "", inner)
        for inner in re.findall(r"<mark[^>]*>(.*?)</mark>", archived_text(page), re.S)
    ]


def public_figure(source, quote, **fields):
    return FigureFactory(
        state="published", indicator__state="published", source=source, quote=quote, **fields
    )


# --- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/ru"])
def test_every_public_quote_is_highlighted_and_linked(client, prefix):
    source = Source.objects.get(pk=KZ_SOURCE)
    page = source_page(client, prefix=prefix)
    text = archived_text(page)
    figures = Figure.objects.filter(source=source)
    quotes = CommitmentQuote.objects.filter(source=source)
    assert figures.count() == 9 and quotes.count() == 11
    highlighted_text = " ".join(marks(page))
    for figure in figures:
        assert f'id="quote-figure-{figure.pk}"' in text
        assert f'href="#cited-figure-{figure.pk}"' in text  # its number, after the passage
        assert f'<li id="cited-figure-{figure.pk}"' in page
        assert f'href="{prefix}/figures/{figure.pk}/"' in page
        assert figure.quote in highlighted_text
    for quote in quotes:
        assert f'id="quote-commitmentquote-{quote.pk}"' in text
        assert f'href="#cited-commitmentquote-{quote.pk}"' in text
        assert f'href="{prefix}/commitments/{quote.commitment_id}/"' in page
        assert quote.quote in highlighted_text
    # The publisher, the language and the whole document, paragraphs kept.
    assert source.publisher in page
    assert ("Russian" if not prefix else "Русский") in page
    paragraphs = [part for part in source.text.split("\n\n") if part.strip()]
    assert text.count("<p>") == len(paragraph_spans(source.text)) == len(paragraphs) > 10
    assert "Фото: Правительство РК" in text
    assert "not found in the archived text" not in page


def test_highlights_link_to_the_record_quoting_them(client):
    figure = Figure.objects.get(indicator__slug="trade-with-sco-members")
    text = archived_text(source_page(client))
    mark = re.search(rf'<mark class="quote-mark" id="quote-figure-{figure.pk}">(.*?)</mark>', text)
    assert mark and f'<a href="/figures/{figure.pk}/">{figure.quote}</a>' == mark.group(1)


def test_source_facts_and_a_long_address(client):
    source = SourceFactory(
        url="https://example.org/" + "a-very-long-path-segment/" * 12,
        published_on="2025-11-18",
        language="en",
        text="First paragraph.\n\nSecond paragraph,\nwith a line break.",
    )
    page = source_page(client, source.pk)
    assert f'<a href="{source.url}" rel="noopener">{source.url}</a>' in page
    assert 'class="source-url"' in page
    assert '<time datetime="2025-11-18">18 November 2025</time>' in page
    assert "<p>First paragraph.</p>" in page
    assert "<p>Second paragraph,<br>with a line break.</p>" in page
    assert "No published record quotes this source." in page


def test_a_source_without_text(client):
    source = SourceFactory(text="")
    page = source_page(client, source.pk)
    assert "No text of this document is on file." in page


def test_a_draft_figure_is_neither_highlighted_nor_listed(client):
    source = Source.objects.get(pk=KZ_SOURCE)
    draft = FigureFactory(indicator__state="published", source=source, quote=UNQUOTED)
    assert draft.state == "draft"
    page = source_page(client)
    assert f"quote-figure-{draft.pk}" not in page
    assert f"/figures/{draft.pk}/" not in page
    assert not any("В расширенном составе" in mark for mark in marks(page))

    with revision(reason="Published"):
        draft.state = "published"
        draft.save()
    page = source_page(client)
    assert f'id="quote-figure-{draft.pk}"' in page
    assert any(mark.startswith("В расширенном составе") for mark in marks(page))


def test_a_figure_of_a_draft_indicator_is_not_shown(client):
    source = Source.objects.get(pk=KZ_SOURCE)
    hidden = FigureFactory(state="published", source=source, quote=UNQUOTED)  # draft indicator
    assert f"quote-figure-{hidden.pk}" not in source_page(client)


def test_as_of_before_a_figure_was_published(client):
    source = Source.objects.get(pk=KZ_SOURCE)
    before = timezone.now()
    figure = public_figure(source, UNQUOTED)
    then = source_page(client, as_of=before.isoformat())
    assert f"quote-figure-{figure.pk}" not in then
    assert f"/figures/{figure.pk}/" not in then
    assert "You are viewing the data as it stood on" in then
    # Links stay in the past.
    assert re.search(r'href="/figures/\d+/\?as_of=[^"]+"', then)
    now = source_page(client)
    assert f'id="quote-figure-{figure.pk}"' in now


def test_as_of_shows_the_text_as_it_was(client):
    source = SourceFactory(text="Первая редакция.")
    before = timezone.now()
    with revision(reason="Corrected from the original"):
        source.text = "Вторая редакция."
        source.save()
    assert "Первая редакция." in source_page(client, source.pk, as_of=before.isoformat())
    assert "Вторая редакция." in source_page(client, source.pk)


def test_unknown_source_and_source_not_yet_recorded_are_404(client):
    assert client.get("/sources/999999/").status_code == 404
    assert client.get("/ru/sources/999999/").status_code == 404
    assert client.get("/sources/1/", {"as_of": "2020-01-01"}).status_code == 404
    assert client.get("/sources/abc/").status_code == 404


def test_compliance_evidence_is_highlighted_when_public(client):
    source = Source.objects.get(pk=KZ_SOURCE)
    commitment = Commitment.objects.get(pk=6)
    kz = Country.objects.get(code="KZ")
    with revision():
        assessment = AssessmentFactory(commitment=commitment, country=kz, state="published")
        evidence = EvidenceFactory(assessment=assessment, source=source, quote=UNQUOTED)
    with revision():
        draft = AssessmentFactory(
            commitment=commitment,
            country=kz,
            period_start=datetime.date(2026, 7, 1),
            period_end=datetime.date(2026, 12, 31),
            period_label="Draft period",
        )
        hidden = EvidenceFactory(assessment=draft, source=source, quote="Фото: Правительство РК")
    page = source_page(client)
    assert f'id="quote-evidence-{evidence.pk}"' in page
    assert f'href="/commitments/{commitment.pk}/#assessment-{assessment.pk}"' in page
    assert f"quote-evidence-{hidden.pk}" not in page and "Draft period" not in page
    # The commitment's page links the evidence's source and says its quote was checked.
    commitment_page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert f'href="/sources/{source.pk}/#quote-evidence-{evidence.pk}"' in commitment_page


def test_overlapping_quotes_each_keep_their_anchor_and_number():
    text = "Один. Два три четыре. Пять.\n\nШесть семь."
    first = type("C", (), {"key": "a", "span": find_quote("Два три четыре.", text)})()
    inner = type("C", (), {"key": "b", "span": find_quote("три", text)})()
    across = type("C", (), {"key": "c", "span": find_quote("Пять. Шесть", text)})()
    paragraphs = highlighted(text, [first, inner, across])
    assert ["".join(piece.text for piece in paragraph) for paragraph in paragraphs] == [
        "Один. Два три четыре. Пять.",
        "Шесть семь.",
    ]
    pieces = [(piece.text, [c.key for c in piece.cited]) for piece in paragraphs[0]]
    assert pieces == [
        ("Один. ", []),
        ("Два ", ["a"]),
        ("три", ["a", "b"]),
        (" четыре.", ["a"]),
        (" ", []),
        ("Пять.", ["c"]),
    ]
    assert [(piece.text, [c.key for c in piece.cited]) for piece in paragraphs[1]][0] == (
        "Шесть",
        ["c"],
    )
    assert [c.key for c in paragraphs[0][2].closes] == ["b"]
    assert [c.key for c in paragraphs[0][5].opens] == ["c"]


def test_figure_and_commitment_pages_link_the_source_page(client):
    figure = Figure.objects.get(indicator__slug="trade-with-sco-members")
    page = client.get(f"/figures/{figure.pk}/").content.decode()
    assert f'href="/sources/{figure.source_id}/"' in page
    assert (
        f'<a href="/sources/{figure.source_id}/#quote-figure-{figure.pk}">'
        "quote checked against the archived source</a>"
    ) in page
    quote = CommitmentQuote.objects.filter(source_id=KG_SOURCE).first()
    page = client.get(f"/commitments/{quote.commitment_id}/").content.decode()
    assert f'href="/sources/{KG_SOURCE}/#quote-commitmentquote-{quote.pk}"' in page
    meeting = client.get("/meetings/chg-24-moscow-2025/").content.decode()
    assert f'href="/sources/{KZ_SOURCE}/"' in meeting and f'href="/sources/{KG_SOURCE}/"' in meeting
    # In the past, links stay in the past.
    past = client.get(f"/figures/{figure.pk}/", {"as_of": timezone.now().isoformat()})
    assert f'href="/sources/{figure.source_id}/?as_of=' in past.content.decode()


def test_an_unchecked_quote_is_not_called_checked(client):
    source = SourceFactory(text="Совсем другой текст.")
    figure = public_figure(source, "Этой фразы в тексте нет.")
    page = client.get(f"/figures/{figure.pk}/").content.decode()
    assert f'href="/sources/{source.pk}/"' in page
    assert "quote checked against the archived source" not in page
    source_detail = source_page(client, source.pk)
    assert "(not found in the archived text)" in source_detail
    assert f'<li id="cited-figure-{figure.pk}"' in source_detail
    assert f'id="quote-figure-{figure.pk}"' not in source_detail


def test_source_page_queries_do_not_grow_with_the_figures_citing_it(client):
    source = Source.objects.get(pk=KZ_SOURCE)

    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            source_page(client, **params)
        return len(captured)

    public_figure(source, UNQUOTED)
    few, few_then = queries(), queries(as_of=timezone.now().isoformat())
    for _ in range(25):
        public_figure(source, UNQUOTED)
    assert queries() == few
    assert queries(as_of=timezone.now().isoformat()) == few_then
    assert few <= 8


# --- the check -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "принял участие в 24-м заседании",  # "-" for the source's non-breaking hyphen
        "принял участие в 24\u2010м заседании",  # a hyphen (U+2010)
        "принял участие в 24—м заседании",  # even a dash
        "участие\u00a0в 24‑м\u2009заседании",  # no-break and thin spaces
        "участие   в\n24‑м заседании",  # several spaces, a line break
        'Внедрена система "Умная таможня", что',  # "…" for «…»
        "Внедрена система “Умная таможня”, что",
        "Внедрена система „Умная таможня“, что",
    ],
    ids=[
        "hyphen-minus",
        "hyphen",
        "em-dash",
        "no-break-and-thin-spaces",
        "spaces-and-line-break",
        "straight-quotes",
        "english-quotes",
        "german-quotes",
    ],
)
def test_quotes_match_up_to_spacing_quotation_marks_and_dashes(typed):
    source = Source.objects.get(pk=KG_SOURCE)
    assert quote_found(typed, source)
    start, end = find_quote(typed, source.text)
    assert fold(source.text[start:end]).text == fold(typed).text
    assert not source.text[start].isspace() and not source.text[end - 1].isspace()


def test_quotes_that_differ_are_not_found():
    source = Source.objects.get(pk=KG_SOURCE)
    for typed in ("принял участие в 25‑м заседании", "приняли участие", "Умная таможня»»", ""):
        assert not quote_found(typed, source)
    assert not quote_found("Анything", None)
    assert not quote_found("Анything", Source(text=""))


def test_a_quote_typed_with_a_plain_hyphen_is_accepted_and_highlighted(reviewer_client, client):
    figure = Figure.objects.filter(source_id=KG_SOURCE).order_by("pk").first()
    typed = (
        "Адылбек Касымалиев принял участие в 24-м заседании Совета глав правительств "
        "государств - членов Шанхайской организации сотрудничества (СГП ШОС)"
    )
    assert NB_HYPHEN not in typed
    response = change_figure(reviewer_client, figure, quote=typed, change_reason="Quote")
    assert response.status_code == 302, response.context["adminform"].form.errors
    figure.refresh_from_db()
    assert figure.quote == typed
    page = source_page(client, KG_SOURCE)
    mark = re.search(rf'id="quote-figure-{figure.pk}"><a [^>]*>(.*?)</a>', page)
    assert mark and mark.group(1).startswith(f"Адылбек Касымалиев принял участие в 24{NB_HYPHEN}м")


def test_a_quote_with_straight_quotation_marks_is_accepted(reviewer_client):
    figure = Figure.objects.get(source_id=KG_SOURCE, quote__contains="Умная таможня")
    typed = figure.quote.replace("«", '"').replace("»", '"')
    response = change_figure(reviewer_client, figure, quote=typed, change_reason="Quote")
    assert response.status_code == 302, response.context["adminform"].form.errors


def quote_errors(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["adminform"].form.errors.get("quote", []))


def test_a_mistyped_quote_is_refused_with_the_closest_passage(editor_client):
    figure = Figure.objects.get(indicator__slug="trade-with-sco-members")
    typed = figure.quote.replace("$67", "$68")
    message = quote_errors(change_figure(editor_client, figure, quote=typed, change_reason="x"))
    assert "does not appear verbatim" in message
    assert f"The closest passage in the source is «{figure.quote}»" in message
    position = typed.index("$68") + 3
    assert f"they differ at character {position}: the quote has “8”, the source has “7”" in message
    assert figure.history.count() == 1


def test_a_look_alike_character_is_named(editor_client):
    figure = Figure.objects.get(indicator__slug="trade-with-sco-members")
    typed = figure.quote.replace("Казахстана", "Kазахстана")  # a Latin K
    message = quote_errors(change_figure(editor_client, figure, quote=typed, change_reason="x"))
    assert (
        "they differ at character 14: the quote has “K” (U+004B LATIN CAPITAL LETTER K), "
        "the source has “К” (U+041A CYRILLIC CAPITAL LETTER KA)"
    ) in message


def test_a_missing_space_is_named_by_its_code_point(editor_client):
    figure = Figure.objects.get(source_id=KG_SOURCE, quote__startswith="За 2020-2024")
    typed = figure.quote.replace("в 3,5 раза", "в 3,5раза")
    message = quote_errors(change_figure(editor_client, figure, quote=typed, change_reason="x"))
    position = typed.index("раза") + 1
    assert (
        f"differ at character {position}: the quote has “р”, the source has “ ” (U+0020 SPACE)"
    ) in message


def test_percent_signs_in_the_passage_do_not_break_the_message(editor_client):
    """The passage goes into the message as a parameter: its % is not a format."""
    figure = Figure.objects.filter(quote__contains="30%").first()
    typed = figure.quote.replace("30%", "31%")
    message = quote_errors(change_figure(editor_client, figure, quote=typed, change_reason="x"))
    assert "превышает 30%.»" in message and "the quote has “1”, the source has “0”" in message


@pytest.mark.parametrize(
    "typed",
    [
        "Lorem ipsum dolor.",  # not a piece of it in the source
        "Товарооборот нашей страны резко упал в этом году до нуля.",  # a few pieces
    ],
    ids=["nothing-in-common", "little-in-common"],
)
def test_a_quote_far_from_everything_says_so(editor_client, typed):
    figure = Figure.objects.get(indicator__slug="trade-with-sco-members")
    message = quote_errors(change_figure(editor_client, figure, quote=typed, change_reason="x"))
    assert "does not appear verbatim" in message and "no passage of it comes close" in message


def test_the_closest_passage_is_found_quickly_in_a_long_source():
    source = Source.objects.get(pk=KZ_SOURCE)
    long_text = (Source.objects.get(pk=KG_SOURCE).text + "\n\n") * 45 + source.text
    assert len(long_text) > 100_000
    quote = source.text[2000:4000].replace("Казахстан", "Казакстан", 1)
    started = time.perf_counter()
    mismatch = closest_passage(quote, long_text)
    assert time.perf_counter() - started < 2
    assert (mismatch.quote_char, mismatch.source_char) == ("к", "х")
    assert mismatch.position == quote.index("Казакстан") + 5  # 1-based: К, а, з, а, к
    assert "Казахстан" in mismatch.passage


# --- exports -------------------------------------------------------------------------------


def test_figure_exports_say_whether_the_quote_was_found_and_link_the_source(client):
    off = public_figure(SourceFactory(text="Иной текст."), "Цитаты тут нет.")
    no_text = public_figure(SourceFactory(text=""), "Текста нет.")
    rows = client.get("/figures/", {"format": "json", "per_page": 200}).json()["results"]
    by_id = {row["id"]: row for row in rows}
    for figure in Figure.objects.filter(source_id__in=[KZ_SOURCE, KG_SOURCE]):
        row = by_id[figure.pk]
        assert row["quote_verified"] is True
        assert row["source_page"] == f"http://testserver/sources/{figure.source_id}/"
    assert by_id[off.pk]["quote_verified"] is False
    assert by_id[no_text.pk]["quote_verified"] is None

    response = client.get("/figures/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    csv_rows = {int(row["id"]): row for row in csv.DictReader(io.StringIO(text))}
    assert csv_rows[off.pk]["quote_verified"] == "False"
    assert csv_rows[no_text.pk]["quote_verified"] == ""
    kz_trade = Figure.objects.get(indicator__slug="trade-with-sco-members")
    assert csv_rows[kz_trade.pk]["quote_verified"] == "True"
    assert csv_rows[kz_trade.pk]["source_page"] == f"http://testserver/sources/{KZ_SOURCE}/"

    descriptor = json.loads(client.get("/figures/", {"format": "datapackage"}).content)
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["quote_verified"]["type"] == "boolean"
    assert fields["source_page"]["type"] == "string" and fields["source_page"]["description"]


def test_exports_as_of_link_the_source_page_at_the_same_moment(client):
    moment = timezone.now().isoformat()
    rows = client.get("/figures/", {"format": "json", "as_of": moment}).json()["results"]
    assert rows
    for row in rows:
        assert re.fullmatch(r"http://testserver/sources/[12]/\?as_of=.+", row["source_page"])
    figure = Figure.objects.get(indicator__slug="trade-with-sco-members")
    record = client.get(f"/figures/{figure.pk}/", {"format": "json"}).json()
    revised = figure.history.get().history_date
    assert record["quote_verified"] is True
    assert record["source_page"].startswith(f"http://testserver/sources/{KZ_SOURCE}/?as_of=")
    assert record["url"].split("?")[1] == record["source_page"].split("?")[1]
    assert revised.isoformat()[:19] in record["source_page"].replace("%3A", ":")


def test_commitment_exports_carry_the_check_and_the_source_pages(client):
    body = client.get("/commitments/", {"format": "json", "q": "Development Bank"}).json()
    (row,) = body["results"]
    assert row["quotes_verified"] == [True, True]
    assert sorted(row["source_pages"]) == [
        f"http://testserver/sources/{KZ_SOURCE}/",
        f"http://testserver/sources/{KG_SOURCE}/",
    ]


def test_exports_check_each_source_and_quote_once(client, monkeypatch):
    """The check is cached per export: rows sharing a source and a quote cost one check, and
    the source's text comes with the rows (no query per row)."""
    calls = []
    real = quotes.quote_verified
    monkeypatch.setattr(quotes, "quote_verified", lambda *a: calls.append(a) or real(*a))
    source = Source.objects.get(pk=KZ_SOURCE)

    def export():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/figures/", {"format": "csv"})
            rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        return len(rows), len(captured)

    public_figure(source, UNQUOTED)
    rows, few = export()
    distinct = len(set(Figure.objects.values_list("source_id", "quote")))
    assert len(calls) == distinct < rows - 1
    for _ in range(30):
        public_figure(source, UNQUOTED)
    calls.clear()
    rows_after, many = export()
    assert rows_after == rows + 30 and many == few
    assert len(calls) == distinct


def test_source_page_answers_json(client):
    """``?format=json``: what the source is, its archived text, and each public quote with
    the record quoting it and whether it is found in the text; a draft's quote is absent."""
    source = Source.objects.get(pk=KZ_SOURCE)
    draft = FigureFactory(source=source, quote=UNQUOTED)
    record = client.get(f"/sources/{KZ_SOURCE}/", {"format": "json"}).json()
    assert record["id"] == KZ_SOURCE and record["url"] == f"http://testserver/sources/{KZ_SOURCE}/"
    assert (record["title"], record["publisher"]) == (source.title, source.publisher)
    assert record["text"] == source.text and record["revisions"] >= 1
    public = source_page(client).count('<li id="cited-')  # the records the page lists
    assert len(record["quotes"]) == public and public >= 20
    assert [quote["number"] for quote in record["quotes"]] == list(range(1, public + 1))
    assert all(quote["found_in_text"] for quote in record["quotes"])
    assert UNQUOTED not in {quote["quote"] for quote in record["quotes"]}
    assert f"/figures/{draft.pk}/" not in json.dumps(record)
    page = source_page(client)
    assert f'href="/sources/{KZ_SOURCE}/?format=json"' in page
    assert client.get(f"/sources/{KZ_SOURCE}/", {"format": "txt"}).status_code == 404
