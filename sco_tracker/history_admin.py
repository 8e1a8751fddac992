"""Admin base for tracked models: every write asks why, and leaves exactly one revision.

The Django admin saves a record in steps (the object, then its many-to-many fields, then
inline formsets). ``TrackedAdmin`` marks the object so those steps write no revision of
their own and records one revision when the admin logs the change, which it does after
the last step on every path that edits through a form: the add/change form, ``list_editable``
rows and the revert form.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .history import (
    REASON_CREATED,
    REASON_DELETED,
    TrackedModel,
    display_value,
    record_revision,
    recorded_m2m_ids,
    tracked_m2m_fields,
)

CHANGE_REASON_FIELD = "change_reason"


class TrackedAdminForm(forms.ModelForm):
    """Adds the reason for change; required when editing, optional when creating."""

    change_reason = forms.CharField(
        label=_("Reason for change"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text=_(
            "Why is this record being changed? Name the source or correction. "
            "Kept with the revision and shown to auditors."
        ),
    )
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


class ReadableChangeHelper(HistoricalRecordContextHelper):
    """Diffs in the admin history show choice labels and names, not raw keys."""

    def prepare_delta_change_value(self, change, value):
        return display_value(self.model._meta.get_field(change.field), value)


class TrackedAdmin(SimpleHistoryAdmin):
    form = TrackedAdminForm
    object_history_list_template = "admin/tracked_history_list.html"
    history_list_per_page = 50
    history_list_display = ["revision_note"]

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
            (_("Reason for change"), {"fields": [CHANGE_REASON_FIELD]}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        restored = getattr(request, "_revert_record", None)
        if restored is not None:
            initial = {
                field.name: sorted(recorded_m2m_ids(restored, field))
                for field in tracked_m2m_fields(self.model)
            }
            form = type(form.__name__, (form,), {"revert_m2m_initial": initial})
        return form

    def reason_for(self, request, form, change: bool) -> str:
        if CHANGE_REASON_FIELD in form.fields:
            reason = form.cleaned_data.get(CHANGE_REASON_FIELD, "")
        else:  # list_editable rows share the reason typed above the change list
            reason = request.POST.get(CHANGE_REASON_FIELD, "").strip()
        return reason or ("" if change else REASON_CREATED)

    # --- saving ---------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
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

    def delete_model(self, request, obj):
        obj.stamp_revision(user=request.user, reason=REASON_DELETED)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # One by one, so each deletion's revision carries the user and the reason.
        for obj in queryset:
            self.delete_model(request, obj)

    # --- history and revert ---------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit():
            raise Http404
        request._revert_record = get_object_or_404(
            self.model.history.model,
            **{self.model._meta.pk.attname: unquote(object_id), "history_id": version_id},
        )
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("Revision"))
    def revision_note(self, record):
        return describe_revision(record)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChangeHelper(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return super().history_view(request, object_id, extra_context)


def describe_revision(record) -> str:
    """“Created”, “Changed”, “Deleted” or “Reverted to the revision of …”."""
    if record.is_revert:
        when = formats.date_format(timezone.localtime(record.reverted_to_date), "DATETIME_FORMAT")
        return gettext("Reverted to the revision of %(date)s") % {"date": when}
    return str(record.get_history_type_display())
