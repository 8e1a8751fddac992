"""The site's URLs plus the example record type's pages (for ``ROOT_URLCONF``)."""

from django.conf.urls.i18n import i18n_patterns
from django.shortcuts import render
from django.urls import include, path

from sco_tracker.tracking.public import get_published_or_404
from sco_tracker.tracking.views import RecordHistoryView
from sco_tracker.urls import urlpatterns as site_urlpatterns

from .models import Statement


def statement_detail(request, pk):
    statement = get_published_or_404(
        Statement.objects.published(as_of=request.as_of).with_related("meeting"), id=pk
    )
    return render(request, "example/statement_detail.html", {"statement": statement})


example_patterns = (
    [
        path("statements/<int:pk>/", statement_detail, name="statement_detail"),
        path(
            "statements/<int:pk>/history/",
            RecordHistoryView.as_view(model=Statement),
            name="statement_history",
        ),
    ],
    "example",
)

urlpatterns = [
    *site_urlpatterns,
    *i18n_patterns(path("", include(example_patterns)), prefix_default_language=False),
]
