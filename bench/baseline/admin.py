from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Country, Figure, Indicator, Meeting, Source


@admin.register(Figure)
class FigureAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "state", "country", "value", "unit", "as_stated", "period_label"]
    list_filter = ["state", "indicator", "scope", "country", "comparator", "unit"]
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
    date_hierarchy = "period_end"


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name_en", "state", "measure_kind", "default_unit"]
    list_filter = ["state", "measure_kind"]
    search_fields = ["name_en", "name_ru", "slug"]


admin.site.register(Country, search_fields=["code", "name_en"])
admin.site.register(Source, search_fields=["title", "publisher"])
admin.site.register(Meeting, search_fields=["title_en", "slug"])
