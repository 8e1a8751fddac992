"""The figures' FilterSet, as django-filter's documentation writes one."""

import django_filters
from django.db.models import Q

from .models import Country, Figure, Indicator


class FigureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    indicator = django_filters.ModelChoiceFilter(
        queryset=Indicator.objects.filter(state="published"), to_field_name="slug"
    )
    country = django_filters.ModelChoiceFilter(queryset=Country.objects.all(), to_field_name="code")
    year = django_filters.NumberFilter(method="in_year", label="Year")

    class Meta:
        model = Figure
        fields = ["q", "indicator", "country", "comparator", "meeting", "source", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(as_stated__icontains=value)
            | Q(quote__icontains=value)
            | Q(indicator__name_en__icontains=value)
        )

    def in_year(self, queryset, name, value):
        return queryset.filter(period_start__year__lte=value, period_end__year__gte=value)
