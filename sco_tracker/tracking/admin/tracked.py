"""``TrackedAdmin``: every write asks why, leaves exactly one revision, and never silently
overwrites someone else's change.

Each admin path that writes — the add/change form with its inlines, list edits, actions,
deletions and the revert form (``history.py``) — runs inside one ``revision()`` with the
signed-in user and the reason the user typed; the engine records one revision per record
touched when it ends. Forms carry the record's ``version`` (``locking.py``).
"""

import contextvars

from concurrency.exceptions import RecordModifiedError
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..recording import current_revision, revision
from .forms import (
    CHANGE_REASON_FIELD,
    LIST_REASON_FIELD,
    DecimalAsEnteredInput,
    ReasonActionForm,
    ReasonChangelistFormSet,
    SafeAutocompleteSelect,
    SafeAutocompleteSelectMultiple,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    TrackedAdminForm,
)
from .history import HistoryAdminMixin

# Set when a change form was saved with nothing changed (for the message it gets).
# (None outside a change form's POST.)
_unchanged: contextvars.ContextVar[bool | None] = contextvars.ContextVar("unchanged", default=None)
BOOKKEEPING_FIELDS = {CHANGE_REASON_FIELD, "version", "seen_revision", "pending_revision"}


def url_name(request) -> str:
    return getattr(getattr(request, "resolver_match", None), "url_name", None) or ""


def content_changed(form) -> bool:
    return any(name not in BOOKKEEPING_FIELDS for name in form.changed_data)


class TrackedAdmin(HistoryAdminMixin, admin.ModelAdmin):
    form = TrackedAdminForm
    action_form = ReasonActionForm
    change_list_template = "tracking/admin/change_list.html"
    delete_confirmation_template = "tracking/admin/delete_confirmation.html"
    delete_selected_confirmation_template = "tracking/admin/delete_selected_confirmation.html"
    # Facet counts are one aggregate per filter over the whole table, and the unfiltered
    # total one more: at 100,000 records that is most of a changelist's time. Facets are
    # shown on request (the admin's "Show counts" link); the total is not counted.
    show_facets = admin.ShowFacets.ALLOW
    formfield_overrides = {models.DecimalField: {"widget": DecimalAsEnteredInput}}
    show_full_result_count = False

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
            (
                _("Reason for change"),
                {"fields": [CHANGE_REASON_FIELD, "version", "seen_revision", "pending_revision"]},
            ),
        ]

    # Junk in a relation field ("abc", "1.5", a 20-digit id) is a form error, never a
    # query: the fields check the key, the autocomplete widgets never look it up.
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelChoiceField)
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                SafeAutocompleteSelectMultiple(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """The change list searches as the public site does (``Tracking.search_fields``
        and ``search_related``: full text over GIN indexes on PostgreSQL), with word
        prefixes, so "transi" finds "transit". Autocomplete pickers, over small tables,
        keep Django's substring search of ``search_fields``."""
        # A NUL character cannot reach PostgreSQL in a query; it matches nothing anyway.
        search_term = search_term.replace("\x00", "")
        autocomplete = url_name(request) in ("autocomplete", "admin_autocomplete")
        if autocomplete or not self.model.tracking.search_fields or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        return queryset.search(search_term, prefix=True, whole_rows=True), False

    # --- the change list's "last changed" column ------------------------------------

    def get_queryset(self, request):
        """With ``last_changed`` in ``list_display``, the change list reads each row's
        newest revision date — for the page's rows only (a subquery the database runs per
        row shown, over the history's record index)."""
        queryset = super().get_queryset(request)
        on_changelist = url_name(request).endswith("_changelist")
        if on_changelist and "last_changed" in self.get_list_display(request):
            newest = (
                self.model.history.filter(id=OuterRef("pk"))
                .order_by("-history_date", "-history_id")
                .values("history_date")[:1]
            )
            queryset = queryset.annotate(last_changed_at=Subquery(newest))
        return queryset

    @admin.display(description=_("last changed"), ordering="last_changed_at")
    def last_changed(self, obj):
        moment = getattr(obj, "last_changed_at", None)
        return (
            formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
            if moment
            else "—"
        )

    def view_on_site(self, obj):
        """Only a record readers can see gets a “View on site” link."""
        url = obj.tracking.url(obj)
        if not url or not type(obj)._default_manager.published().filter(pk=obj.pk).exists():
            return None
        return url

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        token = _unchanged.set(False)
        try:
            with revision(user=request.user):
                return super().changeform_view(request, object_id, form_url, extra_context)
        except RecordModifiedError:
            # Someone saved between this form's check and its write (the transaction was
            # rolled back). Going through the form again reports their change.
            with revision(user=request.user):
                return super().changeform_view(request, object_id, form_url, extra_context)
        finally:
            _unchanged.reset(token)

    def save_model(self, request, obj, form, change):
        # The reason is known once the form is valid; the revision began with the request.
        if isinstance(form, TrackedAdminForm):
            current_revision().reason = form.reason
        if change and not content_changed(form):
            return  # nothing to save: the version stays as it was
        super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        rows_changed = any(
            formset.new_objects or formset.changed_objects or formset.deleted_objects
            for formset in formsets or ()
        )
        in_change_form = _unchanged.get() is not None
        if in_change_form and not add and not content_changed(form) and not rows_changed:
            _unchanged.set(True)
        return message

    def log_change(self, request, obj, message):
        if _unchanged.get():
            return None  # nothing happened to log
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if not _unchanged.get():
            return super().response_change(request, obj)
        self.message_user(
            request, _("Nothing changed: “%(record)s” is as it was.") % {"record": obj}
        )
        return HttpResponseRedirect(request.path)

    # --- deleting ---------------------------------------------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        if request.method != "POST":
            return super().delete_view(request, object_id, extra_context)
        reason = request.POST.get(CHANGE_REASON_FIELD, "").strip()
        if not reason and self.has_delete_permission(request):
            self.message_user(
                request, _("Nothing was deleted: give a reason for deleting."), messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())
        with revision(user=request.user, reason=reason):
            return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        # One by one, so each deletion's revision carries the user and the reason.
        for obj in queryset:
            obj.delete()

    # --- the change list: list edits and actions --------------------------------------

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=ReasonChangelistFormSet, **kwargs)

    def changelist_view(self, request, extra_context=None):
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        try:
            with revision(user=request.user, reason=request.POST.get(LIST_REASON_FIELD, "")):
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
        # The markup Django's CheckboxInput renders, without a template per row (a third
        # of a 100-row change list's time when rendered through the widget).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            f"{obj.pk},{obj.version}",
            format_html(_("Select this object for an action - {}"), obj),
        )

    def response_action(self, request, queryset):
        """Run an action with its reason, refusing rows that changed since the list was
        shown (every selected row must say which version it was shown with)."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if selected:
            pairs = [value.split(",", 1) for value in selected]
            if not all(len(pair) == 2 and all(p.isdigit() for p in pair) for pair in pairs):
                self.message_user(
                    request,
                    _("Nothing was done: reload the list and select the records again."),
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.get_full_path())
            shown = dict(pairs)
            current = {
                str(pk): str(version)
                for pk, version in self.model._default_manager.filter(
                    pk__in=list(shown)
                ).values_list("pk", "version")
            }
            stale = [pk for pk, version in shown.items() if current.get(pk) != version]
            if stale:
                self.message_user(request, self.stale_message(stale), messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            post = request.POST.copy()
            post.setlist(helpers.ACTION_CHECKBOX_NAME, list(shown))
            request.POST = post
        deleting = request.POST.get("action") == "delete_selected" and request.POST.get("post")
        if deleting and not self.action_reason(request):
            self.message_user(
                request, _("Nothing was deleted: give a reason for deleting."), messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())
        with revision(user=request.user, reason=self.action_reason(request)):
            return super().response_action(request, queryset)

    def stale_message(self, stale_pks):
        records = []
        for obj in self.model._default_manager.filter(pk__in=stale_pks):
            latest = obj.history.select_related("history_user").newest_first().first()
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
