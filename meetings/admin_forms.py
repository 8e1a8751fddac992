"""Admin forms for compliance assessments: a new assessment entered on its commitment's
form comes with its first piece of evidence; a published assessment keeps at least one."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from sco_tracker.tracking.admin import TrackedInlineForm
from sco_tracker.tracking.admin.forms import SafeAutocompleteSelect, SafeModelChoiceField
from sco_tracker.tracking.states import PublicationState

from .models import Evidence, Source

# Form field → Evidence field, for the piece of evidence entered with a new assessment.
EVIDENCE_FIELDS = {
    "evidence_source": "source",
    "evidence_quote": "quote",
    "evidence_url": "url",
    "evidence_date": "date",
    "evidence_title": "title",
}


class AssessmentInlineForm(TrackedInlineForm):
    """An assessment row on its commitment's form. A new row carries its first piece of
    evidence (required: a source and its words, or a web address and its date), saved
    with it; a row already saved shows none of these fields (its evidence is edited in
    the assessment's own form), so they never enter a proposal's diff."""

    evidence_source = SafeModelChoiceField(
        label=_("Evidence: source"),
        queryset=Source.objects.all(),
        required=False,
        widget=SafeAutocompleteSelect(Evidence._meta.get_field("source"), admin.site),
    )
    evidence_quote = forms.CharField(
        label=_("Evidence: the source's words, verbatim"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    evidence_url = forms.URLField(
        label=_("Evidence: web address"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_date = forms.DateField(
        label=_("Evidence: date"), required=False, widget=AdminDateWidget
    )
    evidence_title = forms.CharField(
        label=_("Evidence: what it is"), required=False, max_length=300
    )
    # Set by the commitment's admin before saving: a new row is published at once.
    publish_new = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_evidence = None
        if not self.instance._state.adding:
            for name in EVIDENCE_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if not self.instance._state.adding or cleaned.get("DELETE"):
            return cleaned
        values = {field: cleaned.get(name) for name, field in EVIDENCE_FIELDS.items()}
        if all(value in (None, "") for value in values.values()):
            self.add_error(
                None,
                _(
                    "A new assessment needs its evidence: a source and its verbatim words, "
                    "or a web address and its date."
                ),
            )
            return cleaned
        evidence = Evidence(**values)
        try:
            evidence.full_clean(exclude=["assessment", "version"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                name = f"evidence_{field}"
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.new_evidence = evidence
        return cleaned

    def save(self, commit=True):
        if self.instance._state.adding and self.publish_new:
            self.instance.state = PublicationState.PUBLISHED
        assessment = super().save(commit)
        if commit and self.new_evidence is not None:
            self.new_evidence.assessment = assessment
            self.new_evidence.save()
        return assessment


class EvidenceFormSet(BaseInlineFormSet):
    """A published assessment keeps at least one piece of evidence."""

    def clean(self):
        super().clean()
        if self.instance.state != PublicationState.PUBLISHED:
            return
        kept = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
        ]
        if not kept:
            raise ValidationError(
                _(
                    "A published assessment keeps at least one piece of evidence: add "
                    "another before removing this one."
                )
            )
