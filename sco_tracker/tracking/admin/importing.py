"""Import and export in the admin (django-import-export), for the record types whose
admin mixes in ``ImportExportAdmin`` and names its ``resource_classes``.

Importing is two steps: the upload shows a preview — every row new, changed (old → new,
field by field), a proposal, unchanged, or in error with the column and the message —
computed by a dry run that writes nothing; confirming imports the same file for real, all
of it or, if any row fails, none. The import page offers the template (XLSX with a sheet
explaining each column; CSV with the guide as a second download). Only those who may add
and change the records may import; imports never delete. Exports take the change list's
filters and search, in the public exports' columns.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import forms as import_forms
from import_export.admin import ImportExportMixin
from import_export.signals import post_import

from ..importing.cells import COMMA, POINT
from ..importing.files import FORMATS, FileError, format_for, not_utf8
from ..importing.guide import TEMPLATE_KINDS, general_rules, template_file

DECIMAL_MARKS = [
    ("", gettext_lazy("as the file shows (its first number with a decimal mark)")),
    (COMMA, gettext_lazy("decimal comma: 27,5")),
    (POINT, gettext_lazy("decimal point: 27.5")),
]


class ImportForm(import_forms.ImportForm):
    decimal_mark = forms.ChoiceField(
        label=gettext_lazy("Decimal mark"),
        choices=DECIMAL_MARKS,
        required=False,
        help_text=gettext_lazy(
            "Decides numbers such as 1,234 or 1.234, which could be read either way."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=gettext_lazy(
            "Optional: kept with each revision, before “Imported from <file>, row <n>”."
        ),
    )
    field_order = ["resource", "import_file", "format", "decimal_mark", "reason"]

    def __init__(self, formats, resources, *, previewed=None, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.previewed = previewed
        self.fields["format"].required = False
        self.fields["format"].help_text = gettext_lazy("Leave it to the file's extension.")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is not None and not cleaned.get("format"):
            try:
                cleaned["format"] = str(self.formats.index(format_for(upload.name)))
            except FileError as error:
                self.add_error("import_file", str(error))
        return cleaned


class ConfirmImportForm(import_forms.ConfirmImportForm):
    decimal_mark = forms.ChoiceField(
        choices=DECIMAL_MARKS, required=False, widget=forms.HiddenInput
    )
    reason = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)
    previewed = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ImportExportAdmin(ImportExportMixin):
    import_form_class = ImportForm
    confirm_form_class = ConfirmImportForm
    export_form_class = import_forms.ExportForm
    import_template_name = "tracking/admin/import.html"
    from_encoding = "utf-8-sig"

    # --- who may ---------------------------------------------------------------------

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_or_change_permission(request)

    def get_import_formats(self):
        return FORMATS

    def get_export_formats(self):
        return FORMATS

    # --- the forms and the resource ----------------------------------------------------

    def latest_revision_id(self):
        return self.model.history.aggregate(latest=Max("history_id"))["latest"] or 0

    def get_import_form_kwargs(self, request):
        return {**super().get_import_form_kwargs(request), "previewed": self.latest_revision_id()}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial.update(
                decimal_mark=import_form.cleaned_data.get("decimal_mark") or "",
                reason=import_form.cleaned_data.get("reason") or "",
                previewed=import_form.previewed,
            )
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        options = {"user": request.user, "request": request, "model_admin": self}
        form = kwargs.get("form")
        if form is not None and form.is_bound and form.is_valid():
            options.update(
                decimal_mark=form.cleaned_data.get("decimal_mark") or "",
                reason=form.cleaned_data.get("reason") or "",
                previewed=form.cleaned_data.get("previewed"),
            )
        return options

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"request": request}

    def get_import_data_kwargs(self, **kwargs):
        # A file with any error, validation errors included, imports nothing.
        return {"rollback_on_validation_errors": True}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileError):
            form.add_error("import_file", str(e))
        elif isinstance(e, UnicodeDecodeError):
            form.add_error("import_file", not_utf8())
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_import_context_data(self, **kwargs):
        opts = self.model._meta
        template_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_import_template")
        resource = self.get_import_resource_classes(None)[0]()
        return {
            "template_links": [
                (f"{template_url}?format={kind}", label) for kind, label in TEMPLATE_KINDS
            ],
            "rules": general_rules(resource),
        }

    # --- the confirmed import --------------------------------------------------------

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                _("Nothing was imported: fix the rows below and upload the file again."),
                messages.ERROR,
            )
            return self.import_page(request, result)
        self.generate_log_entries(result, request)
        counts = result.counts()
        self.message_user(
            request,
            _(
                "Imported: %(new)s new drafts, %(changed)s changed, %(proposal)s proposed "
                "for review, %(unchanged)s unchanged."
            )
            % counts,
            messages.SUCCESS,
        )
        post_import.send(sender=None, model=self.model)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def import_page(self, request, result):
        form = self.get_import_form_class(request)(
            self.get_import_formats(),
            self.get_import_resource_classes(request),
            previewed=self.latest_revision_id(),
        )
        context = {
            **self.admin_site.each_context(request),
            **self.get_import_context_data(),
            "title": _("Import"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "result": result,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def generate_log_entries(self, result, request):
        if self.get_skip_admin_log():
            return
        added = [row.instance for row in result.rows if row.kind == "new"]
        changed = [row.instance for row in result.rows if row.kind == "changed"]
        proposed = [row.instance for row in result.rows if row.kind == "proposal"]
        for instances, flag, message in (
            (added, ADDITION, _("Added by an import.")),
            (changed, CHANGE, _("Changed by an import.")),
            (proposed, CHANGE, _("Proposed a change for review.")),
        ):
            if instances:
                LogEntry.objects.log_actions(
                    request.user.pk, instances, flag, change_message=message
                )

    # --- the template, and exports ---------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        template = path(
            "import/template/",
            self.admin_site.admin_view(self.import_template_view),
            name=f"{opts.app_label}_{opts.model_name}_import_template",
        )
        return [template, *super().get_urls()]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        kind = request.GET.get("format", "xlsx")
        if kind not in dict(TEMPLATE_KINDS):
            raise Http404
        resource_class = self.get_import_resource_classes(request)[0]
        name, content_type, content = template_file(resource_class, kind, request=request)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def get_export_filename(self, request, queryset, file_format):
        day = timezone.localdate().isoformat()
        return f"{self.model._meta.model_name}s-{day}.{file_format.get_extension()}"
