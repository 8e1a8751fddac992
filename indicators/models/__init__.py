"""What is measured (``Indicator``) and each number a source states about it (``Figure``).

A figure keeps the number *and* how it was stated: "более $67 млрд" is value 67, unit
multiplier 9, unit USD, comparator ``more_than``, with the words kept in ``as_stated``.
"""

from .figures import Figure
from .indicators import Indicator
from .querysets import FigureQuerySet, IndicatorQuerySet
from .units import (
    COMPARATOR_SYMBOLS,
    CURRENCIES,
    MULTIPLIER_WORDS,
    UNIT_SYMBOLS,
    UNITS_BY_MEASURE_KIND,
    Comparator,
    MeasureKind,
    ObservationStatus,
    Scope,
    Unit,
    UnitMultiplier,
    format_quantity,
    unit_symbol,
)

__all__ = [
    "COMPARATOR_SYMBOLS",
    "CURRENCIES",
    "Comparator",
    "Figure",
    "FigureQuerySet",
    "Indicator",
    "IndicatorQuerySet",
    "MULTIPLIER_WORDS",
    "ObservationStatus",
    "MeasureKind",
    "Scope",
    "UNITS_BY_MEASURE_KIND",
    "UNIT_SYMBOLS",
    "Unit",
    "UnitMultiplier",
    "format_quantity",
    "unit_symbol",
]
