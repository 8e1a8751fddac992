"""Workflow in the admin: state shown and filtered, transitions as actions (each asking
for a reason), and the reviewers' queue of records awaiting review."""

from concurrency.exceptions import RecordModifiedError
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..options import tracked_models
from ..states import PublicationState as State
from ..states import publish_permission
from ..workflow import TransitionError, transition_all
from .tracked import TrackedAdmin


class PublishableAdmin(TrackedAdmin):
    actions = ["submit_for_review", "publish", "withdraw", "return_to_draft"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "state"]

    def get_fieldsets(self, request, obj=None):
        *content, reason = super().get_fieldsets(request, obj)
        publication = (
            gettext_lazy("Publication"),
            {
                "fields": ["state"],
                "description": gettext_lazy(
                    "New records are drafts. Submit them for review from the list; "
                    "a reviewer publishes them. Only published records are public."
                ),
            },
        )
        return [*content, publication, reason]

    def has_publish_permission(self, request):
        return request.user.has_perm(publish_permission(self.model))

    @admin.action(description=gettext_lazy("Submit selected for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.run_transition(request, queryset, State.IN_REVIEW)

    @admin.action(description=gettext_lazy("Publish selected"), permissions=["publish"])
    def publish(self, request, queryset):
        self.run_transition(request, queryset, State.PUBLISHED)

    @admin.action(description=gettext_lazy("Withdraw selected"), permissions=["publish"])
    def withdraw(self, request, queryset):
        self.run_transition(request, queryset, State.WITHDRAWN)

    @admin.action(description=gettext_lazy("Return selected to draft"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        self.run_transition(request, queryset, State.DRAFT)

    def run_transition(self, request, queryset, to_state):
        reason = self.action_reason(request)
        if not reason:
            self.message_user(
                request,
                _("Nothing was done: type the reason in the “Reason” box next to the action."),
                messages.ERROR,
            )
            return
        objects = list(queryset)
        try:
            count = transition_all(objects, to_state=to_state, user=request.user, reason=reason)
        except (TransitionError, PermissionDenied) as error:
            self.message_user(request, _("Nothing was done: %s") % error, messages.ERROR)
            return
        except RecordModifiedError:
            self.message_user(
                request,
                _("Nothing was done: a selected record changed at the same moment. Try again."),
                messages.ERROR,
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d %(name)s is now %(state)s.",
                "%(count)d %(names)s are now %(state)s.",
                count,
            )
            % {
                "count": count,
                "name": self.model._meta.verbose_name,
                "names": self.model._meta.verbose_name_plural,
                "state": State(to_state).label,
            },
            messages.SUCCESS,
        )


def awaiting_review(user):
    """(model, records in review) for each publishable model the user may view."""
    queue = []
    for model in tracked_models():
        if not model.tracking.publishable:
            continue
        app_label, model_name = model._meta.app_label, model._meta.model_name
        if not user.has_perm(f"{app_label}.view_{model_name}"):
            continue
        records = list(model.objects.filter(state=State.IN_REVIEW).order_by("pk")[:200])
        changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
        queue.append(
            {
                "model": model,
                "name": model._meta.verbose_name_plural,
                "records": records,
                "changelist": f"{changelist}?state__exact={State.IN_REVIEW}",
                "app_label": app_label,
                "model_name": model_name,
            }
        )
    return queue


def review_queue(request):
    """Everything waiting for a reviewer, across every publishable record type."""
    queue = awaiting_review(request.user)
    return render(
        request,
        "tracking/admin/review_queue.html",
        {
            **admin.site.each_context(request),
            "title": _("Awaiting review"),
            "queue": queue,
            "total": sum(len(entry["records"]) for entry in queue),
            "can_publish": any(
                request.user.has_perm(publish_permission(entry["model"])) for entry in queue
            ),
        },
    )
