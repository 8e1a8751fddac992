from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("figures/", views.FigureListView.as_view(), name="figure_list"),
    path("figures/export.csv", views.figures_csv, name="figure_csv"),
    path("figures/<int:pk>/", views.FigureDetailView.as_view(), name="figure_detail"),
    path("figures/<int:pk>/history/", views.figure_history, name="figure_history"),
    path("indicators/<slug:slug>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
]
