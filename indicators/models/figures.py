"""One number as one source states it (``Figure``), with the words it was stated in."""

from decimal import Decimal

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from meetings.models import Country, Meeting, Person, Source, check_quote_in_source
from sco_tracker.tracking.diffs import Change
from sco_tracker.tracking.models import PublishableModel

from .figure_rules import figure_constraints
from .indicators import Indicator
from .querysets import FigureQuerySet
from .units import (
    COMPARATOR_SYMBOLS,
    Comparator,
    MeasureKind,
    ObservationStatus,
    Scope,
    Unit,
    UnitMultiplier,
    format_quantity,
)

VULGAR_FRACTIONS = {(1, 2): "½", (1, 3): "⅓", (2, 3): "⅔", (1, 4): "¼", (3, 4): "¾", (1, 5): "⅕"}


def localized_text(english: str, russian: str):
    """The text in the page's language; a Russian page without a Russian text gets the
    English one, marked as such (``LocalizedText.fallback``)."""
    if (get_language() or "en").startswith("ru"):
        if russian:
            return LocalizedText(russian, fallback=False)
        return LocalizedText(english, fallback=bool(english))
    return LocalizedText(english or russian, fallback=False)


class LocalizedText(str):
    """A string that knows whether it fell back to English on a Russian page."""

    def __new__(cls, value, *, fallback: bool):
        text = super().__new__(cls, value)
        text.fallback = fallback
        return text


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
            "«более» → more than, «около» → approximately, «почти» → nearly, «до» → up to, "
            "«достиг» → reached, «превысил» → exceeded."
        ),
    )
    observation_status = models.CharField(
        _("kind of number"),
        max_length=12,
        choices=ObservationStatus.choices,
        default=ObservationStatus.ACTUAL,
        help_text=_(
            "A measurement (actual, estimate, provisional) or not: «может вырасти до» is a "
            "forecast, «планируется довести до» a target."
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
    fraction_numerator = models.PositiveSmallIntegerField(
        _("fraction: numerator"),
        null=True,
        blank=True,
        help_text=_("For a share stated as a fraction: 1 for «треть» (1/3), 1 for «каждый пятый»."),
    )
    fraction_denominator = models.PositiveSmallIntegerField(
        _("fraction: denominator"),
        null=True,
        blank=True,
        help_text=_("3 for «треть», 2 for «половина», 5 for «каждый пятый»."),
    )

    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    period_label = models.CharField(
        _("period label (English)"),
        max_length=120,
        help_text=_(
            "How to read the period: “2024”, “Jan–Aug 2025”, “2020–2024”. Leave the dates "
            "empty only when the source gives no period (e.g. “annually”)."
        ),
    )
    period_label_ru = models.CharField(
        _("period label (Russian)"),
        max_length=120,
        blank=True,
        help_text=_("«2024 год», «январь–август 2025 года»; shown on Russian pages."),
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
        _("editorial note (English)"),
        blank=True,
        help_text=_("How the statement was read, e.g. why “a third” is recorded as ≈ 33.3%."),
    )
    note_ru = models.TextField(_("editorial note (Russian)"), blank=True)

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        # An indicator's figures together (two indicators may share a name), newest first.
        ordering = ["indicator__name_en", "indicator_id", "-period_end", "id"]
        permissions = [("publish_figure", _("Can publish and withdraw figures"))]
        constraints = figure_constraints()
        indexes = [
            models.Index(fields=["period_start", "period_end"], name="figure_period_idx"),
            # The lists' order (Meta.ordering): an indicator's figures newest first.
            models.Index(fields=["indicator", "-period_end", "id"], name="figure_list_order_idx"),
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
        period = self.period_label_localized
        return f"{self.indicator} — {self.subject_label}, {period}: {self.display_value}"

    @property
    def subject_label(self) -> str:
        if self.scope == Scope.COUNTRY and self.country_id:
            return str(self.country)
        return str(self.get_scope_display())

    @property
    def display_value(self) -> str:
        """The number as stated, in the page's language; a share stated as a fraction
        shows the fraction first (“⅓ ≈ 33.3%”)."""
        quantity = format_quantity(self.value, self.unit_multiplier, self.unit, self.comparator)
        if self.fraction_numerator and self.fraction_denominator:
            return f"{self.fraction_text} ({quantity})"
        return quantity

    @property
    def comparator_symbol(self) -> str:
        return COMPARATOR_SYMBOLS.get(self.comparator, "")

    @property
    def fraction_text(self) -> str:
        if not (self.fraction_numerator and self.fraction_denominator):
            return ""
        return VULGAR_FRACTIONS.get(
            (self.fraction_numerator, self.fraction_denominator),
            f"{self.fraction_numerator}/{self.fraction_denominator}",
        )

    @property
    def is_measurement(self) -> bool:
        """False for forecasts and targets: shown and charted apart from measurements."""
        return self.observation_status not in (ObservationStatus.FORECAST, ObservationStatus.TARGET)

    @property
    def period_label_localized(self) -> str:
        return localized_text(self.period_label, self.period_label_ru)

    @property
    def note_localized(self) -> str:
        return localized_text(self.note, self.note_ru)

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
        """What no constraint can say: the quote is in its source's text. (Every other rule
        is a database constraint, which Django validates too.)"""
        check_quote_in_source(self.quote, self.source if self.source_id else None)
