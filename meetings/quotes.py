"""Quotes checked against their source's text.

A quote is compared with the source after both are folded the same way: quotation marks
become ", hyphens and dashes become -, and every run of whitespace (no-break and thin
spaces included) one space. Folding changes no character into several, so each folded
character still knows where it stood in the original: a quote found in the folded text
is highlighted in the original (``find_quote``), and a mismatch is reported with the
characters as typed (``closest_passage``, ``mismatch_error``).

Plain functions of texts (a source is anything with a ``text``): the models' ``clean()``,
the source page, its template filter and the exports share them.
"""

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import accumulate

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalise_space(text: str) -> str:
    return " ".join(text.split())


QUOTATION_MARKS = "«»„“”‟\"‘’‚‛'‹›〝〞＂"
HYPHENS_AND_DASHES = "‐‑‒–—―−﹘﹣－-"
QUOTATION_MARK = re.compile(f"[{re.escape(QUOTATION_MARKS)}]")
HYPHEN_OR_DASH = re.compile(f"[{re.escape(HYPHENS_AND_DASHES)}]")
WORD = re.compile(r"\S+")
# Lining a quote up with its source: pieces of SHINGLE characters, at most SHINGLES of
# them, each counted where it is found up to HITS times.
SHINGLE, SHINGLES, HITS = 8, 400, 50
# Then compared in full: the first COMPARED characters of the quote, with a window of the
# source around where it lines up, WINDOW_MARGIN characters wider on each side.
COMPARED, WINDOW_MARGIN = 1000, 20
# A passage sharing less than this share of the quote's characters is not "close".
CLOSE_ENOUGH = 0.5
# A longer passage is shown from PASSAGE_BEFORE characters before the difference.
PASSAGE_SHOWN, PASSAGE_BEFORE = 300, 100


@dataclass(frozen=True)
class FoldedText:
    """A text folded for comparison, with the original offset of each word."""

    text: str
    starts: tuple[int, ...]  # where each word starts in ``text``…
    origins: tuple[int, ...]  # …and in the original

    def original(self, index: int) -> int:
        """The original offset of the folded character at ``index`` (a space joining two
        words stands for the first character of the whitespace between them)."""
        word = bisect_right(self.starts, index) - 1
        if word < 0:
            return 0
        return self.origins[word] + index - self.starts[word]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.original(start), self.original(end - 1) + 1


def fold(text: str) -> FoldedText:
    """``text`` folded for comparison."""
    translated = HYPHEN_OR_DASH.sub("-", QUOTATION_MARK.sub('"', text))
    words = translated.split()
    origins = [match.start() for match in WORD.finditer(translated)]
    starts = list(accumulate((len(word) + 1 for word in words), initial=0))[:-1]
    return FoldedText(" ".join(words), tuple(starts), tuple(origins))


@lru_cache(maxsize=16)
def fold_source(text: str) -> FoldedText:
    """A source's text folded, cached: a source is folded once, not once for each quote
    that cites it (a process keeps the last few; quotes themselves are not cached)."""
    return fold(text)


def source_text(source) -> str:
    return (source.text or "") if source is not None else ""


def quote_found(quote: str, source) -> bool:
    """Whether ``quote`` is in the text of ``source`` (a Source, or None), up to
    whitespace, quotation marks and dashes."""
    text = source_text(source)
    folded = fold(quote).text if quote else ""
    return bool(folded and text) and folded in fold_source(text).text


def quote_verified(quote: str, source) -> bool | None:
    """``quote_found`` for exports: None when there is no quote or no text to check."""
    return quote_found(quote, source) if quote and source_text(source) else None


def find_quote(quote: str, text: str) -> tuple[int, int] | None:
    """Where ``quote`` first stands in ``text``: (start, end) in the original text."""
    folded_quote, folded_text = fold(quote).text, fold_source(text)
    if not folded_quote:
        return None
    start = folded_text.text.find(folded_quote)
    if start < 0:
        return None
    return folded_text.original_span(start, start + len(folded_quote))


@dataclass(frozen=True)
class Mismatch:
    """The passage of a source closest to a quote that is not in it, and the first
    character where they part (1-based, in the quote as typed; "" past either end)."""

    passage: str
    position: int
    quote_char: str
    source_char: str


def align(needle: str, haystack: str) -> int | None:
    """Where ``needle`` best lines up with ``haystack`` (the offset of its first character,
    possibly before the start), or None when no piece of it is there: every piece of
    ``SHINGLE`` characters found votes for the offset that puts it where it was found.
    At most ``SHINGLES`` pieces, each counted at most ``HITS`` times: a few hundred
    substring searches, however long the text or the quote."""
    for size in (SHINGLE, SHINGLE // 2):
        size = min(size, len(needle))
        step = max(size // 2, 1, len(needle) // SHINGLES)
        votes = Counter()
        for offset in range(0, len(needle) - size + 1, step):
            piece = needle[offset : offset + size]
            found, hits = haystack.find(piece), 0
            while found >= 0 and hits < HITS:
                votes[found - offset] += 1
                found, hits = haystack.find(piece, found + 1), hits + 1
        if votes:
            return votes.most_common(1)[0][0]
    return None


def closest_passage(quote: str, text: str) -> Mismatch | None:
    """The passage of ``text`` closest to ``quote`` and where they first differ, or None
    when nothing comes close.

    The quote is lined up with the text (``align``); only there, in a window of the
    quote's length plus a margin, are the two compared in full (``difflib``), which finds
    where the passage starts even when the quote has words the source lacks. Both steps
    are bounded, so a long source or a long quote stays fast."""
    folded_quote, folded_text = fold(quote), fold_source(text)
    needle, haystack = folded_quote.text, folded_text.text
    aligned = align(needle, haystack) if needle and haystack else None
    if aligned is None:
        return None
    compared = needle[:COMPARED]
    low = max(0, aligned - WINDOW_MARGIN)
    window = haystack[low : max(low, aligned + len(compared) + WINDOW_MARGIN)]
    blocks = [
        block
        for block in SequenceMatcher(None, window, compared, autojunk=False).get_matching_blocks()
        if block.size
    ]
    if sum(block.size for block in blocks) < CLOSE_ENOUGH * len(compared):
        return None
    # The first run of a few characters in common fixes where the passage starts (single
    # characters in the margin that happen to match do not).
    anchor = next((block for block in blocks if block.size >= 4), blocks[0])
    start = low + max(0, anchor.a - anchor.b)
    end = max(start + 1, min(len(haystack), start + len(needle)))
    differ = 0
    while (
        differ < len(needle)
        and start + differ < len(haystack)
        and needle[differ] == haystack[start + differ]
    ):
        differ += 1
    # Around the difference, when the passage is too long to show whole.
    shown_start = max(start, min(start + differ - PASSAGE_BEFORE, end - PASSAGE_SHOWN))
    shown_end = min(end, shown_start + PASSAGE_SHOWN)
    passage = normalise_space(text[slice(*folded_text.original_span(shown_start, shown_end))])
    passage = ("…" if shown_start > start else "") + passage + ("…" if shown_end < end else "")
    in_quote = differ < len(needle)
    in_text = start + differ < len(haystack)
    return Mismatch(
        passage=passage,
        position=folded_quote.original(differ) + 1 if in_quote else len(quote.rstrip()) + 1,
        quote_char=quote[folded_quote.original(differ)] if in_quote else "",
        source_char=text[folded_text.original(start + differ)] if in_text else "",
    )


def describe_character(char: str, other: str) -> str:
    """“x”, with its code point and name when it could be mistaken for ``other``: any
    character that is not a letter or digit, and a letter or digit against one of
    another script (Latin “c” and Cyrillic “с”)."""
    name = unicodedata.name(char, "")
    other_name = unicodedata.name(other, "") if other else ""
    same_script = name.split(" ")[0] == other_name.split(" ")[0]
    if char.isalnum() and char.isprintable() and (not other.isalnum() or same_script):
        return f"“{char}”"
    label = f"U+{ord(char):04X} {name}".strip()
    shown = char if char.isprintable() and not char.isspace() else " "
    return f"“{shown}” ({label})"


def mismatch_error(source, mismatch: Mismatch | None) -> ValidationError:
    if mismatch is None:
        return ValidationError(
            _(
                "This quote does not appear verbatim in the text of “%(source)s”, and no "
                "passage of it comes close. Copy it exactly from the source."
            ),
            code="quote_not_in_source",
            params={"source": source.title},
        )
    if mismatch.quote_char:
        quote_side = _("the quote has %(char)s") % {
            "char": describe_character(mismatch.quote_char, mismatch.source_char)
        }
    else:
        quote_side = _("the quote ends there")
    if mismatch.source_char:
        source_side = _("the source has %(char)s") % {
            "char": describe_character(mismatch.source_char, mismatch.quote_char)
        }
    else:
        source_side = _("the source ends there")
    return ValidationError(
        _(
            "This quote does not appear verbatim in the text of “%(source)s”. The closest "
            "passage in the source is «%(passage)s»; they differ at character %(position)s: "
            "%(quote_side)s, %(source_side)s. Copy it exactly from the source."
        ),
        code="quote_not_in_source",
        params={
            "source": source.title,
            "passage": mismatch.passage,
            "position": mismatch.position,
            "quote_side": quote_side,
            "source_side": source_side,
        },
    )
