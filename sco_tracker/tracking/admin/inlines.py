"""Inline rows of tracked records (a meeting's sessions, a commitment's quotes): each row
carries its version, so two editors of one parent cannot overwrite each other's rows, and
relation fields refuse junk like the main form's."""

from django.contrib import admin

from .forms import (
    SafeAutocompleteSelect,
    SafeAutocompleteSelectMultiple,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    TrackedInlineForm,
)


class TrackedInlineMixin:
    form = TrackedInlineForm
    extra = 0

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if "version" in fields else [*fields, "version"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelChoiceField)
        if db_field.name in self.get_autocomplete_fields(request):
            widget = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            kwargs.setdefault("widget", widget)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        if db_field.name in self.get_autocomplete_fields(request):
            widget = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
            kwargs.setdefault("widget", widget)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TrackedStackedInline(TrackedInlineMixin, admin.StackedInline):
    pass


class TrackedTabularInline(TrackedInlineMixin, admin.TabularInline):
    pass
