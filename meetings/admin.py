from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sco_tracker.tracking.admin import (
    PublishableAdmin,
    TrackedAdmin,
    TrackedStackedInline,
    TrackedTabularInline,
)
from sco_tracker.tracking.admin.importing import ImportExportAdmin
from sco_tracker.tracking.states import publish_permission

from .admin_forms import AssessmentInlineForm, EvidenceFormSet
from .models import (
    Assessment,
    Commitment,
    CommitmentQuote,
    ComplianceScore,
    Country,
    Delegation,
    Evidence,
    Meeting,
    Person,
    Session,
    Source,
    Topic,
    score_text,
)
from .resources import CommitmentResource, MeetingResource


@admin.register(Topic)
class TopicAdmin(TrackedAdmin):
    list_display = ["name_en", "name_ru", "slug"]
    search_fields = ["name_en", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    ordering = ["name_en"]


@admin.register(Country)
class CountryAdmin(TrackedAdmin):
    list_display = ["code", "name_en", "name_ru", "sco_status", "sco_status_since"]
    list_filter = ["sco_status"]
    search_fields = ["code", "name_en", "name_ru"]
    ordering = ["name_en"]


@admin.register(Person)
class PersonAdmin(TrackedAdmin):
    list_display = ["name_en", "name_ru", "country"]
    list_filter = ["country"]
    list_select_related = ["country"]
    search_fields = ["name_en", "name_ru", "slug"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name_en"]}
    ordering = ["name_en"]


@admin.register(Source)
class SourceAdmin(TrackedAdmin):
    list_display = ["title", "publisher", "published_on", "language", "url"]
    list_filter = ["language", "publisher"]
    search_fields = ["title", "publisher", "url", "text"]
    date_hierarchy = "published_on"
    ordering = ["title"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "publisher", "url", "published_on", "language"]}),
        (_("Text"), {"fields": ["text", "notes"]}),
    ]


class SessionInline(TrackedStackedInline):
    model = Session
    fields = [
        ("format", "date"),
        ("title_en", "title_ru"),
        "with_person",
        "summary_en",
        "summary_ru",
    ]
    autocomplete_fields = ["with_person"]


class DelegationInline(TrackedTabularInline):
    model = Delegation
    fields = ["country", "head", "head_office_en", "head_office_ru"]
    autocomplete_fields = ["country", "head"]


class CommitmentInline(TrackedTabularInline):
    model = Commitment
    fields = ["title_en", "title_ru", "kind", "status", "topic", "countries", "state"]
    readonly_fields = ["state"]
    autocomplete_fields = ["topic", "countries"]
    show_change_link = True


# Sessions, delegations and quotes are parts of their meeting or commitment: they are
# edited in its form (inline), so a change to a published one waits for review with it.


@admin.register(Meeting)
class MeetingAdmin(ImportExportAdmin, PublishableAdmin):
    resource_classes = [MeetingResource]
    list_display = [
        "title_en",
        "state",
        "body",
        "number",
        "start_date",
        "end_date",
        "city_en",
        "host_country",
    ]
    list_filter = ["state", "body", "host_country", "topics"]
    list_select_related = ["host_country"]
    search_fields = ["title_en", "title_ru", "city_en", "city_ru", "slug"]
    date_hierarchy = "start_date"
    ordering = ["-start_date"]
    autocomplete_fields = ["host_country", "chair", "topics", "sources"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [SessionInline, DelegationInline, CommitmentInline]
    fieldsets = [
        (_("Which meeting"), {"fields": ["body", "number", ("title_en", "title_ru"), "slug"]}),
        (
            _("When and where"),
            {"fields": [("start_date", "end_date"), ("city_en", "city_ru"), "host_country"]},
        ),
        (_("Chair"), {"fields": ["chair", ("chair_office_en", "chair_office_ru")]}),
        (
            _("What happened"),
            {
                "fields": [
                    "topics",
                    ("summary_en", "summary_ru"),
                    ("documents_signed_en", "documents_signed_ru"),
                    "sources",
                ]
            },
        ),
    ]


class CommitmentQuoteInline(TrackedStackedInline):
    model = CommitmentQuote
    fields = ["source", "quote"]
    autocomplete_fields = ["source"]


class AssessmentAdminMixin:
    """Scores offered as they read on the site (“✓ +1 full compliance”), and “2 pieces” of
    evidence on file, counted with the rows (no query per row)."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "score":
            kwargs["choices"] = [(score.value, score_text(score)) for score in ComplianceScore]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(evidence_total=Count("evidence"))

    @admin.display(description=_("evidence on file"))
    def evidence_on_file(self, obj):
        total = getattr(obj, "evidence_total", None) if obj is not None and obj.pk else None
        if total is None:
            return "—"
        return ngettext("%(count)d piece", "%(count)d pieces", total) % {"count": total}


class AssessmentInline(AssessmentAdminMixin, TrackedStackedInline):
    """Assessments entered on their commitment's form, each new one with its first piece
    of evidence; more evidence, and an assessment's own review, in its own form (the
    “Change” link)."""

    model = Assessment
    form = AssessmentInlineForm
    fields = [
        ("country", "score"),
        ("period_start", "period_end", "period_label"),
        ("justification_en", "justification_ru"),
        ("state", "evidence_on_file"),
        ("evidence_source", "evidence_quote"),
        ("evidence_url", "evidence_date", "evidence_title"),
    ]
    readonly_fields = ["state", "evidence_on_file"]
    autocomplete_fields = ["country"]
    radio_fields = {"score": admin.VERTICAL}
    show_change_link = True


@admin.register(Commitment)
class CommitmentAdmin(ImportExportAdmin, PublishableAdmin):
    resource_classes = [CommitmentResource]
    list_display = ["title_en", "state", "status", "kind", "meeting", "topic", "target_date"]
    list_editable = ["status"]
    list_filter = ["state", "status", "kind", "topic", "meeting", "countries"]
    list_select_related = ["meeting", "topic"]
    search_fields = ["title_en", "title_ru", "notes", "quotes__quote"]
    date_hierarchy = "meeting__start_date"
    ordering = ["-meeting__start_date", "id"]
    autocomplete_fields = ["meeting", "topic", "countries", "people"]
    inlines = [CommitmentQuoteInline, AssessmentInline]
    fieldsets = [
        (_("What"), {"fields": [("title_en", "title_ru"), "kind", "topic"]}),
        (_("Who and where"), {"fields": ["meeting", "countries", "people"]}),
        (_("Progress"), {"fields": [("status", "status_since"), "target_date", "notes"]}),
    ]

    def save_formset(self, request, form, formset, change):
        """New assessments saved by a reviewer under a public commitment — their own, or an
        editor's proposal they publish — are published with it, as the commitment's other
        rows are; otherwise they are drafts, for the assessments' own review."""
        if formset.model is Assessment:
            publish = request.user.has_perm(publish_permission(Assessment)) and (
                Commitment.objects.published().filter(pk=form.instance.pk).exists()
            )
            for row in formset.forms:
                row.publish_new = publish
        super().save_formset(request, form, formset, change)


class EvidenceInline(TrackedStackedInline):
    model = Evidence
    formset = EvidenceFormSet
    fields = [("source", "quote"), ("url", "date"), "title"]
    autocomplete_fields = ["source"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Assessment)
class AssessmentAdmin(AssessmentAdminMixin, PublishableAdmin):
    list_display = ["__str__", "commitment", "state", "evidence_on_file"]
    list_filter = ["state", "score", "country", "commitment__meeting", "period_label"]
    list_select_related = ["commitment", "country"]
    search_fields = [
        "commitment__title_en",
        "commitment__title_ru",
        "country__name_en",
        "country__name_ru",
        "justification_en",
        "justification_ru",
    ]
    ordering = ["-period_end", "commitment", "country__name_en"]
    autocomplete_fields = ["commitment", "country"]
    radio_fields = {"score": admin.VERTICAL}
    inlines = [EvidenceInline]
    fieldsets = [
        (
            _("What is assessed"),
            {
                "fields": [
                    "commitment",
                    "country",
                    ("period_start", "period_end"),
                    "period_label",
                ]
            },
        ),
        (_("Score"), {"fields": ["score", "justification_en", "justification_ru"]}),
    ]
