from django.urls import path, re_path

from sco_tracker.tracking.views import RecordHistoryView

from . import compliance_views, sources, views
from .models import Country, Meeting

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<slug:slug>/history/",
        RecordHistoryView.as_view(model=Meeting),
        name="meeting_history",
    ),
    path("commitments/", views.CommitmentListView.as_view(), name="commitment_list"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path(
        "commitments/<int:pk>/history/",
        views.CommitmentHistoryView.as_view(),
        name="commitment_history",
    ),
    path("sources/<int:pk>/", sources.source_detail, name="source_detail"),
    path("compliance/", compliance_views.ComplianceView.as_view(), name="compliance"),
    path("compliance/method/", compliance_views.compliance_method, name="compliance_method"),
    re_path(
        r"^countries/(?P<code>[A-Z]{2})/$", compliance_views.country_detail, name="country_detail"
    ),
    re_path(
        r"^countries/(?P<code>[A-Z]{2})/history/$",
        RecordHistoryView.as_view(model=Country),
        name="country_history",
    ),
]
