"""How a number is stated: measure kinds, units, multipliers, comparators and subjects,
and how a quantity reads ("> 67 billion USD")."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sco_tracker.tracking.constraints import FieldCheckConstraint
from sco_tracker.tracking.diffs import format_number


class MeasureKind(models.TextChoices):
    LEVEL = "level", _("level")
    SHARE = "share", _("share")
    MULTIPLE = "multiple", _("multiple / ratio")
    COUNT = "count", _("count")
    DURATION = "duration", _("duration")
    GROWTH_RATE = "growth_rate", _("growth rate")


class Unit(models.TextChoices):
    """Units figures are stated in: ISO 4217 currency codes and physical/counting units."""

    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("euro (EUR)")
    CNY = "CNY", _("Chinese yuan (CNY)")
    RUB = "RUB", _("Russian rouble (RUB)")
    KZT = "KZT", _("Kazakh tenge (KZT)")
    KGS = "KGS", _("Kyrgyz som (KGS)")
    UZS = "UZS", _("Uzbek sum (UZS)")
    TJS = "TJS", _("Tajik somoni (TJS)")
    INR = "INR", _("Indian rupee (INR)")
    PKR = "PKR", _("Pakistani rupee (PKR)")
    IRR = "IRR", _("Iranian rial (IRR)")
    BYN = "BYN", _("Belarusian rouble (BYN)")
    PERCENT = "%", _("per cent (%)")
    TONNE = "t", _("tonnes (t)")
    KILOMETRE = "km", _("kilometres (km)")
    HOUR = "h", _("hours (h)")
    DAY = "d", _("days (d)")
    PERSONS = "persons", _("persons")
    TIMES = "times", _("times (multiple)")
    COUNT = "count", _("count (items)")


CURRENCIES = frozenset(
    {"USD", "EUR", "CNY", "RUB", "KZT", "KGS", "UZS", "TJS", "INR", "PKR", "IRR", "BYN"}
)

# Which units make sense for which kind of measure; enforced in forms and in the database.
UNITS_BY_MEASURE_KIND: dict[str, frozenset[str]] = {
    MeasureKind.LEVEL: CURRENCIES | {Unit.TONNE, Unit.KILOMETRE, Unit.PERSONS},
    MeasureKind.SHARE: frozenset({Unit.PERCENT}),
    MeasureKind.MULTIPLE: frozenset({Unit.TIMES}),
    MeasureKind.COUNT: frozenset({Unit.COUNT, Unit.PERSONS}),
    MeasureKind.DURATION: frozenset({Unit.HOUR, Unit.DAY}),
    MeasureKind.GROWTH_RATE: frozenset({Unit.PERCENT}),
}

UNIT_MESSAGES = {
    MeasureKind.LEVEL: _(
        "This indicator is a level: use a currency, tonnes, kilometres or persons."
    ),
    MeasureKind.SHARE: _("This indicator is a share: use %%."),
    MeasureKind.MULTIPLE: _("This indicator is a multiple: use times."),
    MeasureKind.COUNT: _("This indicator is a count: use count or persons."),
    MeasureKind.DURATION: _("This indicator is a duration: use hours or days."),
    MeasureKind.GROWTH_RATE: _("This indicator is a growth rate: use %%."),
}


def units_fit_measure_kind(prefix: str, unit_field: str) -> list:
    """One constraint per measure kind, so the message names the units that kind takes
    (messages are %-formatted by Django: "%%" is a per cent sign)."""
    return [
        FieldCheckConstraint(
            condition=~Q(measure_kind=kind) | Q(**{f"{unit_field}__in": sorted(units)}),
            name=f"{prefix}_{kind}_units",
            field=unit_field,
            violation_error_message=UNIT_MESSAGES[kind],
        )
        for kind, units in UNITS_BY_MEASURE_KIND.items()
    ]


# Short forms used when a number is displayed ("> 67 billion USD", "≈ 8 million persons").
UNIT_SYMBOLS = {
    Unit.PERCENT: "%",
    Unit.TONNE: pgettext_lazy("unit", "t"),
    Unit.KILOMETRE: pgettext_lazy("unit", "km"),
    Unit.HOUR: pgettext_lazy("unit", "h"),
    Unit.DAY: pgettext_lazy("unit", "days"),
    Unit.PERSONS: pgettext_lazy("unit", "persons"),
    Unit.TIMES: pgettext_lazy("unit", "times"),
    Unit.COUNT: "",
}


def unit_symbol(unit: str) -> str:
    return str(UNIT_SYMBOLS.get(unit, unit))


class UnitMultiplier(models.IntegerChoices):
    """SDMX UNIT_MULT: the power of ten the value is expressed in."""

    UNITS = 0, _("units (×1)")
    THOUSANDS = 3, _("thousands (×10³)")
    MILLIONS = 6, _("millions (×10⁶)")
    BILLIONS = 9, _("billions (×10⁹)")
    TRILLIONS = 12, _("trillions (×10¹²)")


MULTIPLIER_WORDS = {
    0: "",
    3: pgettext_lazy("multiplier", "thousand"),
    6: pgettext_lazy("multiplier", "million"),
    9: pgettext_lazy("multiplier", "billion"),
    12: pgettext_lazy("multiplier", "trillion"),
}


class Comparator(models.TextChoices):
    """How the number was qualified in the source ("более", "около", "почти", "до"…)."""

    EXACT = "exact", _("exactly (as stated)")
    APPROXIMATELY = "approximately", _("approximately")
    MORE_THAN = "more_than", _("more than")
    LESS_THAN = "less_than", _("less than")
    NEARLY = "nearly", _("nearly")
    UP_TO = "up_to", _("up to")
    AT_LEAST = "at_least", _("at least")
    REACHED = "reached", _("reached («достиг»)")
    EXCEEDED = "exceeded", _("exceeded («превысил»)")


COMPARATOR_SYMBOLS = {
    Comparator.EXACT: "",
    Comparator.APPROXIMATELY: "≈",
    Comparator.MORE_THAN: ">",
    Comparator.LESS_THAN: "<",
    Comparator.NEARLY: "≲",
    Comparator.UP_TO: "≤",
    Comparator.AT_LEAST: "≥",
    Comparator.REACHED: "=",
    Comparator.EXCEEDED: ">",
}


class ObservationStatus(models.TextChoices):
    """What kind of number it is, after SDMX's OBS_STATUS: a forecast or a target is not a
    measurement and is never shown or charted as one."""

    ACTUAL = "actual", _("actual")
    ESTIMATE = "estimate", _("estimate")
    PROVISIONAL = "provisional", _("provisional")
    FORECAST = "forecast", _("forecast")
    TARGET = "target", _("target")


# Russian words before a number ("более 67 млрд USD") and before a multiple ("более чем в
# 2 раза"); the phrases a Russian reader expects, not symbols.
RUSSIAN_BEFORE = {
    Comparator.EXACT: "",
    Comparator.APPROXIMATELY: "около",
    Comparator.MORE_THAN: "более",
    Comparator.LESS_THAN: "менее",
    Comparator.NEARLY: "почти",
    Comparator.UP_TO: "до",
    Comparator.AT_LEAST: "не менее",
    Comparator.REACHED: "на уровне",
    Comparator.EXCEEDED: "свыше",
}
RUSSIAN_BEFORE_MULTIPLE = {
    Comparator.EXACT: "",
    Comparator.APPROXIMATELY: "примерно",
    Comparator.MORE_THAN: "более чем",
    Comparator.LESS_THAN: "менее чем",
    Comparator.NEARLY: "почти",
    Comparator.AT_LEAST: "не менее чем",
    Comparator.REACHED: "",
    Comparator.EXCEEDED: "более чем",
}


class Scope(models.TextChoices):
    COUNTRY = "country", _("a country")
    SCO = "sco", _("the SCO as a whole")
    WORLD = "world", _("the world")


def format_quantity(value, multiplier: int, unit: str, comparator: str = Comparator.EXACT) -> str:
    """The number as readers of the page's language expect it: “> 67 billion USD”,
    “≈ 8 million persons” in English; «более 67 млрд USD», «около 8 млн чел.», «почти в
    2 раза», «33,3%» in Russian (decimal comma, non-breaking-space grouping)."""
    number = format_number(Decimal(value))
    scale = str(MULTIPLIER_WORDS.get(multiplier, f"×10^{multiplier}"))
    if (get_language() or "en").startswith("ru"):
        return russian_quantity(number, Decimal(value), scale, unit, comparator)
    parts = [COMPARATOR_SYMBOLS.get(comparator, ""), number, scale, unit_symbol(unit)]
    text = " ".join(part for part in parts if part)
    return text.replace(" %", "%")


def russian_times(value: Decimal, comparator: str) -> str:
    """«раз» or «раза» after a number: в 2, 3, 4, 22 раза; в 5, 11, 12 раз; в 3,5 раза;
    «до» takes the genitive plural: до 5 раз."""
    if comparator == Comparator.UP_TO:
        return "раз"
    if value != value.to_integral_value():
        return "раза"
    whole = int(value)
    return "раза" if whole % 10 in (2, 3, 4) and whole % 100 not in (12, 13, 14) else "раз"


def russian_quantity(number: str, value: Decimal, scale: str, unit: str, comparator: str) -> str:
    if unit == "times":
        if comparator == Comparator.UP_TO:
            words = ["до", number, "раз"]
        else:
            before = RUSSIAN_BEFORE_MULTIPLE.get(comparator, "")
            words = [before, "в", number, scale, russian_times(value, comparator)]
        return " ".join(word for word in words if word)
    words = [RUSSIAN_BEFORE.get(comparator, ""), number, scale, unit_symbol(unit)]
    return " ".join(word for word in words if word).replace(" %", "%")
