from django.urls import path

from sco_tracker.tracking.views import RecordHistoryView

from . import views
from .models import Figure, Indicator

app_name = "indicators"

urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator_detail"),
    path(
        "indicators/<slug:slug>/history/",
        RecordHistoryView.as_view(model=Indicator),
        name="indicator_history",
    ),
    path("figures/", views.FigureListView.as_view(), name="figure_list"),
    path("figures/<int:pk>/", views.figure_detail, name="figure_detail"),
    path(
        "figures/<int:pk>/history/",
        RecordHistoryView.as_view(model=Figure),
        name="figure_history",
    ),
]
