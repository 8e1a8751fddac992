"""Read logic of indicators and figures, shared by views, admin and exports."""

from django.db import models
from django.db.models import ExpressionWrapper, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Power

from sco_tracker.tracking.public import TrackedQuerySet

from .units import Scope


class IndicatorQuerySet(TrackedQuerySet):
    @property
    def figure_model(self):
        return self.record_model._meta.get_field("figures").related_model

    def with_figure_count(self):
        """``figure_count``: the published figures of each indicator (at the same moment)."""
        figures = (
            self.at_same_time(self.figure_model)
            .published()
            .filter(indicator_id=OuterRef("id"))
            .order_by()
            .values("indicator_id")
            .annotate(n=models.Count("*"))
            .values("n")[:1]
        )
        return self.annotate(figure_count=Coalesce(Subquery(figures), Value(0)))

    def with_figures_for(self, subject_code: str):
        figures = self.at_same_time(self.figure_model).published().for_subject(subject_code)
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
        history = self.record_model.history.public()
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
