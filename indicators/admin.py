from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from sco_tracker.tracking.admin import PublishableAdmin
from sco_tracker.tracking.admin.importing import ImportExportAdmin
from sco_tracker.tracking.admin.tracked import url_name
from sco_tracker.tracking.diffs import format_number

from .models import Figure, Indicator, unit_symbol
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
        queryset = super().get_queryset(request).select_related("topic")  # picker labels
        if url_name(request) not in ("autocomplete", "admin_autocomplete"):  # pickers: no
            queryset = queryset.annotate(figure_count=Count("figures"))
        return queryset

    @admin.display(description=_("figures"), ordering="figure_count")
    def figure_count(self, obj):
        count = getattr(obj, "figure_count", None)  # annotated on the change list
        return obj.figures.count() if count is None else count


@admin.register(Figure)
class FigureAdmin(ImportExportAdmin, PublishableAdmin):
    resource_classes = [FigureResource]
    # Fits 1280 px: what an editor checks a row by, and when it last changed.
    list_display = [
        "indicator",
        "subject",
        "display_value",
        "as_stated",
        "period_label",
        "state",
        "last_changed",
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
    list_select_related = ["indicator", "country"]
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
                    "normalised",
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

    readonly_fields = ["normalised"]

    @admin.display(description=_("normalised value"))
    def normalised(self, obj):
        """The value in plain units, grouped: 67 billion → 67,000,000,000."""
        if obj is None or obj.pk is None or obj.value is None:
            return "—"
        return f"{format_number(obj.normalised_value)} {unit_symbol(obj.unit)}"

    @admin.display(description=_("subject"), ordering="country__name_en")
    def subject(self, obj):
        return obj.subject_label

    @admin.display(description=_("value"), ordering="value")
    def display_value(self, obj):
        return obj.display_value
