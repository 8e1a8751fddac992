from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views
from .tracking.admin import review_queue
from .tracking.admin.pickers import PickerAutocompleteJsonView

admin.site.site_header = _("SCO Tracker — editorial")
admin.site.site_title = _("SCO Tracker")
admin.site.index_title = _("Meetings, commitments and figures")

urlpatterns = [
    path("admin/review/", admin.site.admin_view(review_queue), name="admin_review_queue"),
    # Answers the admin's own autocomplete URL (admin:autocomplete), with pickers' labels.
    path(
        "admin/autocomplete/",
        admin.site.admin_view(PickerAutocompleteJsonView.as_view(admin_site=admin.site)),
        name="admin_autocomplete",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# English at the root, Russian under /ru/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("sco_tracker.tracking.urls")),
    path("", include("meetings.urls")),
    path("", include("indicators.urls")),
    prefix_default_language=False,
)
