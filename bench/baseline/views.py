"""Figures list (FilterView, paginated), detail, history, CSV export and indicator page —
generic views and the documented patterns, nothing tuned."""

import csv
import datetime

from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.dateparse import parse_date
from django.views.generic import DetailView
from django_filters.views import FilterView

from .filters import FigureFilter
from .models import Figure, Indicator


def published_figures():
    return Figure.objects.filter(state="published", indicator__state="published").filter(
        Q(meeting__isnull=True) | Q(meeting__state="published")
    )


class FigureListView(FilterView):
    filterset_class = FigureFilter
    template_name = "baseline/figure_list.html"
    paginate_by = 50

    def get_queryset(self):
        as_of = parse_date(self.request.GET.get("as_of", ""))
        if as_of:
            moment = datetime.datetime.combine(as_of, datetime.time.max, tzinfo=datetime.UTC)
            return Figure.history.as_of(moment).filter(state="published")
        return published_figures()


class FigureDetailView(DetailView):
    queryset = published_figures()
    template_name = "baseline/figure_detail.html"


def figure_history(request, pk):
    figure = get_object_or_404(published_figures(), pk=pk)
    revisions = []
    for record in figure.history.all():
        previous = record.prev_record
        changes = record.diff_against(previous).changes if previous else []
        revisions.append({"record": record, "changes": changes})
    return render(
        request, "baseline/figure_history.html", {"figure": figure, "revisions": revisions}
    )


class IndicatorDetailView(DetailView):
    queryset = Indicator.objects.filter(state="published")
    template_name = "baseline/indicator_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = published_figures().filter(indicator=self.object)
        return context


class Echo:
    def write(self, value):
        return value


def figures_csv(request):
    """Every matching figure, streamed (Django's "Streaming large CSV files" recipe)."""
    figures = FigureFilter(request.GET, queryset=published_figures()).qs
    writer = csv.writer(Echo())
    header = ["id", "indicator", "country", "value", "unit_multiplier", "unit", "comparator"]
    header += ["period_label", "as_stated", "quote", "source"]

    def rows():
        yield writer.writerow(header)
        for figure in figures:
            yield writer.writerow(
                [
                    figure.pk,
                    figure.indicator.slug,
                    figure.country.code if figure.country else "",
                    figure.value,
                    figure.unit_multiplier,
                    figure.unit,
                    figure.comparator,
                    figure.period_label,
                    figure.as_stated,
                    figure.quote,
                    figure.source.title,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="figures.csv"'
    return response
