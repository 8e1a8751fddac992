"""A record's revisions in the admin: the history list with readable diffs, two revisions
side by side, and reverting to one.

A revert restores content only — fields and many-to-many sets, never the publication
state: going back to an earlier text of a published record does not unpublish it, and
going back to a published text of a withdrawn record does not republish it. It needs the
change permission, and is recorded as one revision saying which revision it restored.
"""

from concurrency.exceptions import RecordModifiedError
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from ..diffs import describe_revisions, related_names, side_by_side
from ..recording import recorded_m2m_ids, revision, tracked_fields, tracked_m2m_fields
from ..timetravel import as_instance


class HistoryAdminMixin(SimpleHistoryAdmin):
    object_history_list_template = "tracking/admin/history_list.html"
    object_history_form_template = "tracking/admin/revert_form.html"
    history_list_per_page = 50
    # The template shows the revision note itself (set with the diffs): simple-history
    # would otherwise read the page once just to set a placeholder on each row.
    history_list_display = []

    def save_model(self, request, obj, form, change):
        # Who and why come from the active revision(), not from attributes on the record.
        obj.save()

    # --- the history list -------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        return (
            history_manager.filter(**{pk_name: object_id})
            .select_related("history_user")
            .newest_first()
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Diffs in the admin history read like the public ones: labels, names, numbers
        with their comparator and unit; every revision, private ones included.

        ``historical_records`` is the page: its rows are read with the one revision after
        them (the older one the last row is compared with), in one query."""
        page = historical_records
        if page.paginator.count == 0:
            return
        start, size = page.start_index() - 1, page.paginator.per_page
        rows = list(page.paginator.object_list[start : start + size + 1])
        records, older = rows[:size], (rows[size] if len(rows) > size else None)
        page.object_list = records
        if not records:
            return
        names = related_names(self.model, records, older, public=False)
        # The page's title names the record: with the related records just read.
        request.revision_names = names
        described = describe_revisions(
            self.model, records, older, public=False, show_editor_names=True, names=names
        )
        for record, described_revision in zip(records, described, strict=True):
            record.history_delta_changes = [
                {"field": change.label, "old": change.old, "new": change.new, "words": change.words}
                for change in described_revision.changes
            ]
            record.revision_note = described_revision.reverted_note or capfirst(
                described_revision.kind_label
            )

    def history_view_title(self, request, obj):
        names = getattr(request, "revision_names", None)
        if names is not None:
            names.attach(obj)
        return super().history_view_title(request, obj)

    # --- comparing two revisions --------------------------------------------------------

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
            latest_two = list(history.newest_first()[:2])
            chosen = [str(r.history_id) for r in reversed(latest_two)]
        records = {str(r.history_id): r for r in history.filter(history_id__in=chosen)}
        if len(records) != len(set(chosen)):
            raise Http404
        first, second = sorted(
            (records[value] for value in chosen), key=lambda r: (r.history_date, r.history_id)
        )
        described = describe_revisions(
            self.model, [second, first], public=False, show_editor_names=True
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Compare revisions: %s") % as_instance(first),
            "object_id": object_id,
            "first": described[1],
            "second": described[0],
            "rows": side_by_side(self.model, first, second),
            "revisions": history.newest_first(),
        }
        return TemplateResponse(request, "tracking/admin/compare.html", context)

    # --- reverting to a revision ------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        object_id, version_id = unquote(object_id), str(version_id)
        if not (object_id.isdigit() and version_id.isdigit()):
            raise Http404
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        restored = get_object_or_404(
            self.model.history.exclude(history_type="-"), id=object_id, history_id=version_id
        )
        try:
            return self.revert(request, obj, restored, extra_context)
        except RecordModifiedError:
            # Saved by someone else meanwhile: the form, run again, says what they changed.
            return self.revert(
                request, self.get_object(request, object_id), restored, extra_context
            )

    def restored_values(self, restored) -> dict:
        """The form's initial values: the revision's content, never its state."""
        values = {
            f.name: getattr(restored, f.attname)
            for f in tracked_fields(self.model)
            if f.name != "state"
        }
        for m2m_field in tracked_m2m_fields(self.model):
            values[m2m_field.name] = sorted(recorded_m2m_ids(restored, m2m_field))
        return values

    def revert(self, request, obj, restored, extra_context):
        form_class = self.get_form(request, obj, change=True)
        if request.method == "POST":
            with revision(user=request.user, reverting=restored) as context:
                form = form_class(request.POST, request.FILES, instance=obj)
                if form.is_valid():
                    context.reason = form.reason
                    new_object = self.save_form(request, form, change=True)
                    self.save_model(request, new_object, form, change=True)
                    form.save_m2m()
                    self.log_change(request, new_object, _("Reverted"))
                    self.message_user(
                        request,
                        _("“%(record)s” now has the content of its revision of %(date)s.")
                        % {
                            "record": new_object,
                            "date": formats.date_format(
                                timezone.localtime(restored.history_date), "DATETIME_FORMAT"
                            ),
                        },
                        messages.SUCCESS,
                    )
                    opts = self.model._meta
                    return HttpResponseRedirect(
                        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                    )
        else:
            form = form_class(instance=obj, initial=self.restored_values(restored))
        return self.render_revert_form(request, obj, restored, form, extra_context)

    def render_revert_form(self, request, obj, restored, form, extra_context):
        opts = self.model._meta
        admin_form = helpers.AdminForm(
            form,
            self.get_fieldsets(request, obj),
            {},
            self.get_readonly_fields(request, obj),
            model_admin=self,
        )
        info = opts.app_label, opts.model_name
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revert %s") % obj,
            "adminform": admin_form,
            "object_id": obj.pk,
            "original": obj,
            "restored": restored,
            "is_popup": False,
            "media": self.media + admin_form.media,
            "errors": helpers.AdminErrorList(form, []),
            "app_label": opts.app_label,
            "original_opts": opts,
            "opts": opts,
            "changelist_url": reverse("admin:{}_{}_changelist".format(*info)),
            "change_url": reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
            "history_url": reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
            "add": False,
            "change": True,
            "revert_disabled": False,
            "change_history": False,
            "has_add_permission": False,
            "has_view_permission": True,
            "has_change_permission": True,
            "has_delete_permission": False,
            "has_editable_inline_admin_formsets": False,
            "has_file_field": False,
            "has_absolute_url": False,
            "form_url": "",
            "save_as": False,
            "save_on_top": False,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_form_template, context)
