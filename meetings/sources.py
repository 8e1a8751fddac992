"""A source's public page: its archived text with every passage a public record quotes
highlighted and linked to that record, and the list of those records.

Three kinds of record quote a source: figures (``indicators``, reached through the
reverse relation so that this app does not import it), commitments' quotes and
compliance evidence. Only public ones count, as they stood at the page's moment: a
draft's quote is neither highlighted nor listed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from urllib.parse import urlencode

from django.shortcuts import render

from sco_tracker.tracking.exports import record_json
from sco_tracker.tracking.public import attach_revision_info, get_published_or_404
from sco_tracker.tracking.views import absolute_url, detail_format

from .models import CommitmentQuote, Evidence, Source
from .quotes import find_quote

BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
LINE_BREAK = re.compile(r"\n\s*")


@dataclass
class Citation:
    """One public record quoting the source."""

    kind: str  # "figure", "commitment" or "evidence": how the template shows it
    record: object
    quote: str
    url: str  # the record's page, at the page's moment
    key: str  # the anchor of its highlight, "quote-<key>"
    span: tuple[int, int] | None = None  # where the quote stands in the text
    number: int = 0


@dataclass
class Piece:
    """A run of a paragraph: plain, or quoted by ``cited`` (innermost last)."""

    text: str
    cited: list = field(default_factory=list)
    opens: list = field(default_factory=list)  # citations whose quote starts here
    closes: list = field(default_factory=list)  # …and ends here (their reference numbers)

    @property
    def link(self) -> Citation | None:
        return self.cited[-1] if self.cited else None


def at_moment(url: str, as_of_param: str, fragment: str = "") -> str:
    if as_of_param:
        url += "?" + urlencode({"as_of": as_of_param})
    return f"{url}#{fragment}" if fragment else url


def figure_model():
    return Source._meta.get_field("figures").related_model


def citations(source, as_of, as_of_param: str = "") -> list[Citation]:
    """The public records quoting ``source`` at ``as_of``, in the order their quotes
    appear in its text (quotes not found in it last), numbered. Three queries (more as
    of a past moment, as many whatever the number of records)."""
    figures = (
        figure_model()
        .objects.published(as_of=as_of)
        .filter(source_id=source.pk)
        .with_related("indicator", "country")
        .instances()
    )
    quotes = (
        CommitmentQuote.objects.published(as_of=as_of)
        .filter(source_id=source.pk)
        .with_related("commitment")
        .instances()
    )
    evidence = (
        Evidence.objects.published(as_of=as_of)
        .filter(source_id=source.pk)
        .with_related("assessment__commitment", "assessment__country")
        .instances()
    )
    found = [
        Citation(
            "figure",
            figure,
            figure.quote,
            at_moment(figure.get_absolute_url(), as_of_param),
            f"figure-{figure.pk}",
        )
        for figure in figures
        if figure.quote
    ]
    found += [
        Citation(
            "commitment",
            quote,
            quote.quote,
            at_moment(quote.commitment.get_absolute_url(), as_of_param),
            f"commitmentquote-{quote.pk}",
        )
        for quote in quotes
        if quote.commitment is not None
    ]
    found += [
        Citation(
            "evidence",
            item,
            item.quote,
            at_moment(
                item.assessment.commitment.get_absolute_url(),
                as_of_param,
                f"assessment-{item.assessment.pk}",
            ),
            f"evidence-{item.pk}",
        )
        for item in evidence
        if item.quote and item.assessment is not None and item.assessment.commitment is not None
    ]
    for citation in found:
        citation.span = find_quote(citation.quote, source.text) if source.text else None
    found.sort(key=lambda c: (c.span is None, c.span or (0, 0), c.kind, c.record.pk))
    for number, citation in enumerate(found, start=1):
        citation.number = number
    return found


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: separated by blank lines, or — in a text with
    none — by line breaks (documents copied from web pages often have one per paragraph)."""
    separator = BLANK_LINE if BLANK_LINE.search(text) else LINE_BREAK
    spans, start = [], 0
    for match in separator.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    spans = [(start, start + len(text[start:end].rstrip())) for start, end in spans]
    return [(start, end) for start, end in spans if end > start]


def highlighted(text: str, found: list[Citation]) -> list[list[Piece]]:
    """The text as paragraphs of pieces, each piece quoted by the same citations
    throughout; a quote across paragraphs is highlighted in each. One sweep over the
    quotes' edges, whatever their number."""
    opens, closes = defaultdict(list), defaultdict(list)
    for citation in found:
        if citation.span:
            opens[citation.span[0]].append(citation)
            closes[citation.span[1]].append(citation)
    paragraphs = paragraph_spans(text)
    edges = sorted({0, len(text), *opens, *closes, *(edge for p in paragraphs for edge in p)})
    active: dict[str, Citation] = {}
    result: list[list[Piece]] = []
    current = 0
    for start, end in pairwise(edges):
        for citation in closes.get(start, ()):
            active.pop(citation.key, None)
        for citation in opens.get(start, ()):
            active[citation.key] = citation
        while current < len(paragraphs) and paragraphs[current][1] <= start:
            current += 1
        if current == len(paragraphs) or start < paragraphs[current][0]:
            continue  # between paragraphs
        if start == paragraphs[current][0]:
            result.append([])
        result[-1].append(
            Piece(
                text[start:end],
                cited=list(active.values()),
                opens=opens.get(start, []),
                closes=closes.get(end, []),
            )
        )
    return result


def source_row(request, source, found: list[Citation]) -> dict:
    """A source as ``?format=json`` gives it: what it is, its archived text, and the public
    passages quoted from it — by which record, and whether each is found in the text."""
    attach_revision_info([source], request.as_of)
    return {
        "id": source.pk,
        "url": absolute_url(request, source),
        "title": source.title,
        "publisher": source.publisher,
        "published_on": source.published_on,
        "source_url": source.url or None,
        "language": source.language,
        "text": source.text or None,
        "quotes": [
            {
                "number": citation.number,
                "kind": citation.kind,
                "record": request.build_absolute_uri(citation.url),
                "quote": citation.quote,
                "found_in_text": citation.span is not None if source.text else None,
            }
            for citation in found
        ],
        "revisions": source.revision_count,
        "last_revised": source.last_revised,
    }


def source_detail(request, pk):
    """``/sources/<id>/``: what the source is, its text with the public quotes highlighted,
    and the records quoting it — now, or as of ``?as_of=``."""
    output = detail_format(request)
    source = get_published_or_404(Source.objects.published(as_of=request.as_of), id=pk)
    found = citations(source, request.as_of, request.as_of_param)
    if output == "json":
        return record_json(source_row(request, source, found))
    return render(
        request,
        "meetings/source_detail.html",
        {
            "source": source,
            "citations": found,
            "paragraphs": highlighted(source.text, found),
            "not_found": [citation for citation in found if citation.span is None],
        },
    )
