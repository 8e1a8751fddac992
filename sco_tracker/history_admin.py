"""Admin base for tracked models: every write asks why, leaves exactly one revision, and
never silently overwrites someone else's change.

The Django admin saves a record in steps (the object, then its many-to-many fields, then
inline formsets). ``TrackedAdmin`` marks the object so those steps write no revision of
their own and records one revision when the admin logs the change, which it does after
the last step on every path that edits through a form: the add/change form, ``list_editable``
rows and the revert form. Forms carry the record's ``version``; see ``locking.py``.
"""

from concurrency.admin import ConcurrentManagementForm
from concurrency.compat import concurrency_param_name
from concurrency.exceptions import RecordModifiedError
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms.models import BaseModelFormSet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .history import (
    REASON_CREATED,
    REASON_DELETED,
    TrackedModel,
    record_revision,
    recorded_m2m_ids,
    tracked_m2m_fields,
)
from .locking import OptimisticLockFormMixin, SeenRevisionField, describe_conflict
from .revisions import Revision, describe_revisions, revision_kind, side_by_side
from .timetravel import as_instance

CHANGE_REASON_FIELD = "change_reason"
LIST_REASON_FIELD = "list_change_reason"


class TrackedAdminForm(OptimisticLockFormMixin, forms.ModelForm):
    """Adds the reason for change (required when editing, optional when creating) and the
    optimistic lock (``version`` and the latest revision seen)."""

    change_reason = forms.CharField(
        label=_("Reason for change"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text=_(
            "Why is this record being changed? Name the source or correction. "
            "Kept with the revision and shown to auditors."
        ),
    )
    seen_revision = SeenRevisionField()
    # Many-to-many values of the revision being restored (set by the revert view).
    revert_m2m_initial: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            reason = self.fields[CHANGE_REASON_FIELD]
            reason.required = False
            reason.help_text = _("Optional for a new record: “Created” is recorded if left empty.")
        for name, ids in self.revert_m2m_initial.items():
            if name in self.fields:
                self.initial[name] = ids


class TrackedInlineForm(OptimisticLockFormMixin, forms.ModelForm):
    """Inline rows carry their own version; a conflict is reported on the row."""


class ReasonActionForm(helpers.ActionForm):
    change_reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(
            attrs={"size": 40, "placeholder": _("Why? (kept with each revision)")}
        ),
    )


class ReasonChangelistFormSet(BaseModelFormSet):
    """``list_editable`` rows: one reason for the whole save, each row version-checked.

    The versions travel in the management form (django-concurrency renders one hidden
    input per row there, since the change list shows no other hidden fields)."""

    request = None

    @property
    def management_form(self):
        plain = super().management_form
        wrapped = ConcurrentManagementForm(
            plain.data if self.is_bound else None,
            auto_id=self.auto_id,
            prefix=self.prefix,
            initial=plain.initial,
            versions=[(obj.pk, obj.version) for obj in self.get_queryset()],
        )
        wrapped.full_clean()
        return wrapped

    def clean(self):
        super().clean()
        changed = [form for form in self.forms if form.has_changed()]
        if not changed:
            return
        if not self.request.POST.get(LIST_REASON_FIELD, "").strip():
            raise forms.ValidationError(
                _("Give a reason for these changes in the “Reason for change” box above the list.")
            )
        for form in changed:
            submitted = self.request.POST.get(f"{concurrency_param_name}_{form.instance.pk}")
            current = (
                type(form.instance)
                ._default_manager.filter(pk=form.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if submitted is not None and current is not None and str(current) != submitted:
                form.add_error(form._meta.fields[0], describe_conflict(form.instance, None))


class TrackedAdmin(SimpleHistoryAdmin):
    form = TrackedAdminForm
    action_form = ReasonActionForm
    object_history_list_template = "admin/tracked_history_list.html"
    change_list_template = "admin/tracked_change_list.html"
    delete_confirmation_template = "admin/tracked_delete_confirmation.html"
    history_list_per_page = 50
    history_list_display = ["revision_note"]
    show_facets = admin.ShowFacets.ALWAYS

    # --- the form -------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f != CHANGE_REASON_FIELD]},
            )
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [
            *fieldsets,
            (_("Reason for change"), {"fields": [CHANGE_REASON_FIELD, "version", "seen_revision"]}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        restored = getattr(request, "_revert_record", None)
        if restored is not None:
            # The revert form edits the record as it is now, so it carries today's version.
            obj.version = (
                self.model._default_manager.filter(pk=obj.pk)
                .values_list("version", flat=True)
                .first()
            )
            initial = {
                field.name: sorted(recorded_m2m_ids(restored, field))
                for field in tracked_m2m_fields(self.model)
            }
            form = type(form.__name__, (form,), {"revert_m2m_initial": initial})
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RecordModifiedError:
            # Someone saved between this form's check and its write (the transaction was
            # rolled back). Going through the form again reports their change.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def reason_for(self, request, form, change: bool) -> str:
        if CHANGE_REASON_FIELD in form.fields:
            reason = form.cleaned_data.get(CHANGE_REASON_FIELD, "")
        else:  # list_editable rows share the reason typed above the change list
            reason = request.POST.get(LIST_REASON_FIELD, "").strip()
        return reason or ("" if change else REASON_CREATED)

    # --- saving ---------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        list_version = request.POST.get(f"{concurrency_param_name}_{obj.pk}")
        if change and "version" not in form.fields and list_version is not None:
            obj.version = int(list_version)  # a list_editable row: the version shown
        obj.stamp_revision(user=request.user, reason=self.reason_for(request, form, change))
        obj._defer_revision = True
        restored = getattr(request, "_revert_record", None)
        if restored is not None:
            obj._reverted_to = restored
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = self.reason_for(request, form, change)
        saved = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.stamp_revision(user=request.user, reason=reason or REASON_DELETED)
            obj.delete()
        pending = []
        for obj in saved:
            created = obj._state.adding
            if isinstance(obj, TrackedModel):
                obj.stamp_revision(user=request.user, reason=reason or REASON_CREATED)
                obj._defer_revision = True
                pending.append((obj, created))
            obj.save()
        formset.save_m2m()
        for obj, created in pending:
            del obj._defer_revision
            record_revision(obj, created=created)

    def _finish_revision(self, obj, *, created: bool):
        if getattr(obj, "_defer_revision", False):
            del obj._defer_revision
            record_revision(obj, created=created)

    def log_addition(self, request, obj, message):
        self._finish_revision(obj, created=True)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._finish_revision(obj, created=False)
        return super().log_change(request, obj, message)

    def delete_view(self, request, object_id, extra_context=None):
        missing_reason = not request.POST.get(CHANGE_REASON_FIELD, "").strip()
        if request.method == "POST" and missing_reason and self.has_delete_permission(request):
            self.message_user(
                request, _("Nothing was deleted: give a reason for deleting."), messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        reason = request.POST.get(CHANGE_REASON_FIELD, "").strip() or REASON_DELETED
        obj.stamp_revision(user=request.user, reason=reason)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # One by one, so each deletion's revision carries the user and the reason.
        for obj in queryset:
            self.delete_model(request, obj)

    # --- the change list: list_editable and actions ----------------------------------

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, formset=ReasonChangelistFormSet, **kwargs)
        formset.request = request
        return formset

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except RecordModifiedError:
            self.message_user(
                request,
                _("Nothing was saved: a record changed while your edits were being saved."),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        """Each selected row carries the version the user saw (``pk,version``)."""
        attrs = {
            "class": "action-select",
            "aria-label": format_html(_("Select this object for an action - {}"), obj),
        }
        checkbox = forms.CheckboxInput(attrs, lambda value: False)
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, f"{obj.pk},{obj.version}")

    def response_action(self, request, queryset):
        """Refuse an action on rows that changed since the list was shown."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        pairs = [value.split(",", 1) for value in selected if "," in value]
        if pairs:
            shown = {pk: version for pk, version in pairs}
            current = {
                str(pk): version
                for pk, version in self.model._default_manager.filter(
                    pk__in=[pk for pk in shown if pk.isdigit()]
                ).values_list("pk", "version")
            }
            stale = [pk for pk, version in shown.items() if str(current.get(pk)) != version]
            if stale:
                self.message_user(request, self.stale_message(stale), messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            post = request.POST.copy()
            post.setlist(helpers.ACTION_CHECKBOX_NAME, list(shown))
            request.POST = post
        return super().response_action(request, queryset)

    def stale_message(self, stale_pks):
        records = []
        for obj in self.model._default_manager.filter(pk__in=stale_pks):
            latest = obj.history.select_related("history_user").order_by("-history_date").first()
            who = latest.history_user.get_username() if latest and latest.history_user else "—"
            when = (
                formats.date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT")
                if latest
                else "—"
            )
            reason = latest.history_change_reason if latest else ""
            records.append((str(obj), who, when, reason or "—"))
        return format_html(
            "{} <ul>{}</ul> {}",
            ngettext(
                "Nothing was done: this record changed after the list was shown:",
                "Nothing was done: these records changed after the list was shown:",
                len(records),
            ),
            format_html_join("", "<li>{} — {}, {} (“{}”)</li>", records),
            gettext("Check the changes, then select and run the action again."),
        )

    def action_reason(self, request) -> str:
        return request.POST.get(CHANGE_REASON_FIELD, "").strip()

    # --- history, comparison and revert ----------------------------------------------

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="{}_{}_compare".format(*info),
        )
        return [compare, *super().get_urls()]

    def compare_view(self, request, object_id):
        """Two revisions of one record side by side (``?a=`` and ``?b=`` history ids)."""
        object_id = unquote(object_id)
        if not object_id.isdigit():
            raise Http404
        history = self.model.history.filter(id=object_id).select_related("history_user")
        if not history.exists():
            raise Http404
        if not self.has_view_or_change_permission(request, self.model(pk=object_id)):
            raise PermissionDenied
        chosen = [request.GET.get("a", ""), request.GET.get("b", "")]
        if not all(value.isdigit() for value in chosen):
            latest_two = list(history.order_by("-history_date", "-history_id")[:2])
            chosen = [str(r.history_id) for r in reversed(latest_two)]
        records = {str(r.history_id): r for r in history.filter(history_id__in=chosen)}
        if len(records) != len(set(chosen)):
            raise Http404
        first, second = sorted(
            (records[value] for value in chosen), key=lambda r: (r.history_date, r.history_id)
        )
        described = describe_revisions(self.model, [first, second], show_editor_names=True)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Compare revisions: %s") % as_instance(first),
            "object_id": object_id,
            "first": described[0],
            "second": described[1],
            "rows": side_by_side(self.model, first, second),
            "revisions": history.order_by("-history_date", "-history_id"),
        }
        return TemplateResponse(request, "admin/tracked_compare.html", context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit():
            raise Http404
        request._revert_record = get_object_or_404(
            self.model.history.model,
            **{self.model._meta.pk.attname: unquote(object_id), "history_id": version_id},
        )
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except RecordModifiedError:
            return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("Revision"))
    def revision_note(self, record):
        revision = Revision(record=record, kind=revision_kind(record))
        return revision.reverted_note or capfirst(revision.kind_label)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Diffs in the admin history read like the public ones: labels, names, numbers
        with their comparator and unit."""
        records = list(historical_records)
        if not records:
            return
        last = records[-1]
        older = (
            self.model.history.filter(id=last.id)
            .filter(
                Q(history_date__lt=last.history_date)
                | Q(history_date=last.history_date, history_id__lt=last.history_id)
            )
            .order_by("-history_date", "-history_id")
            .first()
        )
        revisions = describe_revisions(self.model, records, older, show_editor_names=True)
        for record, revision in zip(records, revisions, strict=True):
            record.history_delta_changes = [
                {"field": change.label, "old": change.old, "new": change.new}
                for change in revision.changes
            ]

    def history_view(self, request, object_id, extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return super().history_view(request, object_id, extra_context)
