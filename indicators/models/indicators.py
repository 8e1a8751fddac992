"""What is measured: an indicator, its definition and how its figures are measured."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models import Topic
from sco_tracker.localized import localized
from sco_tracker.tracking.models import PublishableModel

from .querysets import IndicatorQuerySet
from .units import (
    MULTIPLIER_WORDS,
    MeasureKind,
    Unit,
    UnitMultiplier,
    unit_symbol,
    units_fit_measure_kind,
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
        indexes = [models.Index(fields=["name_en"], name="indicator_name_idx")]
        permissions = [("publish_indicator", _("Can publish and withdraw indicators"))]
        constraints = [
            PublishableModel.state_constraint("indicator"),
            models.CheckConstraint(
                condition=Q(measure_kind__in=MeasureKind.values),
                name="indicator_measure_kind_valid",
            ),
            *units_fit_measure_kind("indicator", "default_unit"),
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
    def picker_label(self) -> str:
        """In the admin's pickers: "Transit freight volume — million t · Transport"."""
        unit = " ".join(
            str(part)
            for part in (
                MULTIPLIER_WORDS.get(self.default_unit_multiplier, ""),
                unit_symbol(self.default_unit),
            )
            if str(part)
        )
        topic = f" · {self.topic}" if self.topic_id else ""
        return f"{self.name} — {unit}{topic}"

    @property
    def definition(self) -> str:
        return localized(self, "definition")

    def clean(self):
        """What no constraint can say: the measure kind is fixed once figures use it."""
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
