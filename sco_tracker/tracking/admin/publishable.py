"""Workflow in the admin: state shown and filtered, transitions as actions (each asking
for a reason), proposals to published records (``pending.py``), publishing with parents,
withdrawing with children, and the reviewers' queue."""

from concurrency.exceptions import RecordModifiedError
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import PendingChange
from ..options import tracked_models
from ..states import PublicationState as State
from ..states import publish_permission
from ..workflow import TransitionError, hidden_parents, transition, visible_children
from .pending import PendingChangesMixin, pending_for
from .tracked import TrackedAdmin


class WorkflowError(Exception):
    """An action that cannot be done; the message says why (nothing is changed)."""


class PublishableAdmin(PendingChangesMixin, TrackedAdmin):
    actions = [
        "submit_for_review",
        "publish",
        "publish_with_parents",
        "withdraw",
        "return_to_draft",
    ]
    change_form_template = "tracking/admin/change_form.html"

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

    # --- actions ----------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Submit selected for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.run_actions(request, queryset, self.submit_one, State.IN_REVIEW)

    @admin.action(description=gettext_lazy("Publish selected"), permissions=["publish"])
    def publish(self, request, queryset):
        self.run_actions(request, queryset, self.publish_one, State.PUBLISHED)

    @admin.action(
        description=gettext_lazy("Publish selected with their parents"), permissions=["publish"]
    )
    def publish_with_parents(self, request, queryset):
        self.run_actions(request, queryset, self.publish_with_parents_one, State.PUBLISHED)

    @admin.action(description=gettext_lazy("Withdraw selected"), permissions=["publish"])
    def withdraw(self, request, queryset):
        objects = list(queryset)
        children = [child for obj in objects for child in visible_children(obj)]
        if children and request.POST.get("confirmed") != "yes":
            return self.confirm_withdrawal(request, objects, children)
        self.run_actions(request, objects, self.withdraw_one, State.WITHDRAWN)

    @admin.action(description=gettext_lazy("Return selected to draft"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        self.run_actions(request, queryset, self.return_one, State.DRAFT)

    def run_actions(self, request, objects, act, to_state):
        """All or nothing: if one selected record cannot be handled, none is."""
        reason = self.action_reason(request)
        if not reason:
            self.message_user(
                request,
                _("Nothing was done: type the reason in the “Reason” box next to the action."),
                messages.ERROR,
            )
            return
        objects = list(objects)
        try:
            with transaction.atomic():
                done = [act(request, obj, reason) for obj in objects]
        except (TransitionError, PermissionDenied, WorkflowError) as error:
            self.message_user(request, _("Nothing was done: %s") % error, messages.ERROR)
            return
        except RecordModifiedError:
            self.message_user(
                request,
                _("Nothing was done: a selected record changed at the same moment. Try again."),
                messages.ERROR,
            )
            return
        for message in done:
            self.message_user(request, message, messages.SUCCESS)

    def state_message(self, obj) -> str:
        return _("“%(record)s” is now %(state)s.") % {
            "record": obj,
            "state": State(obj.state).label,
        }

    def submit_one(self, request, obj, reason):
        pending = pending_for(obj)
        if pending is not None:
            pending.submitted_at = timezone.now()
            pending.note = ""
            pending.save(update_fields=["submitted_at", "note", "updated_at"])
            return _("The change proposed to “%(record)s” is submitted for review.") % {
                "record": obj
            }
        transition(obj, to_state=State.IN_REVIEW, user=request.user, reason=reason)
        return self.state_message(obj)

    def publish_one(self, request, obj, reason):
        pending = pending_for(obj)
        if pending is not None and obj.state == State.PUBLISHED:
            if not self.can_publish(request):
                raise PermissionDenied(_("Only reviewers can publish or withdraw."))
            if not self.publish_proposal(request, obj, pending, reason):
                raise WorkflowError(
                    _("the proposal for “%(record)s” was not published.") % {"record": obj}
                )
            return _("The change proposed to “%(record)s” is published.") % {"record": obj}
        transition(obj, to_state=State.PUBLISHED, user=request.user, reason=reason)
        return self.state_message(obj)

    def publish_with_parents_one(self, request, obj, reason):
        """Publish the record's private parents first (theirs before them), then it."""
        published = []

        def publish_tree(record):
            for parent in hidden_parents(record):
                publish_tree(parent)
                if parent.state != State.PUBLISHED:
                    transition(parent, to_state=State.PUBLISHED, user=request.user, reason=reason)
                    published.append(str(parent))

        publish_tree(obj)
        message = self.publish_one(request, obj, reason)
        if published:
            message += " " + _("Published with it: %(parents)s.") % {
                "parents": ", ".join(f"“{name}”" for name in published)
            }
        return message

    def withdraw_one(self, request, obj, reason):
        """Withdraw the record and, with it, its published children (workflow.py)."""
        transition(obj, to_state=State.WITHDRAWN, user=request.user, reason=reason)
        return self.state_message(obj)

    def return_one(self, request, obj, reason):
        pending = pending_for(obj)
        if pending is not None and obj.state == State.PUBLISHED:
            pending.submitted_at = None
            pending.note = reason
            pending.save(update_fields=["submitted_at", "note", "updated_at"])
            return _("The change proposed to “%(record)s” is returned to its editor.") % {
                "record": obj
            }
        transition(obj, to_state=State.DRAFT, user=request.user, reason=reason)
        return self.state_message(obj)

    def confirm_withdrawal(self, request, objects, children):
        opts = self.model._meta
        return TemplateResponse(
            request,
            "tracking/admin/withdraw_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Withdraw, with what goes with it?"),
                "opts": opts,
                "objects": objects,
                "children": [(capfirst(c._meta.verbose_name), c) for c in children],
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "reason": self.action_reason(request),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


def awaiting_review(user):
    """For each publishable model the user may view: records in review and proposed
    changes submitted for review."""
    queue = []
    for model in tracked_models():
        if not model.tracking.publishable:
            continue
        app_label, model_name = model._meta.app_label, model._meta.model_name
        if not user.has_perm(f"{app_label}.view_{model_name}"):
            continue
        records = list(model.objects.filter(state=State.IN_REVIEW).order_by("pk")[:200])
        proposals = PendingChange.objects.filter(
            content_type=ContentType.objects.get_for_model(model), submitted_at__isnull=False
        ).select_related("updated_by")
        by_id = model.objects.in_bulk([p.object_id for p in proposals])
        changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
        queue.append(
            {
                "model": model,
                "name": model._meta.verbose_name_plural,
                "records": records,
                "proposals": [(by_id[p.object_id], p) for p in proposals if p.object_id in by_id],
                "changelist": f"{changelist}?state__exact={State.IN_REVIEW}",
                "app_label": app_label,
                "model_name": model_name,
            }
        )
    return queue


def review_queue(request):
    """Everything waiting for a reviewer: drafts submitted for review, and changes
    proposed to published records, with what each would change."""
    queue = awaiting_review(request.user)
    for entry in queue:
        model_admin = admin.site.get_model_admin(entry["model"])
        entry["proposals"] = [
            (record, proposal, model_admin.describe_proposal(request, record, proposal))
            for record, proposal in entry["proposals"]
        ]
    return render(
        request,
        "tracking/admin/review_queue.html",
        {
            **admin.site.each_context(request),
            "title": _("Awaiting review"),
            "queue": queue,
            "total": sum(len(e["records"]) + len(e["proposals"]) for e in queue),
            "can_publish": any(
                request.user.has_perm(publish_permission(entry["model"])) for entry in queue
            ),
        },
    )
