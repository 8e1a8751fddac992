"""Changes to published records wait for a reviewer.

When someone without the publish permission saves a published record, the admin keeps
the submitted form (fields, many-to-many sets, inline rows) as the record's
``PendingChange`` instead of saving it: the public keeps the published version. The change
form then opens on the proposal, with a banner saying who proposed what and why; editors
continue it (its ``revision`` guards against two of them overwriting each other) and submit
it; a reviewer publishes it — saving that form as one public revision, by the reviewer,
with the reason — or returns it with a note. Reviewers' own saves publish at once.

A proposal is validated like any save; it is shown by binding the change form to it, and
applied by saving that bound form, so what a reviewer publishes is exactly what was shown.
Imports make proposals from field values (``propose``) through the same forms.

The module is long because proposals live in the change form's own terms (its views,
its forms and their data) and are kept together here.
"""

from __future__ import annotations

import contextvars
import copy
from contextlib import contextmanager

from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.forms import BooleanField
from django.forms.formsets import all_valid
from django.http import HttpResponseRedirect, QueryDict
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..diffs import Change, display_value
from ..models import PendingChange
from ..recording import current_revision, revision, tracked_fields
from ..states import PublicationState, publish_permission
from .forms import CHANGE_REASON_FIELD

# Posted keys that are not part of the proposal.
NOT_KEPT = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew", "_submit"}
PENDING_REVISION = "pending_revision"

# What the change form is doing in this request: proposing (store instead of save) or
# previewing a proposal (bind, validate, never save).
_mode: contextvars.ContextVar[str] = contextvars.ContextVar("pending_mode", default="")


@contextmanager
def mode(name: str):
    token = _mode.set(name)
    try:
        yield
    finally:
        _mode.reset(token)


def pending_for(obj) -> PendingChange | None:
    if obj is None or obj.pk is None:
        return None
    content_type = ContentType.objects.get_for_model(type(obj))
    return PendingChange.objects.filter(content_type=content_type, object_id=obj.pk).first()


def form_data(pending: PendingChange, request) -> QueryDict:
    """The proposal as the change form's POST data, with this request's CSRF token."""
    data = QueryDict(mutable=True)
    for key, values in pending.form_data.items():
        data.setlist(key, values)
    data["csrfmiddlewaretoken"] = get_token(request)
    data[PENDING_REVISION] = str(pending.revision)
    return data


def as_post(request, data: QueryDict):
    """A copy of ``request`` carrying ``data`` as its POST (to bind the admin's forms)."""
    request.POST  # noqa: B018  (read the body first: the copy would share its stream)
    preview = copy.copy(request)
    preview.method = "POST"
    preview.POST = data
    return preview


def published_reason(proposed: str, reviewer: str) -> str:
    """A published proposal's reason: the proposal's, then the reviewer's — once, when the
    reviewer kept the proposal's (the change form opens with it filled in)."""
    proposed, reviewer = (proposed or "").strip(), (reviewer or "").strip()
    if not proposed or reviewer in ("", proposed):
        return reviewer or proposed
    return f"{proposed} — {reviewer}"


class PendingChangesMixin:
    """For ``PublishableAdmin``: proposals instead of saves for those who cannot publish."""

    def can_publish(self, request) -> bool:
        return request.user.has_perm(publish_permission(self.model))

    def needs_review(self, request, obj) -> bool:
        return (
            obj is not None
            and obj.state == PublicationState.PUBLISHED
            and not self.can_publish(request)
        )

    # --- the change form ----------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        pending = pending_for(obj)
        extra_context = {**(extra_context or {}), "review_needed": self.needs_review(request, obj)}
        if pending is not None:
            extra_context.update(self.pending_context(request, obj, pending))
        if request.method == "POST" and self.needs_review(request, obj):
            posted = request.POST.get(PENDING_REVISION, "")
            if pending is not None and posted != str(pending.revision):
                self.message_user(request, self.stale_proposal_message(pending), messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            with mode("propose"):
                return super().changeform_view(request, object_id, form_url, extra_context)
        if (
            request.method == "GET"
            and pending is not None
            and self.has_change_permission(request, obj)
        ):
            # The form bound to the proposal: Django's form view run on it as if posted,
            # its CSRF check left out (this is the user's own GET; nothing is saved).
            with mode("preview"):
                preview = as_post(request, form_data(pending, request))
                return self._changeform_view(preview, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting a published record would change what the public sees at once: that is
        a reviewer's to do. Others propose the values by editing the record."""
        obj = self.get_object(request, unquote(object_id)) if str(object_id).isdigit() else None
        if self.needs_review(request, obj) and self.has_change_permission(request, obj):
            self.message_user(
                request,
                _(
                    "“%(record)s” is published: only a reviewer can revert it. To propose "
                    "the earlier values, edit the record; your change then waits for review."
                )
                % {"record": obj},
                messages.ERROR,
            )
            opts = self.model._meta
            history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
            return HttpResponseRedirect(history)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        return type(formset.__name__, (formset,), {"can_publish": self.can_publish(request)})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if _mode.get() != "preview":
            return form

        class PreviewForm(form):
            """Validated so the proposal shows as entered, never saved."""

            def is_valid(self):
                super().is_valid()
                return False

        return PreviewForm

    def save_model(self, request, obj, form, change):
        if _mode.get() == "propose":
            self.store_proposal(request, obj, form)
            return
        super().save_model(request, obj, form, change)
        pending = pending_for(obj) if change else None
        if pending is not None:
            current_revision().reason = published_reason(pending.reason, form.reason)

    def save_related(self, request, form, formsets, change):
        if _mode.get() == "propose":
            return
        super().save_related(request, form, formsets, change)
        if change:
            # A reviewer's save publishes everything the form held, the proposal included.
            PendingChange.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=form.instance.pk,
            ).delete()

    def construct_change_message(self, request, form, formsets, add=False):
        if _mode.get() == "propose":
            return _("Proposed a change for review.")  # nothing was saved to describe
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if _mode.get() == "propose":
            return super().log_change(request, obj, _("Proposed a change for review."))
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if _mode.get() != "propose":
            return super().response_change(request, obj)
        pending = pending_for(obj)
        if pending is not None and not self.describe_proposal(request, obj, pending):
            pending.delete()  # a proposal that proposes nothing
            self.message_user(
                request, _("Nothing changed: “%(record)s” is as it was.") % {"record": obj}
            )
            return HttpResponseRedirect(request.path)
        self.message_user(
            request,
            _(
                "Your change to “%(record)s” waits for a reviewer: the public still sees the "
                "published version."
            )
            % {"record": obj},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(request.path)

    def store_proposal(self, request, obj, form):
        data = {k: v for k, v in request.POST.lists() if k not in NOT_KEPT | {PENDING_REVISION}}
        content_type = ContentType.objects.get_for_model(self.model)
        with transaction.atomic():
            pending, created = PendingChange.objects.select_for_update().get_or_create(
                content_type=content_type,
                object_id=obj.pk,
                defaults={
                    "form_data": data,
                    "reason": form.reason,
                    "created_by": request.user,
                    "updated_by": request.user,
                },
            )
            if not created:
                pending.form_data = data
                pending.reason = form.reason
                pending.updated_by = request.user
                pending.revision += 1
                pending.note = ""
            if "_submit" in request.POST:
                pending.submitted_at = timezone.now()
            pending.save()

    def stale_proposal_message(self, pending) -> str:
        return _(
            "Not saved: %(user)s changed this proposal at %(time)s, after you opened it. "
            "Their version is shown now; make your change again."
        ) % {
            "user": pending.updated_by.get_username(),
            "time": timezone.localtime(pending.updated_at).strftime("%Y-%m-%d %H:%M"),
        }

    def pending_context(self, request, obj, pending) -> dict:
        return {
            "pending": pending,
            "pending_changes": self.describe_proposal(request, obj, pending),
            "pending_revision_field": PENDING_REVISION,
            "can_publish": self.can_publish(request),
        }

    # --- reading and applying a proposal -------------------------------------------------

    def bound_forms(self, request, obj, pending):
        """The change form and inline formsets bound to the proposal, validated."""
        preview = as_post(request, form_data(pending, request))
        fieldsets = self.get_fieldsets(preview, obj)
        form_class = super().get_form(
            preview, obj, change=True, fields=flatten_fieldsets(fieldsets)
        )
        form = form_class(preview.POST, preview.FILES, instance=obj)
        formsets = []
        prefixes: dict[str, int] = {}
        for formset_class, inline in self.get_formsets_with_inlines(preview, obj):
            prefix = formset_class.get_default_prefix()
            prefixes[prefix] = prefixes.get(prefix, 0) + 1
            if prefixes[prefix] != 1 or not prefix:
                prefix = f"{prefix}-{prefixes[prefix]}"
            formsets.append(formset_class(**self.get_formset_kwargs(preview, obj, inline, prefix)))
        valid = form.is_valid()
        valid = all_valid(formsets) and valid
        return form, formsets, valid

    def describe_proposal(self, request, obj, pending) -> list[Change]:
        """What the proposal changes against the published record, in human terms."""
        published = type(obj)._default_manager.get(pk=obj.pk)
        fresh = type(obj)._default_manager.get(pk=obj.pk)
        form, formsets, _valid = self.bound_forms(request, fresh, pending)
        changes = record_changes(self.model, published, form)
        for formset in formsets:
            changes += row_changes(formset)
        return changes

    def publish_proposal(self, request, obj, pending, reason: str) -> bool:
        """Save the proposal as ``request.user``: one public revision. False (and an error
        message) when it no longer applies, e.g. the record changed since."""
        form, formsets, valid = self.bound_forms(request, obj, pending)
        if not valid:
            self.message_user(
                request,
                _(
                    "“%(record)s”: the proposed change no longer applies (the record changed "
                    "since, or it is incomplete). Open it, check and save it yourself."
                )
                % {"record": obj},
                messages.ERROR,
            )
            return False
        with revision(user=request.user) as context:
            new_object = self.save_form(request, form, change=True)
            super().save_model(request, new_object, form, True)
            super().save_related(request, form, formsets, True)
            # One public revision, by the reviewer, with the proposal's reason and theirs.
            context.reason = published_reason(pending.reason, reason)
        pending.delete()
        return True

    def review_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def value_text(model_field, record) -> str:
    if model_field.is_relation:
        return str(getattr(record, model_field.name) or "—")
    return display_value(model_field, getattr(record, model_field.attname))


def record_changes(model, published, form) -> list[Change]:
    """Fields and many-to-many sets the bound ``form`` would change on ``published``."""
    proposed, changes, grouped = form.instance, [], set()
    hook = getattr(model, "describe_revision_changes", None)
    if hook is not None:  # values that read as one, e.g. a figure's number with its unit
        changes, grouped = hook(published, proposed)
    for model_field in tracked_fields(model):
        name = model_field.name
        if name not in form.fields or name in model.tracking.hidden_fields or name in grouped:
            continue
        old, new = value_text(model_field, published), value_text(model_field, proposed)
        if old != new:
            changes.append(Change(str(capfirst(model_field.verbose_name)), old, new))
    for name in model.tracking.m2m_fields:
        if name not in form.fields or name not in getattr(form, "cleaned_data", {}):
            continue
        old_set = sorted(str(o) for o in getattr(published, name).all())
        new_set = sorted(str(o) for o in form.cleaned_data[name])
        if old_set != new_set:
            label = str(capfirst(model._meta.get_field(name).verbose_name))
            changes.append(Change(label, ", ".join(old_set) or "—", ", ".join(new_set) or "—"))
    return changes


def row_changes(formset) -> list[Change]:
    """Inline rows the bound ``formset`` would add, remove or change."""
    kind, changes = str(capfirst(formset.model._meta.verbose_name)), []
    deleted = getattr(formset, "deleted_forms", [])
    for row in formset.forms:
        if not hasattr(row, "cleaned_data"):
            continue
        if row in deleted and row.instance.pk:
            changes.append(Change(kind, str(row.instance), _("removed")))
        elif row.instance.pk is None and row.has_changed():
            changes.append(Change(kind, "—", str(row.instance)))
        elif row.has_changed():
            current = type(row.instance)._default_manager.get(pk=row.instance.pk)
            for name in row.changed_data:
                if name in ("version", "DELETE"):
                    continue
                model_field = row.instance._meta.get_field(name)
                label = f"{kind} “{current}”: {capfirst(model_field.verbose_name)}"
                changes.append(
                    Change(
                        label,
                        value_text(model_field, current),
                        value_text(model_field, row.instance),
                    )
                )
    return changes


# --- proposals made from field values (imports) ------------------------------------------


def post_value(value) -> str:
    """A value as a browser posts it in a form field."""
    if isinstance(value, models.Model):
        value = value.pk
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def posted_fields(form) -> list[tuple[str, list[str]]]:
    """An unbound form's fields as a browser posts them when nothing is touched."""
    posted = []
    for name, formfield in form.fields.items():
        bound = form[name]
        value = bound.value()
        if isinstance(formfield, BooleanField):
            posted += [(bound.html_name, ["on"])] if value else []
        else:
            items = value if isinstance(value, list | tuple) else [value]
            posted.append((bound.html_name, [post_value(item) for item in items]))
    return posted


def change_form_data(model_admin, request, obj) -> QueryDict:
    """``obj``'s change form as a browser would post it untouched: the form and inline
    formsets the admin builds for it (as ``bound_forms`` does), read without rendering."""
    fields = flatten_fieldsets(model_admin.get_fieldsets(request, obj))
    forms = [model_admin.get_form(request, obj, change=True, fields=fields)(instance=obj)]
    prefixes: dict[str, int] = {}
    for formset_class, inline in model_admin.get_formsets_with_inlines(request, obj):
        prefix = formset_class.get_default_prefix()
        prefixes[prefix] = prefixes.get(prefix, 0) + 1
        if prefixes[prefix] != 1 or not prefix:
            prefix = f"{prefix}-{prefixes[prefix]}"
        queryset = inline.get_queryset(request)
        formset = formset_class(instance=obj, prefix=prefix, queryset=queryset)
        forms += [formset.management_form, *formset.forms]
    data = QueryDict(mutable=True)
    for form in forms:
        for key, values in posted_fields(form):
            data.setlist(key, values)
    return data


def propose(model_admin, request, obj, values: dict, reason: str) -> PendingChange:
    """Make ``obj``'s proposal from field values, as if ``request.user`` had typed them
    into its change form and saved (an import does this for a published record).

    The form data start from the record's proposal if it has one (continued, as the change
    form continues it), else from the record as it is (``change_form_data``); ``values``
    ({field name: value}, a list for a many-to-many set; records or keys) and ``reason``
    are written over them; the result is validated like a save (``bound_forms``: the
    form, its inlines, the record's version) and stored. ``ValidationError`` ({field:
    [messages]}) when the form refuses it: then nothing is stored."""
    pending = pending_for(obj)
    data = form_data(pending, request) if pending else change_form_data(model_admin, request, obj)
    for name, value in values.items():
        items = list(value) if isinstance(value, list | tuple | set) else [value]
        data.setlist(name, [post_value(item) for item in items])
    data[CHANGE_REASON_FIELD] = reason
    kept = {key: items for key, items in data.lists() if key not in NOT_KEPT | {PENDING_REVISION}}
    candidate = PendingChange(form_data=kept, revision=pending.revision if pending else 1)
    form, formsets, valid = model_admin.bound_forms(request, obj, candidate)
    if not valid:
        errors = {name: list(messages) for name, messages in form.errors.items()}
        for formset in formsets:
            rows = [m for row in formset.errors for texts in row.values() for m in texts]
            errors.setdefault(NON_FIELD_ERRORS, []).extend([*formset.non_form_errors(), *rows])
        raise ValidationError({name: texts for name, texts in errors.items() if texts})
    with transaction.atomic():
        pending, created = PendingChange.objects.select_for_update().get_or_create(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            defaults={
                "form_data": kept,
                "reason": reason,
                "created_by": request.user,
                "updated_by": request.user,
            },
        )
        if not created:
            pending.form_data, pending.reason, pending.updated_by = kept, reason, request.user
            pending.revision += 1
            pending.note = ""
            pending.save()
    return pending
