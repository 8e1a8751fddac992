"""Admin base classes for tracked models (``TrackedAdmin``, ``PublishableAdmin``) and the
reviewers' queue."""

from . import accounts  # noqa: F401  (registers the user admin)
from .forms import TrackedAdminForm, TrackedInlineForm
from .inlines import TrackedStackedInline, TrackedTabularInline
from .publishable import PublishableAdmin, review_queue
from .tracked import TrackedAdmin

__all__ = [
    "PublishableAdmin",
    "TrackedAdmin",
    "TrackedAdminForm",
    "TrackedInlineForm",
    "TrackedStackedInline",
    "TrackedTabularInline",
    "review_queue",
]
