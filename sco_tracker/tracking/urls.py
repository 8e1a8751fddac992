"""The engine's public pages: ``/changes/`` and its Atom feed."""

from django.urls import path

from .feeds import ChangesFeed
from .views import ChangesView

app_name = "tracking"

urlpatterns = [
    path("changes/", ChangesView.as_view(), name="changes"),
    path("changes/feed/", ChangesFeed(), name="changes_feed"),
]
