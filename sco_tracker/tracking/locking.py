"""No lost updates: a form refuses to save over changes made since it was opened.

django-concurrency's ``version`` is the authority (the database refuses a stale save);
this form layer turns a stale save into a message that says what the other editor changed,
when and why, keeps everything the user typed, and arms the form so a second, deliberate
save replaces the other version.
"""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .diffs import describe_revisions, display_value
from .recording import current_m2m_ids, recorded_m2m_ids


def latest_history_id(instance) -> int | None:
    return (
        instance.history.order_by("-history_date", "-history_id")
        .values_list("history_id", flat=True)
        .first()
    )


def describe_conflict(instance, seen_history_id):
    """HTML explaining the revisions written after ``seen_history_id``."""
    history = instance.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )
    if seen_history_id:
        newer = list(history.filter(history_id__gt=seen_history_id)[:10])
        seen = history.filter(history_id=seen_history_id).first()
    else:  # not known: report the latest revision
        newer, seen = list(history[:1]), history[1:2].first()
    revisions = describe_revisions(
        type(instance), newer, seen, public=False, show_editor_names=True
    )
    items = []
    for revision in revisions:
        changes = "; ".join(f"{c.label}: {c.old} → {c.new}" for c in revision.changes)
        items.append(
            (
                revision.editor,
                formats.date_format(timezone.localtime(revision.date), "DATETIME_FORMAT"),
                revision.reason or "—",
                changes or _("no visible field changed"),
            )
        )
    details = format_html_join(
        "",
        "<li><strong>{}</strong>, {} — “{}”: {}</li>",
        items,
    )
    return format_html(
        "{}<ul>{}</ul>{}",
        _("Not saved: someone else changed this record after you opened it."),
        details,
        _(
            "Everything you typed is still in the form. Compare it with their changes above: "
            "save again to replace their version with yours, or reload the page to start "
            "from theirs."
        ),
    )


class OptimisticLockFormMixin:
    """For ModelForms that include the model's ``version`` field."""

    conflict_field = None  # None: a form-wide error; a field name: that field's error

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "seen_revision" in self.fields and self.instance.pk and not self.is_bound:
            self.initial["seen_revision"] = latest_history_id(self.instance)

    def clean(self):
        cleaned = super().clean()
        self.check_version()
        return cleaned

    def check_version(self):
        instance = self.instance
        submitted = self.cleaned_data.get("version")
        if instance._state.adding or instance.pk is None or submitted is None:
            return
        current = (
            type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True)
        ).first()
        if current is None or current == submitted:
            return
        seen = self.cleaned_data.get("seen_revision")
        self.add_error(self.conflict_field, describe_conflict(instance, seen))
        # Arm the form: what it shows again now carries the current version, so saving
        # once more is a deliberate choice to replace it.
        data = self.data.copy()
        seen_row = instance.history.filter(history_id=seen).first() if seen else None
        if seen_row is not None:
            self.reapply_own_changes(data, seen_row)
        data[self.add_prefix("version")] = self.fields["version"]._signer.sign(current)
        if "seen_revision" in self.fields:
            data[self.add_prefix("seen_revision")] = latest_history_id(instance)
        self.data = data

    def reapply_own_changes(self, data, seen_row) -> None:
        """Show the record as it is now with this user's own changes (against the revision
        they saw) re-applied: fields they did not touch take the other editor's values, so
        saving again never brings back old ones; a field both changed is marked."""
        instance = self.instance
        for name, field in self.fields.items():
            if name in BOOKKEEPING:
                continue
            try:
                model_field = instance._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if model_field.many_to_many:
                seen_value = sorted(recorded_m2m_ids(seen_row, model_field))
                current_value = sorted(current_m2m_ids(instance, model_field))
            else:
                seen_value = getattr(seen_row, model_field.attname)
                current_value = getattr(instance, model_field.attname)
            mine = field.has_changed(seen_value, self[name].data)
            theirs = field.has_changed(seen_value, as_data(current_value))
            key = self.add_prefix(name)
            if not mine:
                if isinstance(current_value, list):
                    data.setlist(key, as_data(current_value))
                else:
                    data[key] = as_data(current_value)
            elif theirs:
                self.add_error(
                    name,
                    _("Also changed by the other editor, to “%(value)s”. Yours is kept: check it.")
                    % {"value": display(model_field, current_value)},
                )


BOOKKEEPING = {"version", "seen_revision", "change_reason", "pending_revision"}


def as_data(value):
    """A model value as a browser would post it."""
    if value is None:
        return ""
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, bool):
        return "on" if value else ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def display(model_field, value) -> str:
    if model_field.many_to_many:
        related = model_field.related_model._default_manager.filter(pk__in=value)
        return ", ".join(sorted(str(obj) for obj in related)) or "—"
    if model_field.is_relation:
        obj = model_field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else "—"
    return display_value(model_field, value)


class SeenRevisionField(forms.IntegerField):
    """The latest revision the user saw; lets a conflict message list what came after."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
