"""No lost updates: a form refuses to save over changes made since it was opened.

django-concurrency's ``version`` is the authority (the database refuses a stale save);
this form layer turns a stale save into a message that says what the other editor changed,
when and why, keeps everything the user typed, and arms the form so a second, deliberate
save replaces the other version.
"""

from django import forms
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .diffs import describe_revisions


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
        data[self.add_prefix("version")] = self.fields["version"]._signer.sign(current)
        if "seen_revision" in self.fields:
            data[self.add_prefix("seen_revision")] = latest_history_id(instance)
        self.data = data


class SeenRevisionField(forms.IntegerField):
    """The latest revision the user saw; lets a conflict message list what came after."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
