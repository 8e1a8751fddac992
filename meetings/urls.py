from django.urls import path

from sco_tracker.tracking.views import RecordHistoryView

from . import views
from .models import Commitment, Meeting

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
        RecordHistoryView.as_view(model=Commitment),
        name="commitment_history",
    ),
]
