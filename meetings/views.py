from django.shortcuts import render

from sco_tracker.tracking.public import get_published_or_404
from sco_tracker.tracking.timetravel import children_lists, m2m_lists
from sco_tracker.tracking.views import FilteredListView

from .filters import CommitmentFilter, MeetingFilter
from .models import Commitment, CommitmentQuote, Delegation, Meeting, Session


def attach_meeting_lists(meetings, as_of):
    delegations = children_lists(
        meetings,
        Delegation,
        "meeting",
        as_of,
        related=("country", "head"),
        order_by=("country__name_en",),
    )
    topics = m2m_lists(meetings, "topics", as_of, order_by=("name_en",))
    for meeting in meetings:
        meeting.delegation_list = delegations[meeting.pk]
        meeting.topic_list = topics[meeting.pk]


def attach_commitment_lists(commitments, as_of, *, quotes=True):
    countries = m2m_lists(commitments, "countries", as_of, order_by=("name_en",))
    people = m2m_lists(commitments, "people", as_of, order_by=("name_en",))
    quote_lists = (
        children_lists(commitments, CommitmentQuote, "commitment", as_of, related=("source",))
        if quotes
        else {}
    )
    for commitment in commitments:
        commitment.country_list = countries[commitment.pk]
        commitment.people_list = people[commitment.pk]
        commitment.quote_list = quote_lists.get(commitment.pk, [])


class MeetingListView(FilteredListView):
    model = Meeting
    related = ("host_country", "chair")
    filterset_class = MeetingFilter
    template_name = "meetings/meeting_list.html"
    export_name = "meetings"
    export_columns = (
        "id",
        "url",
        "slug",
        "title",
        "body",
        "number",
        "start_date",
        "end_date",
        "city",
        "host_country",
        "chair",
        "chair_office",
        "countries",
        "topics",
        "documents_signed",
        "revisions",
        "last_revised",
    )

    def attach(self, objects):
        attach_meeting_lists(objects, self.as_of)

    def export_row(self, meeting):
        return {
            "id": meeting.pk,
            "url": self.absolute(meeting),
            "slug": meeting.slug,
            "title": meeting.title,
            "body": meeting.body,
            "number": meeting.number,
            "start_date": meeting.start_date,
            "end_date": meeting.end_date,
            "city": meeting.city,
            "host_country": meeting.host_country.code,
            "chair": meeting.chair.name if meeting.chair else None,
            "chair_office": meeting.chair_office or None,
            "countries": [d.country.code for d in meeting.delegation_list],
            "topics": [topic.slug for topic in meeting.topic_list],
            "documents_signed": meeting.documents_signed,
            "revisions": meeting.revision_count,
            "last_revised": meeting.last_revised,
        }


def meeting_detail(request, slug):
    as_of = request.as_of
    meeting = get_published_or_404(
        Meeting.objects.published(as_of=as_of).with_related("host_country", "chair"), slug=slug
    )
    attach_meeting_lists([meeting], as_of)
    sessions = children_lists(
        [meeting], Session, "meeting", as_of, related=("with_person",), order_by=("date", "id")
    )[meeting.pk]
    commitments = (
        Commitment.objects.published(as_of=as_of)
        .filter(meeting_id=meeting.pk)
        .with_related("topic")
        .instances()
    )
    attach_commitment_lists(commitments, as_of, quotes=False)
    # Figures point at meetings, not the other way round: reach them through the relation,
    # so this app does not import ``indicators``.
    figure_model = Meeting._meta.get_field("figures").related_model
    figures = (
        figure_model.objects.published(as_of=as_of)
        .filter(meeting_id=meeting.pk)
        .with_related("indicator", "country")
        .instances()
    )
    sources = m2m_lists([meeting], "sources", as_of, order_by=("title",))[meeting.pk]
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "sessions": sessions,
            "delegations": meeting.delegation_list,
            "topics": meeting.topic_list,
            "commitments": commitments,
            "figures": figures,
            "sources": sources,
        },
    )


class CommitmentListView(FilteredListView):
    model = Commitment
    related = ("meeting", "topic")
    filterset_class = CommitmentFilter
    template_name = "meetings/commitment_list.html"
    export_name = "commitments"
    export_columns = (
        "id",
        "url",
        "title",
        "kind",
        "status",
        "topic",
        "meeting",
        "countries",
        "people",
        "target_date",
        "quotes",
        "sources",
        "revisions",
        "last_revised",
    )

    def attach(self, objects):
        attach_commitment_lists(objects, self.as_of)

    def export_row(self, commitment):
        return {
            "id": commitment.pk,
            "url": self.absolute(commitment),
            "title": commitment.title,
            "kind": commitment.kind,
            "status": commitment.status,
            "topic": commitment.topic.slug if commitment.topic else None,
            "meeting": commitment.meeting.slug,
            "countries": [country.code for country in commitment.country_list],
            "people": [person.name for person in commitment.people_list],
            "target_date": commitment.target_date,
            "quotes": [quote.quote for quote in commitment.quote_list],
            "sources": [quote.source.title for quote in commitment.quote_list],
            "revisions": commitment.revision_count,
            "last_revised": commitment.last_revised,
        }


def commitment_detail(request, pk):
    as_of = request.as_of
    commitment = get_published_or_404(
        Commitment.objects.published(as_of=as_of).with_related("meeting", "topic"), id=pk
    )
    attach_commitment_lists([commitment], as_of)
    return render(
        request,
        "meetings/commitment_detail.html",
        {
            "commitment": commitment,
            "countries": commitment.country_list,
            "people": commitment.people_list,
            "quotes": commitment.quote_list,
            "timeline": commitment.status_timeline(as_of=as_of),
        },
    )
