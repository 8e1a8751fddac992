"""Numbers and dates as editors type them into spreadsheets, read strictly.

**Numbers.** A file has one decimal mark, a comma ("27,5") or a point ("27.5"): the one
chosen on the import form, or else the one its first unambiguous number shows. Spaces —
ordinary, no-break (U+00A0), thin (U+2009), narrow no-break (U+202F) — separate groups of
three digits ("1 234 567,5"); so may the other mark ("1.234.567,5"). A number whose only
mark stands once before exactly three digits ("1.234", "1,234") could be a thousand and
more or a decimal fraction: it is read with the file's decimal mark when that is its
mark, and refused otherwise ("1.234" in a file with decimal commas, "1,234" in one with
decimal points) — never guessed. Words and symbols ("67 млрд", "$67", "30%") are refused
with where they go: multipliers in the multiplier column, units in the unit column.
Numbers typed into XLSX number cells need none of this.

**Dates.** ``2025-11-18`` or ``18.11.2025`` (or an XLSX date cell). Nothing else: "11/12/2025"
is a different day in different countries.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from ..exports import FORMULA_STARTS

COMMA, POINT = ",", "."
MARKS = (COMMA, POINT)
# Between groups of three digits: space, no-break space, thin space, narrow no-break space,
# figure space.
SPACES = " \u00a0\u2009\u202f\u2007"
SIGNS = "+-\u2212"
SPACE_RUN = re.compile(f"[{SPACES}]+")
NUMBER_TEXT = re.compile(r"[0-9.,]+")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
CURRENCY_SIGNS = "$€₽¥£₸"


class CellError(ValueError):
    """A cell that cannot be read; the message says why and how to write it."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def mark_name(mark: str) -> str:
    return _("decimal commas") if mark == COMMA else _("decimal points")


def text_of(value) -> str:
    """A text cell's value: spreadsheet numbers and dates as written, surrounding spaces
    dropped, and the apostrophe our CSV exports put before formula-like text removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


def _grouped(digits: str, separator: str) -> bool:
    """``digits`` is 1–3 digits, then groups of three each after ``separator``."""
    head, *groups = digits.split(separator)
    return (
        1 <= len(head) <= 3
        and head.isdigit()
        and all(len(group) == 3 and group.isdigit() for group in groups)
    )


def _ambiguous(before: str, after: str) -> bool:
    """ "1,234": a thousands separator or a decimal mark — the digits cannot tell."""
    return len(after) == 3 and bool(re.fullmatch(r"[1-9]\d{0,2}", before))


def _refuse_words(text: str) -> None:
    if any(sign in text for sign in CURRENCY_SIGNS) or "%" in text:
        raise CellError(
            _("“%(text)s” is not a number: write the unit (USD, %%…) in the unit column.")
            % {"text": text}
        )
    if re.match(r"[\d.,]+\s*[^\d\s.,]", text):  # a number, then words: "67 млрд", "27bn"
        raise CellError(
            _(
                "“%(text)s” is not a number: write “млрд”, “млн”, “bn” or “m” in the "
                "multiplier column and the unit in the unit column."
            )
            % {"text": text}
        )
    raise CellError(_("“%(text)s” is not a number.") % {"text": text})


def _split(text: str) -> tuple[str, str, bool]:
    """(sign, the number without spaces, whether spaces separated thousands)."""
    sign = ""
    if text[:1] in SIGNS:
        sign, text = ("-" if text[0] != "+" else ""), text[1:].strip()
    parts = SPACE_RUN.split(text)
    spaced = len(parts) > 1
    if spaced:
        last = re.fullmatch(r"(\d{3})([.,]\d+)?", parts[-1])
        if not (_grouped("_".join(parts[:-1] + ["000"]), "_") and last):
            if not all(NUMBER_TEXT.fullmatch(part) for part in parts):
                _refuse_words(text)
            raise CellError(
                _("“%(text)s”: spaces may only separate groups of three digits.") % {"text": text}
            )
    joined = "".join(parts)
    if not joined or not NUMBER_TEXT.fullmatch(joined):
        _refuse_words(text)
    return sign, joined, spaced


def mark_shown(value) -> str | None:
    """The decimal mark a typed number shows beyond doubt (None: it shows none)."""
    if not isinstance(value, str) or is_blank(value):
        return None
    try:
        _sign, text, spaced = _split(text_of(value))
    except CellError:
        return None
    commas, points = text.count(COMMA), text.count(POINT)
    if commas and points:
        return COMMA if text.rfind(COMMA) > text.rfind(POINT) else POINT
    for mark, other, count in ((COMMA, POINT, commas), (POINT, COMMA, points)):
        if count > 1:
            return other  # several: thousands separators, so the decimal mark is the other
        if count == 1:
            before, after = text.split(mark)
            return mark if spaced or not _ambiguous(before, after) else None
    return None


def detect_decimal_mark(values) -> str | None:
    """The decimal mark of the first number in ``values`` that shows one."""
    for value in values:
        mark = mark_shown(value)
        if mark:
            return mark
    return None


def parse_decimal(value, decimal_mark: str | None) -> Decimal | None:
    """A number cell (see the module's docstring); None when empty."""
    if isinstance(value, bool):
        raise CellError(_("“%(text)s” is not a number.") % {"text": value})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):  # an XLSX number cell
        return Decimal(repr(value))
    if is_blank(value):
        return None
    original = text_of(value)
    sign, text, spaced = _split(original)
    commas, points = text.count(COMMA), text.count(POINT)
    integer, fraction = text, ""
    if commas and points:
        decimal = COMMA if text.rfind(COMMA) > text.rfind(POINT) else POINT
        thousands = POINT if decimal == COMMA else COMMA
        integer, _mark, fraction = text.rpartition(decimal)
        if spaced or not fraction.isdigit() or not _grouped(integer, thousands):
            raise CellError(_("“%(text)s” is not a number.") % {"text": original})
        integer = integer.replace(thousands, "")
    elif commas > 1 or points > 1:
        separator = COMMA if commas else POINT
        if spaced or not _grouped(text, separator):
            raise CellError(_("“%(text)s” is not a number.") % {"text": original})
        integer = text.replace(separator, "")
    elif commas or points:
        mark = COMMA if commas else POINT
        integer, fraction = text.split(mark)
        if not spaced and _ambiguous(integer, fraction) and mark != decimal_mark:
            raise CellError(ambiguity_message(original, integer + fraction, decimal_mark))
        if not fraction.isdigit() or not (integer == "" or integer.isdigit()):
            raise CellError(_("“%(text)s” is not a number.") % {"text": original})
    return Decimal(f"{sign}{integer or '0'}" + (f".{fraction}" if fraction else ""))


def ambiguity_message(text: str, whole: str, decimal_mark: str | None) -> str:
    if decimal_mark is None:
        return _(
            "“%(text)s” could be %(whole)s or a fraction, and nothing in the file says "
            "which: choose the decimal mark on the import form, or write %(whole)s without "
            "the separator."
        ) % {"text": text, "whole": whole}
    return _(
        "“%(text)s” is ambiguous in a file with %(marks)s: for %(whole)s write it without "
        "the separator; for a fraction use the file's decimal mark."
    ) % {"text": text, "whole": whole, "marks": mark_name(decimal_mark)}


def parse_integer(value, decimal_mark: str | None) -> int | None:
    number = parse_decimal(value, decimal_mark)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("“%(text)s” is not a whole number.") % {"text": text_of(value)})
    return int(number)


def parse_date(value) -> datetime.date | None:
    """``2025-11-18``, ``18.11.2025`` or a spreadsheet date; None when empty."""
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time():
            raise CellError(_("“%(text)s” is a moment, not a date.") % {"text": value})
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if is_blank(value):
        return None
    text = text_of(value)
    iso, dotted = ISO_DATE.fullmatch(text), DOTTED_DATE.fullmatch(text)
    if iso:
        year, month, day = iso.groups()
    elif dotted:
        day, month, year = dotted.groups()
    else:
        raise CellError(
            _("“%(text)s” is not a date: write 2025-11-18 or 18.11.2025.") % {"text": text}
        )
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError as error:
        raise CellError(_("“%(text)s” is not a day of the calendar.") % {"text": text}) from error
