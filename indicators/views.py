from django.shortcuts import render

from sco_tracker.tracking.public import get_published_or_404
from sco_tracker.tracking.views import FilteredListView

from .charts import build_chart
from .filters import FigureFilter, IndicatorFilter
from .models import MULTIPLIER_WORDS, Figure, Indicator, unit_symbol


class IndicatorListView(FilteredListView):
    model = Indicator
    related = ("topic",)
    filterset_class = IndicatorFilter
    template_name = "indicators/indicator_list.html"
    export_name = "indicators"
    export_columns = (
        "id",
        "url",
        "slug",
        "name",
        "definition",
        "measure_kind",
        "default_unit",
        "default_unit_multiplier",
        "topic",
        "figures",
        "revisions",
        "last_revised",
    )

    def get_queryset(self):
        return super().get_queryset().with_figure_count()

    def export_row(self, indicator):
        return {
            "id": indicator.pk,
            "url": self.absolute(indicator),
            "slug": indicator.slug,
            "name": indicator.name,
            "definition": indicator.definition,
            "measure_kind": indicator.measure_kind,
            "default_unit": indicator.default_unit,
            "default_unit_multiplier": indicator.default_unit_multiplier,
            "topic": indicator.topic.slug if indicator.topic else None,
            "figures": indicator.figure_count,
            "revisions": indicator.revision_count,
            "last_revised": indicator.last_revised,
        }


class FigureListView(FilteredListView):
    model = Figure
    related = ("indicator", "country", "stated_by", "meeting", "source")
    filterset_class = FigureFilter
    template_name = "indicators/figure_list.html"
    export_name = "figures"
    export_columns = (
        "id",
        "url",
        "indicator",
        "indicator_name",
        "scope",
        "country",
        "value",
        "unit_multiplier",
        "unit",
        "comparator",
        "period_start",
        "period_end",
        "period_label",
        "base_value",
        "base_period_start",
        "base_period_end",
        "base_period_label",
        "as_stated",
        "quote",
        "stated_by",
        "estimate_by",
        "meeting",
        "source_title",
        "source_url",
        "revisions",
        "last_revised",
    )

    def get_queryset(self):
        return super().get_queryset().with_normalised_value()

    def export_row(self, figure):
        return figure_row(figure, self.absolute(figure))


def figure_row(figure, url) -> dict:
    return {
        "id": figure.pk,
        "url": url,
        "indicator": figure.indicator.slug,
        "indicator_name": figure.indicator.name,
        "scope": figure.scope,
        "country": figure.country.code if figure.country else None,
        "value": figure.value,
        "unit_multiplier": figure.unit_multiplier,
        "unit": figure.unit,
        "comparator": figure.comparator,
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "period_label": figure.period_label,
        "base_value": figure.base_value,
        "base_period_start": figure.base_period_start,
        "base_period_end": figure.base_period_end,
        "base_period_label": figure.base_period_label,
        "as_stated": figure.as_stated,
        "quote": figure.quote,
        "stated_by": figure.stated_by.name if figure.stated_by else None,
        "estimate_by": figure.estimate_by or None,
        "meeting": figure.meeting.slug if figure.meeting else None,
        "source_title": figure.source.title,
        "source_url": figure.source.url or None,
        "revisions": figure.revision_count,
        "last_revised": figure.last_revised,
    }


def indicator_detail(request, slug):
    as_of = request.as_of
    indicator = get_published_or_404(
        Indicator.objects.published(as_of=as_of).with_related("topic"), slug=slug
    )
    figures = (
        Figure.objects.published(as_of=as_of)
        .filter(indicator_id=indicator.pk)
        .with_related("country", "stated_by", "source", "meeting")
        .with_revision_info()
        .order_by("period_end", "country__name_en", "id")
        .instances()
    )
    unit_label = " ".join(
        part
        for part in (
            str(MULTIPLIER_WORDS.get(indicator.default_unit_multiplier, "")),
            unit_symbol(indicator.default_unit),
        )
        if part
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "figures": figures,
            "chart": build_chart(indicator, figures, unit_label),
            "unit_label": unit_label,
        },
    )


def figure_detail(request, pk):
    figure = get_published_or_404(
        Figure.objects.published(as_of=request.as_of)
        .with_related("indicator", "country", "stated_by", "meeting", "source")
        .with_revision_info(),
        id=pk,
    )
    return render(request, "indicators/figure_detail.html", {"figure": figure})
