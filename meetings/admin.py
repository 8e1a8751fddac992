from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from sco_tracker.tracking.admin import (
    PublishableAdmin,
    TrackedAdmin,
    TrackedStackedInline,
    TrackedTabularInline,
)

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


class CommitmentQuoteInline(TrackedStackedInline):
    model = CommitmentQuote
    fields = ["source", "quote"]
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
