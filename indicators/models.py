"""What is measured (``Indicator``) and each number a source states about it (``Figure``).

A figure keeps the number *and* how it was stated: "более $67 млрд" is value 67, unit
multiplier 9, unit USD, comparator ``more_than``, with the words kept in ``as_stated``.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Power
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import Country, Meeting, Person, Source, Topic, check_quote_in_source
from sco_tracker.localized import localized
from sco_tracker.tracking.diffs import Change, format_decimal
from sco_tracker.tracking.models import PublishableModel
from sco_tracker.tracking.public import TrackedQuerySet
from sco_tracker.tracking.states import PublicationState


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


COMPARATOR_SYMBOLS = {
    Comparator.EXACT: "",
    Comparator.APPROXIMATELY: "≈",
    Comparator.MORE_THAN: ">",
    Comparator.LESS_THAN: "<",
    Comparator.NEARLY: "≲",
    Comparator.UP_TO: "≤",
    Comparator.AT_LEAST: "≥",
}


class Scope(models.TextChoices):
    COUNTRY = "country", _("a country")
    SCO = "sco", _("the SCO as a whole")
    WORLD = "world", _("the world")


def format_quantity(value, multiplier: int, unit: str, comparator: str = Comparator.EXACT) -> str:
    """“> 67 billion USD”, “≈ 8 million persons”, “27.5 million t”, “1 h”."""
    parts = [
        COMPARATOR_SYMBOLS.get(comparator, ""),
        format_decimal(Decimal(value)),
        str(MULTIPLIER_WORDS.get(multiplier, f"×10^{multiplier}")),
        unit_symbol(unit),
    ]
    text = " ".join(part for part in parts if part)
    return text.replace(" %", "%")


class IndicatorQuerySet(TrackedQuerySet):
    def with_figure_count(self):
        """``figure_count``: the published figures of each indicator (at the same moment)."""
        figures = (
            self.at_same_time(Figure)
            .published()
            .filter(indicator_id=OuterRef("id"))
            .order_by()
            .values("indicator_id")
            .annotate(n=models.Count("*"))
            .values("n")[:1]
        )
        return self.annotate(figure_count=Coalesce(Subquery(figures), Value(0)))

    def with_figures_for(self, subject_code: str):
        figures = self.at_same_time(Figure).published().for_subject(subject_code)
        return self.filter(id__in=figures.values("indicator_id"))

    def key_indicators(self, limit: int = 6):
        """The indicators with the most figures, for the home page."""
        return (
            self.with_figure_count()
            .filter(figure_count__gt=0)
            .with_related("topic")
            .order_by("-figure_count", "name_en")[:limit]
        )


class FigureQuerySet(TrackedQuerySet):
    def recently_revised(self, limit: int = 6) -> list:
        """The figures most recently given a public revision (up to the moment), newest
        first, as instances; read from the history's date index rather than by computing
        every figure's last revision."""
        history = Figure.history.public()
        if self.moment is not None:
            history = history.filter(history_date__lte=self.moment)
        chosen: list[int] = []
        latest = history.newest_first().values_list("id", flat=True)
        for offset in range(0, 5000, 500):
            batch = list(latest[offset : offset + 500])
            visible = set(self.filter(id__in=set(batch)).values_list("id", flat=True))
            for figure_id in batch:
                if figure_id not in chosen and figure_id in visible:
                    chosen.append(figure_id)
            if len(chosen) >= limit or len(batch) < 500:
                break
        figures = {f.pk: f for f in self.filter(id__in=chosen[:limit]).instances()}
        return [figures[i] for i in chosen if i in figures][:limit]

    def for_subject(self, code: str):
        """``KZ`` for a country, ``SCO`` for the organisation, ``WORLD`` for the world."""
        code = code.upper()
        if code == "SCO":
            return self.filter(scope=Scope.SCO)
        if code == "WORLD":
            return self.filter(scope=Scope.WORLD)
        return self.filter(scope=Scope.COUNTRY, country__code=code)

    def overlapping_year(self, year: int):
        return self.filter(period_start__year__lte=year, period_end__year__gte=year)

    def with_normalised_value(self):
        return self.annotate(
            normalised=ExpressionWrapper(
                F("value") * Power(10, F("unit_multiplier")), output_field=models.DecimalField()
            )
        )


class Indicator(PublishableModel):
    objects = IndicatorQuerySet.as_manager()

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    definition_ru = models.TextField(_("definition (Russian)"), blank=True)
    measure_kind = models.CharField(
        _("measure kind"),
        max_length=20,
        choices=MeasureKind.choices,
        help_text=_("Fixes which units its figures may use; cannot change once figures exist."),
    )
    default_unit = models.CharField(_("default unit"), max_length=10, choices=Unit.choices)
    default_unit_multiplier = models.SmallIntegerField(
        _("default unit multiplier"), choices=UnitMultiplier.choices, default=UnitMultiplier.UNITS
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name_en"]
        permissions = [("publish_indicator", _("Can publish and withdraw indicators"))]
        constraints = [
            PublishableModel.state_constraint("indicator"),
            models.CheckConstraint(
                condition=Q(measure_kind__in=MeasureKind.values),
                name="indicator_measure_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    *[
                        Q(measure_kind=kind, default_unit__in=sorted(units))
                        for kind, units in UNITS_BY_MEASURE_KIND.items()
                    ],
                    _connector=Q.OR,
                ),
                name="indicator_default_unit_fits_kind",
                violation_error_message=_("The default unit does not fit the measure kind."),
            ),
            models.CheckConstraint(
                condition=Q(default_unit_multiplier__in=UnitMultiplier.values),
                name="indicator_multiplier_valid",
            ),
        ]

    class Tracking:
        url_name = "indicators:indicator_detail"
        history_url_name = "indicators:indicator_history"
        url_field = "slug"
        changes_filters = {"indicator": "slug"}
        search_fields = ["name_en", "name_ru", "definition_en", "definition_ru"]
        search_related = [("topic", "meetings.Topic")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def definition(self) -> str:
        return localized(self, "definition")

    def clean(self):
        allowed = UNITS_BY_MEASURE_KIND.get(self.measure_kind, frozenset())
        if self.measure_kind and self.default_unit and self.default_unit not in allowed:
            raise ValidationError(
                {
                    "default_unit": _("A %(kind)s is measured in: %(units)s.")
                    % {
                        "kind": self.get_measure_kind_display(),
                        "units": ", ".join(sorted(allowed)),
                    }
                }
            )
        if self.pk and self.figures.exists():
            stored = Indicator.objects.filter(pk=self.pk).values_list("measure_kind", flat=True)
            if stored and stored[0] != self.measure_kind:
                raise ValidationError(
                    {
                        "measure_kind": _(
                            "This indicator already has figures; its measure kind cannot change."
                        )
                    }
                )


class Figure(PublishableModel):
    """One number as one source states it, for one indicator and one subject."""

    objects = FigureQuerySet.as_manager()

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="figures"
    )
    scope = models.CharField(
        _("subject"),
        max_length=10,
        choices=Scope.choices,
        default=Scope.COUNTRY,
        help_text=_("Whom the number is about: one country, the SCO as a whole, or the world."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
        help_text=_("Required when the subject is a country; empty otherwise."),
    )
    # Copied from the indicator on save so the database itself can check unit and range.
    measure_kind = models.CharField(
        _("measure kind"), max_length=20, choices=MeasureKind.choices, editable=False
    )

    as_stated = models.CharField(
        _("as stated"),
        max_length=300,
        help_text=_("The number in the source's words, e.g. «более $67 млрд»."),
    )
    comparator = models.CharField(
        _("comparator"),
        max_length=20,
        choices=Comparator.choices,
        default=Comparator.EXACT,
        help_text=_(
            "«более» → more than, «около» → approximately, «почти» → nearly, «до» → up to."
        ),
    )
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=6,
        help_text=_("The number as stated, before the multiplier: 67 for «$67 млрд»."),
    )
    unit_multiplier = models.SmallIntegerField(
        _("unit multiplier"),
        choices=UnitMultiplier.choices,
        default=UnitMultiplier.UNITS,
        help_text=_("Power of ten: 9 for «млрд» (billion), 6 for «млн» (million)."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)

    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    period_label = models.CharField(
        _("period label"),
        max_length=120,
        help_text=_(
            "How to read the period: “2024”, “Jan–Aug 2025”, “2020–2024”. Leave the dates "
            "empty only when the source gives no period (e.g. “annually”)."
        ),
    )
    base_value = models.DecimalField(
        _("base value"),
        max_digits=20,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("For “from A to B”: A, in the same unit and multiplier."),
    )
    base_period_start = models.DateField(_("base period start"), null=True, blank=True)
    base_period_end = models.DateField(_("base period end"), null=True, blank=True)
    base_period_label = models.CharField(
        _("base period label"),
        max_length=120,
        blank=True,
        help_text=_("For “grew N times since P” or “from A in P”: P."),
    )

    stated_by = models.ForeignKey(
        Person,
        verbose_name=_("stated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures_stated",
        help_text=_("Empty when the source does not attribute the number to a person."),
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
    )
    estimate_by = models.CharField(
        _("estimate by"),
        max_length=200,
        blank=True,
        help_text=_("Whose estimate it is when the speaker quotes someone else (World Bank…)."),
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="figures"
    )
    quote = models.TextField(
        _("verbatim quote"),
        blank=True,
        help_text=_("The sentence stating the number, copied exactly, in the source's language."),
    )
    note = models.TextField(
        _("editorial note"),
        blank=True,
        help_text=_("How the statement was read, e.g. why “a third” is recorded as ≈ 33.3%."),
    )

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["indicator__name_en", "-period_end", "id"]
        permissions = [("publish_figure", _("Can publish and withdraw figures"))]
        constraints = [
            PublishableModel.state_constraint("figure"),
            models.CheckConstraint(
                condition=~Q(state=PublicationState.PUBLISHED) | ~Q(quote=""),
                name="figure_published_has_quote",
                violation_error_message=_("A published figure needs its verbatim quote."),
            ),
            models.CheckConstraint(
                condition=Q(base_value__isnull=True)
                | ~Q(measure_kind__in=[MeasureKind.MULTIPLE, MeasureKind.GROWTH_RATE]),
                name="figure_base_value_only_for_from_to",
                violation_error_message=_(
                    "A multiple or growth rate is compared with a base period, not a base value."
                ),
            ),
            models.CheckConstraint(
                condition=Q(base_period_start__isnull=True)
                | Q(base_value__isnull=False)
                | Q(measure_kind__in=[MeasureKind.MULTIPLE, MeasureKind.GROWTH_RATE]),
                name="figure_base_period_only_with_comparison",
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
            models.CheckConstraint(
                condition=(Q(scope=Scope.COUNTRY) & Q(country__isnull=False))
                | (~Q(scope=Scope.COUNTRY) & Q(country__isnull=True)),
                name="figure_country_iff_country_scope",
                violation_error_message=_(
                    "Choose a country when the subject is a country, and only then."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True, period_end__isnull=True)
                | Q(period_start__isnull=False, period_end__isnull=False),
                name="figure_period_both_or_neither",
                violation_error_message=_("Give both the start and the end of the period."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_end__gte=F("period_start")),
                name="figure_period_ends_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(base_period_start__isnull=True, base_period_end__isnull=True)
                | Q(base_period_start__isnull=False, base_period_end__isnull=False),
                name="figure_base_period_both_or_neither",
                violation_error_message=_("Give both the start and the end of the base period."),
            ),
            models.CheckConstraint(
                condition=Q(base_period_start__isnull=True)
                | Q(base_period_end__gte=F("base_period_start")),
                name="figure_base_period_ends_after_start",
                violation_error_message=_("The base period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(measure_kind__in=MeasureKind.values),
                name="figure_measure_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    *[
                        Q(measure_kind=kind, unit__in=sorted(units))
                        for kind, units in UNITS_BY_MEASURE_KIND.items()
                    ],
                    _connector=Q.OR,
                ),
                name="figure_unit_fits_measure_kind",
                violation_error_message=_("The unit does not fit the indicator's measure kind."),
            ),
            models.CheckConstraint(
                condition=~Q(measure_kind=MeasureKind.SHARE)
                | Q(value__gte=0, value__lte=100, unit_multiplier=0),
                name="figure_share_within_0_100",
                violation_error_message=_("A share is a percentage between 0 and 100."),
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
        indexes = [
            models.Index(fields=["period_start", "period_end"], name="figure_period_idx"),
        ]

    class Tracking:
        public_parents = ["indicator", "meeting"]
        url_name = "indicators:figure_detail"
        history_url_name = "indicators:figure_history"
        hidden_fields = ["measure_kind"]
        changes_filters = {"indicator": "indicator__slug", "country": "country__code"}
        search_fields = ["as_stated", "quote", "period_label", "note", "estimate_by"]
        search_related = [
            ("indicator", "indicators.Indicator"),
            ("country", "meetings.Country"),
            ("stated_by", "meetings.Person"),
            ("source", "meetings.Source"),
        ]

    def __str__(self):
        return f"{self.indicator} — {self.subject_label}, {self.period_label}: {self.display_value}"

    @property
    def subject_label(self) -> str:
        if self.scope == Scope.COUNTRY and self.country_id:
            return str(self.country)
        return str(self.get_scope_display())

    @property
    def display_value(self) -> str:
        return format_quantity(self.value, self.unit_multiplier, self.unit, self.comparator)

    @property
    def display_base_value(self) -> str:
        if self.base_value is None:
            return ""
        return format_quantity(self.base_value, self.unit_multiplier, self.unit)

    @classmethod
    def describe_revision_changes(cls, old, new):
        """In a revision, the number reads as a whole: “> 67 billion USD → ≈ 68 billion USD”."""
        quantity = ("comparator", "value", "unit_multiplier", "unit")
        changes = []
        if any(getattr(old, name) != getattr(new, name) for name in quantity):
            changes.append(
                Change(
                    str(_("Value")),
                    format_quantity(old.value, old.unit_multiplier, old.unit, old.comparator),
                    format_quantity(new.value, new.unit_multiplier, new.unit, new.comparator),
                )
            )

        def base(record) -> str:
            if record.base_value is None:
                return "—"
            return format_quantity(record.base_value, record.unit_multiplier, record.unit)

        if base(old) != base(new):
            changes.append(Change(str(_("Base value")), base(old), base(new)))
        return changes, {*quantity, "base_value"}

    @property
    def normalised_value(self) -> Decimal:
        """The value in plain units: 67 billion → 67000000000."""
        return self.value.scaleb(self.unit_multiplier)

    def save(self, *args, **kwargs):
        self.measure_kind = self.indicator.measure_kind
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        if self.indicator_id:
            self.measure_kind = self.indicator.measure_kind
        super().clean_fields(exclude)

    def clean(self):
        errors: dict[str, list] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        if self.scope == Scope.COUNTRY and not self.country_id:
            add("country", _("Choose the country this number is about."))
        if self.scope != Scope.COUNTRY and self.country_id:
            add("country", _("Leave the country empty when the subject is not a country."))

        for prefix in ("period", "base_period"):
            start = getattr(self, f"{prefix}_start")
            end = getattr(self, f"{prefix}_end")
            if (start is None) != (end is None):
                add(f"{prefix}_end" if end is None else f"{prefix}_start", _("Give both dates."))
            elif start and end and end < start:
                add(f"{prefix}_end", _("The end cannot be before the start."))

        if self.indicator_id:
            self.measure_kind = self.indicator.measure_kind
            allowed = UNITS_BY_MEASURE_KIND.get(self.measure_kind, frozenset())
            if self.unit and self.unit not in allowed:
                add(
                    "unit",
                    _("%(indicator)s is a %(kind)s: use %(units)s.")
                    % {
                        "indicator": self.indicator,
                        "kind": self.indicator.get_measure_kind_display(),
                        "units": ", ".join(sorted(allowed)),
                    },
                )
            if self.measure_kind == MeasureKind.SHARE and self.value is not None:
                if not Decimal(0) <= self.value <= Decimal(100):
                    add("value", _("A share is a percentage between 0 and 100."))
                if self.unit_multiplier:
                    add("unit_multiplier", _("A share takes no multiplier."))
            relative = self.measure_kind in (MeasureKind.MULTIPLE, MeasureKind.GROWTH_RATE)
            if self.base_value is not None and relative:
                add(
                    "base_value",
                    _(
                        "A multiple or growth rate is compared with a base period, not a base "
                        "value: leave this empty and give the base period."
                    ),
                )
            if self.base_period_start and self.base_value is None and not relative:
                add(
                    "base_period_start",
                    _(
                        "A base period belongs to a comparison: give the base value "
                        "(“from A to B”) too, or leave the base period empty."
                    ),
                )

        if self.state == PublicationState.PUBLISHED and not (self.quote or "").strip():
            add("quote", _("A published figure needs its verbatim quote."))

        try:
            check_quote_in_source(self.quote, self.source if self.source_id else None)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    add(field, message)

        if errors:
            raise ValidationError(errors)
