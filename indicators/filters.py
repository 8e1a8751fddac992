"""Public FilterSets for indicators and figures."""

import django_filters
from django.utils.translation import gettext_lazy as _

from meetings.filters import country_filter, meeting_filter, topic_filter
from meetings.models import Source
from sco_tracker.tracking.filters import PublicFilterSet, RecordFilter, SearchFilter, YearFilter

from .models import Comparator, Figure, Indicator, MeasureKind, ObservationStatus

SUBJECTS = (("SCO", _("SCO as a whole")), ("WORLD", _("the world")))


class IndicatorFilter(PublicFilterSet):
    q = SearchFilter()
    topic = topic_filter(field_name="topic")
    kind = django_filters.ChoiceFilter(
        label=_("Measure kind"),
        field_name="measure_kind",
        choices=MeasureKind.choices,
        empty_label=_("Any kind"),
    )
    country = country_filter(
        label=_("Has figures for"),
        extra=SUBJECTS,
        method="filter_country",
        empty_label=_("Any subject"),
    )

    class Meta:
        model = Indicator
        fields = []

    def filter_country(self, queryset, name, value):
        return queryset.with_figures_for(value)


class FigureFilter(PublicFilterSet):
    q = SearchFilter()
    indicator = RecordFilter(
        Indicator,
        label=_("Indicator"),
        field_name="indicator",
        empty_label=_("Any indicator"),
    )
    country = country_filter(
        label=_("Country"), extra=SUBJECTS, method="filter_country", empty_label=_("Any subject")
    )
    comparator = django_filters.ChoiceFilter(
        label=_("Comparator"), choices=Comparator.choices, empty_label=_("Any comparator")
    )
    status = django_filters.ChoiceFilter(
        label=_("Kind of number"),
        field_name="observation_status",
        choices=ObservationStatus.choices,
        empty_label=_("Any kind of number"),
    )
    year = YearFilter(method="filter_year")
    meeting = meeting_filter(field_name="meeting")
    source = RecordFilter(
        Source, key="id", label=_("Source"), field_name="source", empty_label=_("Any source")
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("period_end", "period"), ("normalised", "value"), ("last_revised", "revised")),
        field_labels={
            "period_end": _("period"),
            "normalised": _("value"),
            "last_revised": _("last revised"),
        },
        empty_label=_("Indicator, then newest period"),
    )

    class Meta:
        model = Figure
        fields = []

    def filter_country(self, queryset, name, value):
        return queryset.for_subject(value)

    def filter_year(self, queryset, name, value):
        return queryset.overlapping_year(value)
