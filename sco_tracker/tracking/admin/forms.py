"""Forms of the tracked admin: a reason on every write, the record's version on every
form, list edit and action."""

from decimal import Decimal

from concurrency.admin import ConcurrentManagementForm
from concurrency.compat import concurrency_param_name
from django import forms
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.forms.models import BaseModelFormSet
from django.utils.translation import gettext_lazy as _

from ..locking import OptimisticLockFormMixin, SeenRevisionField, describe_conflict
from .pickers import picker_label

CHANGE_REASON_FIELD = "change_reason"
LIST_REASON_FIELD = "list_change_reason"


def check_key(field, value) -> None:
    """Refuse, as an invalid choice, a key its column could never hold ("abc", "1.5", a
    20-digit id): the database would fail on it instead of the form."""
    opts = field.queryset.model._meta
    model_field = opts.get_field(field.to_field_name) if field.to_field_name else opts.pk
    try:
        model_field.run_validators(model_field.to_python(value))
    except ValidationError as error:
        raise ValidationError(
            field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        ) from error


class DecimalAsEnteredInput(forms.NumberInput):
    """A stored decimal shown as an editor would type it: 33.3, not the column's padded
    "33.300000"."""

    def format_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            value = format(value.normalize(), "f")
        return super().format_value(value)


class SafeModelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return picker_label(obj)

    def to_python(self, value):
        if value not in self.empty_values:
            check_key(self, value)
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return picker_label(obj)

    def _check_values(self, value):
        for key in value if isinstance(value, list | tuple) else ():
            if key not in self.empty_values:
                try:
                    check_key(self, key)
                except ValidationError as error:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": key},
                    ) from error
        return super()._check_values(value)


class SafeAutocompleteMixin:
    """Re-showing a refused value ("abc" as an indicator) must not query with it."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = getattr(remote, "field_name", None) or remote.model._meta.pk.name
        model_field = remote.model._meta.get_field(key)
        valid = []
        for key in value or ():
            try:
                model_field.run_validators(model_field.to_python(key))
            except ValidationError:
                continue
            valid.append(key)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(SafeAutocompleteMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SafeAutocompleteMixin, AutocompleteSelectMultiple):
    pass


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
    # The revision of the proposal (pending change) the form shows, if any.
    pending_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            reason = self.fields[CHANGE_REASON_FIELD]
            reason.required = False
            reason.help_text = _("Optional for a new record: “Created” is recorded if left empty.")

    @property
    def reason(self) -> str:
        return (self.cleaned_data.get(CHANGE_REASON_FIELD) or "").strip()

    def _get_validation_exclusions(self):
        """The model's constraints are checked against every field, also those the form
        does not show (the publication state, values the record sets itself such as a
        figure's measure kind): the database would refuse them anyway."""
        return {name for name in super()._get_validation_exclusions() if name in self.fields}


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
    can_publish = True  # False: published rows change only through review
    """``list_editable`` rows: one reason for the whole save, each changed row checked
    against the version it was shown with.

    The versions travel in the management form (django-concurrency renders one hidden
    input per row there, since the change list shows no other hidden fields)."""

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

    @property
    def reason(self) -> str:
        return (self.data.get(LIST_REASON_FIELD) or "").strip()

    def clean(self):
        super().clean()
        changed = [form for form in self.forms if form.has_changed()]
        if not changed:
            return
        if not self.reason:
            raise forms.ValidationError(
                _("Give a reason for these changes in the “Reason for change” box above the list.")
            )
        for form in changed:
            if not self.can_publish and getattr(form.instance, "state", "") == "published":
                form.add_error(
                    None,
                    _(
                        "“%(record)s” is published: open it to propose this change, which "
                        "then waits for review."
                    )
                    % {"record": form.instance},
                )
                continue
            shown = self.data.get(f"{concurrency_param_name}_{form.instance.pk}", "")
            current = (
                type(form.instance)
                ._default_manager.filter(pk=form.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if not shown.isdigit():
                form.add_error(
                    None,
                    _("This row was sent without the version it was shown with: reload the list."),
                )
            elif current is not None and current != int(shown):
                form.add_error(None, describe_conflict(form.instance, None))
            else:
                # Saved with the version shown: the database refuses it if that is stale.
                form.instance.version = int(shown)
