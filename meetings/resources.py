"""Meetings and commitments in import and export files (``TrackedResource``): the public
exports' columns (``views``), with the editorial ones besides — texts in both languages,
notes, the publication state. Sessions, delegations and quotes are parts edited in their
record's form: exports show them (``countries`` of a meeting, ``quotes`` of a commitment);
imports leave them as they are."""

from sco_tracker.tracking.importing.resources import TrackedResource
from sco_tracker.tracking.importing.widgets import (
    ChoiceWidget,
    Column,
    DateWidget,
    IntegerWidget,
    KeysWidget,
    KeyWidget,
)

from .models import (
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Country,
    Meeting,
    MeetingBody,
    Person,
    Topic,
)
from .views import CommitmentListView, MeetingListView

PERSON_KEYS = ["slug", "name_en", "name_ru"]


def by_english_name(records):
    return sorted(records, key=lambda record: (record.name_en, record.pk))


class MeetingResource(TrackedResource):
    slug = Column("slug", required=True)
    title_en = Column("title_en", required=True)
    title_ru = Column("title_ru", required=True)
    body = Column("body", ChoiceWidget(MeetingBody.choices), required=True)
    number = Column("number", IntegerWidget())
    start_date = Column("start_date", DateWidget(), required=True)
    end_date = Column("end_date", DateWidget(), required=True)
    city_en = Column("city_en", required=True)
    city_ru = Column("city_ru", required=True)
    host_country = Column("host_country", KeyWidget(Country, ["code"], upper=True), required=True)
    chair = Column("chair", KeyWidget(Person, PERSON_KEYS, render_field="name"))
    chair_office_en = Column("chair_office_en")
    chair_office_ru = Column("chair_office_ru")
    topics = Column("topics", KeysWidget(Topic, ["slug"]))
    summary_en = Column("summary_en")
    summary_ru = Column("summary_ru")
    documents_signed_en = Column("documents_signed_en")
    documents_signed_ru = Column("documents_signed_ru")

    public_view = MeetingListView
    example = {"slug": "chg-24-moscow-2025"}
    related = ("host_country", "chair")
    prefetch = ("topics", "delegations__country")

    class Meta:
        model = Meeting
        import_id_fields = ("slug",)
        fields = export_order = (
            "slug",
            "title_en",
            "title_ru",
            "body",
            "number",
            "start_date",
            "end_date",
            "city_en",
            "city_ru",
            "host_country",
            "chair",
            "chair_office_en",
            "chair_office_ru",
            "topics",
            "summary_en",
            "summary_ru",
            "documents_signed_en",
            "documents_signed_ru",
            "state",
        )

    def attach(self, records):
        for meeting in records:
            delegations = meeting.delegations.all()
            meeting.delegation_list = sorted(delegations, key=lambda d: d.country.name_en)
            meeting.topic_list = by_english_name(meeting.topics.all())


class CommitmentResource(TrackedResource):
    title_en = Column("title_en", required=True)
    title_ru = Column("title_ru", required=True)
    kind = Column("kind", ChoiceWidget(CommitmentKind.choices), required=True)
    status = Column(
        "status", ChoiceWidget(CommitmentStatus.choices, blank=CommitmentStatus.PROPOSED)
    )
    status_since = Column("status_since", DateWidget())
    topic = Column("topic", KeyWidget(Topic, ["slug"]))
    meeting = Column("meeting", KeyWidget(Meeting, ["slug"]), required=True)
    countries = Column("countries", KeysWidget(Country, ["code"], upper=True))
    people = Column("people", KeysWidget(Person, PERSON_KEYS, render_field="name"))
    target_date = Column("target_date", DateWidget())
    notes = Column("notes")

    public_view = CommitmentListView
    example = {"meeting__slug": "chg-24-moscow-2025", "countries__code": "KZ"}
    related = ("meeting", "topic")
    prefetch = ("countries", "people", "quotes__source")

    class Meta:
        model = Commitment
        import_id_fields = ("meeting", "title_en")
        fields = export_order = (
            "title_en",
            "title_ru",
            "kind",
            "status",
            "status_since",
            "topic",
            "meeting",
            "countries",
            "people",
            "target_date",
            "notes",
            "state",
        )

    def attach(self, records):
        for commitment in records:
            commitment.country_list = by_english_name(commitment.countries.all())
            commitment.people_list = by_english_name(commitment.people.all())
            commitment.quote_list = list(commitment.quotes.all())
