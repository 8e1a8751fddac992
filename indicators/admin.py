from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from sco_tracker.tracking.admin import PublishableAdmin
from sco_tracker.tracking.admin.importing import ImportExportAdmin

from .models import Figure, Indicator
from .resources import FigureResource, IndicatorResource


@admin.register(Indicator)
class IndicatorAdmin(ImportExportAdmin, PublishableAdmin):
    resource_classes = [IndicatorResource]
    list_display = ["name_en", "state", "measure_kind", "default_unit", "topic", "figure_count"]
    list_filter = ["state", "measure_kind", "topic"]
    list_select_related = ["topic"]
    search_fields = ["name_en", "name_ru", "slug", "definition_en", "definition_ru"]
    autocomplete_fields = ["topic"]
    prepopulated_fields = {"slug": ["name_en"]}
    ordering = ["name_en"]
    fieldsets = [
        (None, {"fields": [("name_en", "name_ru"), "slug", "topic"]}),
        (_("Definition"), {"fields": ["definition_en", "definition_ru"]}),
        (
            _("How it is measured"),
            {"fields": ["measure_kind", ("default_unit", "default_unit_multiplier")]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(figure_count=Count("figures"))

    @admin.display(description=_("figures"), ordering="figure_count")
    def figure_count(self, obj):
        return obj.figure_count


@admin.register(Figure)
class FigureAdmin(ImportExportAdmin, PublishableAdmin):
    resource_classes = [FigureResource]
    list_display = [
        "indicator",
        "state",
        "subject",
        "display_value",
        "as_stated",
        "period_label",
        "source",
        "stated_by",
    ]
    list_display_links = ["indicator", "display_value"]
    list_per_page = 50  # a screenful or two; rendering, not SQL, is most of the page
    list_filter = [
        "state",
        "indicator",
        "scope",
        "country",
        "comparator",
        "unit",
        "meeting",
    ]
    list_select_related = ["indicator", "country", "source", "stated_by"]
    search_fields = [
        "as_stated",
        "quote",
        "period_label",
        "note",
        "estimate_by",
        "indicator__name_en",
        "indicator__name_ru",
        "country__name_en",
        "country__name_ru",
    ]
    ordering = ["indicator__name_en", "-period_end", "id"]  # as figure_list_order_idx
    autocomplete_fields = ["indicator", "country", "stated_by", "meeting", "source"]
    fieldsets = [
        (
            _("What and whom"),
            {
                "fields": ["indicator", ("scope", "country")],
                "description": _("The indicator measured and the subject the number is about."),
            },
        ),
        (
            _("The number as stated"),
            {
                "fields": [
                    "as_stated",
                    ("comparator", "observation_status"),
                    ("value", "unit_multiplier", "unit"),
                    ("fraction_numerator", "fraction_denominator"),
                ],
                "description": _(
                    "Copy the words first, then break them down: «более $67 млрд» is "
                    "more than · 67 · billions · USD."
                ),
            },
        ),
        (
            _("Period"),
            {
                "fields": [
                    ("period_start", "period_end"),
                    ("period_label", "period_label_ru"),
                    "base_value",
                    ("base_period_start", "base_period_end"),
                    "base_period_label",
                ],
                "description": _(
                    "The period the number refers to. For “from A to B” or “grew N times "
                    "since P”, fill in the base."
                ),
            },
        ),
        (
            _("Who said it, where"),
            {"fields": ["stated_by", "meeting", "estimate_by"]},
        ),
        (
            _("Source and quote"),
            {
                "fields": ["source", "quote", ("note", "note_ru")],
                "description": _("The quote must appear verbatim in the source's text."),
            },
        ),
    ]

    @admin.display(description=_("subject"), ordering="country__name_en")
    def subject(self, obj):
        return obj.subject_label

    @admin.display(description=_("value"), ordering="value")
    def display_value(self, obj):
        return obj.display_value
