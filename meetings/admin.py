from django.contrib import admin
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from sco_tracker.tracking.admin import PublishableAdmin, TrackedAdmin, TrackedInlineForm

from .models import (
    Commitment,
    CommitmentQuote,
    Country,
    Delegation,
    Meeting,
    Person,
    Session,
    Source,
    Topic,
)


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


class SessionInline(admin.StackedInline):
    model = Session
    extra = 0
    fields = [
        ("format", "date"),
        ("title_en", "title_ru"),
        "with_person",
        "summary_en",
        "summary_ru",
    ]
    autocomplete_fields = ["with_person"]
    show_change_link = True


class DelegationInline(admin.TabularInline):
    model = Delegation
    form = TrackedInlineForm
    extra = 0
    fields = ["country", "head", "head_office_en", "head_office_ru", "version"]
    autocomplete_fields = ["country", "head"]
    show_change_link = True


class CommitmentInline(admin.TabularInline):
    model = Commitment
    form = TrackedInlineForm
    extra = 0
    fields = ["title_en", "title_ru", "kind", "status", "topic", "countries", "state", "version"]
    readonly_fields = ["state"]
    autocomplete_fields = ["topic", "countries"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(PublishableAdmin):
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


@admin.register(Session)
class SessionAdmin(TrackedAdmin):
    list_display = ["__str__", "meeting", "format", "date", "with_person"]
    list_filter = ["format", "meeting"]
    list_select_related = ["meeting", "with_person"]
    search_fields = ["title_en", "title_ru", "summary_en", "summary_ru", "meeting__title_en"]
    autocomplete_fields = ["meeting", "with_person"]
    ordering = ["-meeting__start_date", "date"]


@admin.register(Delegation)
class DelegationAdmin(TrackedAdmin):
    list_display = ["country", "meeting", "head", "head_office_en"]
    list_filter = ["country", "meeting"]
    list_select_related = ["country", "meeting", "head"]
    search_fields = ["country__name_en", "country__name_ru", "head__name_en", "head__name_ru"]
    autocomplete_fields = ["meeting", "country", "head"]
    ordering = ["-meeting__start_date", "country__name_en"]


class CommitmentQuoteInline(admin.StackedInline):
    model = CommitmentQuote
    form = TrackedInlineForm
    extra = 0
    fields = ["source", "quote", "version"]
    autocomplete_fields = ["source"]


@admin.register(Commitment)
class CommitmentAdmin(PublishableAdmin):
    list_display = ["title_en", "state", "status", "kind", "meeting", "topic", "target_date"]
    list_editable = ["status"]
    list_filter = ["state", "status", "kind", "topic", "meeting", "countries"]
    list_select_related = ["meeting", "topic"]
    search_fields = ["title_en", "title_ru", "notes", "quotes__quote"]
    date_hierarchy = "meeting__start_date"
    ordering = ["-meeting__start_date", "id"]
    autocomplete_fields = ["meeting", "topic", "countries", "people"]
    inlines = [CommitmentQuoteInline]
    fieldsets = [
        (_("What"), {"fields": [("title_en", "title_ru"), "kind", "topic"]}),
        (_("Who and where"), {"fields": ["meeting", "countries", "people"]}),
        (_("Progress"), {"fields": ["status", "target_date", "notes"]}),
    ]


@admin.register(CommitmentQuote)
class CommitmentQuoteAdmin(TrackedAdmin):
    list_display = ["commitment", "source", "quote_excerpt"]
    list_filter = ["source"]
    list_select_related = ["commitment", "source"]
    search_fields = ["quote", "commitment__title_en", "commitment__title_ru"]
    autocomplete_fields = ["commitment", "source"]
    ordering = ["commitment", "id"]

    @admin.display(description=_("quote"))
    def quote_excerpt(self, obj):
        return Truncator(obj.quote).chars(90)
