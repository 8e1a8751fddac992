"""The rules a figure obeys, stated once as database constraints (so a form, an import, a
script and the database all refuse the same things, each with its message on the field)."""

import datetime

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from sco_tracker.tracking.constraints import FieldCheckConstraint
from sco_tracker.tracking.models import PublishableModel
from sco_tracker.tracking.states import PublicationState

from .units import (
    Comparator,
    MeasureKind,
    ObservationStatus,
    Scope,
    Unit,
    UnitMultiplier,
    units_fit_measure_kind,
)


def figure_constraints() -> list:
    return [
        PublishableModel.state_constraint("figure"),
        FieldCheckConstraint(
            condition=~Q(state=PublicationState.PUBLISHED) | ~Q(quote=""),
            name="figure_published_has_quote",
            field="quote",
            violation_error_message=_("A published figure needs its verbatim quote."),
        ),
        FieldCheckConstraint(
            condition=Q(base_value__isnull=True)
            | ~Q(measure_kind__in=[MeasureKind.MULTIPLE, MeasureKind.GROWTH_RATE]),
            name="figure_base_value_only_for_from_to",
            field="base_value",
            violation_error_message=_(
                "A multiple or growth rate is compared with a base period, not a base "
                "value: leave this empty and give the base period."
            ),
        ),
        FieldCheckConstraint(
            condition=Q(base_period_start__isnull=True)
            | Q(base_value__isnull=False)
            | Q(measure_kind__in=[MeasureKind.MULTIPLE, MeasureKind.GROWTH_RATE]),
            name="figure_base_period_only_with_comparison",
            field="base_period_start",
            violation_error_message=_(
                "A base period belongs to a comparison: a multiple, a growth rate or a "
                "“from A to B” figure with a base value."
            ),
        ),
        models.CheckConstraint(
            condition=Q(comparator__in=Comparator.values),
            name="figure_comparator_valid",
        ),
        models.CheckConstraint(condition=Q(unit__in=Unit.values), name="figure_unit_valid"),
        models.CheckConstraint(
            condition=Q(unit_multiplier__in=UnitMultiplier.values),
            name="figure_multiplier_valid",
        ),
        models.CheckConstraint(condition=Q(scope__in=Scope.values), name="figure_scope_valid"),
        FieldCheckConstraint(
            condition=(Q(scope=Scope.COUNTRY) & Q(country__isnull=False))
            | (~Q(scope=Scope.COUNTRY) & Q(country__isnull=True)),
            name="figure_country_iff_country_scope",
            field="country",
            violation_error_message=_(
                "Choose a country when the subject is a country, and only then."
            ),
        ),
        FieldCheckConstraint(
            condition=Q(period_start__isnull=True, period_end__isnull=True)
            | Q(period_start__isnull=False, period_end__isnull=False),
            name="figure_period_both_or_neither",
            field="period_end",
            violation_error_message=_("Give both the start and the end of the period."),
        ),
        FieldCheckConstraint(
            condition=Q(period_start__isnull=True) | Q(period_end__gte=F("period_start")),
            name="figure_period_ends_after_start",
            field="period_end",
            violation_error_message=_("The period cannot end before it starts."),
        ),
        FieldCheckConstraint(
            condition=Q(base_period_start__isnull=True, base_period_end__isnull=True)
            | Q(base_period_start__isnull=False, base_period_end__isnull=False),
            name="figure_base_period_both_or_neither",
            field="base_period_end",
            violation_error_message=_("Give both the start and the end of the base period."),
        ),
        FieldCheckConstraint(
            condition=Q(base_period_start__isnull=True)
            | Q(base_period_end__gte=F("base_period_start")),
            name="figure_base_period_ends_after_start",
            field="base_period_end",
            violation_error_message=_("The base period cannot end before it starts."),
        ),
        models.CheckConstraint(
            condition=Q(measure_kind__in=MeasureKind.values),
            name="figure_measure_kind_valid",
        ),
        *units_fit_measure_kind("figure", "unit"),
        models.CheckConstraint(
            condition=Q(observation_status__in=ObservationStatus.values),
            name="figure_observation_status_valid",
        ),
        FieldCheckConstraint(
            condition=Q(fraction_numerator__isnull=True, fraction_denominator__isnull=True)
            | Q(
                fraction_numerator__gte=1,
                fraction_denominator__gte=1,
                fraction_numerator__lte=F("fraction_denominator"),
                measure_kind=MeasureKind.SHARE,
            ),
            name="figure_fraction_is_a_share",
            field="fraction_denominator",
            violation_error_message=_(
                "A fraction needs both parts (the first no larger than the second) and "
                "belongs to a share."
            ),
        ),
        FieldCheckConstraint(
            # |value − 100·n/d| ≤ 0.5, kept in whole numbers: |2·value·d − 200·n| ≤ d.
            condition=Q(fraction_numerator__isnull=True)
            | Q(
                GreaterThanOrEqual(
                    F("value") * F("fraction_denominator") * 2,
                    F("fraction_numerator") * 200 - F("fraction_denominator"),
                )
            )
            & Q(
                LessThanOrEqual(
                    F("value") * F("fraction_denominator") * 2,
                    F("fraction_numerator") * 200 + F("fraction_denominator"),
                )
            ),
            name="figure_fraction_matches_value",
            field="value",
            violation_error_message=_(
                "The value does not match the fraction: ⅓ is about 33.3%%, ½ is 50%%."
            ),
        ),
        FieldCheckConstraint(
            condition=~Q(measure_kind=MeasureKind.SHARE) | Q(value__gte=0, value__lte=100),
            name="figure_share_within_0_100",
            field="value",
            violation_error_message=_("A share is a percentage between 0 and 100."),
        ),
        FieldCheckConstraint(
            condition=~Q(measure_kind=MeasureKind.SHARE) | Q(unit_multiplier=0),
            name="figure_share_without_multiplier",
            field="unit_multiplier",
            violation_error_message=_("A share takes no multiplier."),
        ),
        models.UniqueConstraint(
            "indicator",
            "scope",
            Coalesce("country", Value(0)),
            Coalesce("period_start", Value(datetime.date(1, 1, 1))),
            Coalesce("period_end", Value(datetime.date(1, 1, 1))),
            "source",
            name="figure_unique_indicator_subject_period_source",
            violation_error_message=_(
                "This source already has a figure for this indicator, subject and period."
            ),
        ),
    ]
