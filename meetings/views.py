from django.http import Http404
from django.shortcuts import render

from sco_tracker.timetravel import children_lists, m2m_lists, materialize
from sco_tracker.views import FilteredListView, records, time_travel

from .filters import CommitmentFilter, MeetingFilter
from .models import Commitment, CommitmentQuote, Delegation, Meeting, Session


def attach_meeting_lists(meetings, as_of):
    delegations = children_lists(
        meetings,
        Delegation,
        "meeting",
        as_of,
        select=("country", "head"),
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
        children_lists(commitments, CommitmentQuote, "commitment", as_of, select=("source",))
        if quotes
        else {}
    )
    for commitment in commitments:
        commitment.country_list = countries[commitment.pk]
        commitment.people_list = people[commitment.pk]
        commitment.quote_list = quote_lists.get(commitment.pk, [])


class MeetingListView(FilteredListView):
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

    def get_queryset(self):
        return (
            self.records(Meeting)
            .published()
            .select_related("host_country", "chair")
            .with_revision_info()
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


@time_travel
def meeting_detail(request, slug, as_of):
    found = records(Meeting, as_of).published().select_related("host_country", "chair")
    meeting = next(iter(materialize(found.filter(slug=slug)[:1])), None)
    if meeting is None:
        raise Http404
    attach_meeting_lists([meeting], as_of)
    sessions = children_lists(
        [meeting], Session, "meeting", as_of, select=("with_person",), order_by=("date", "id")
    )[meeting.pk]
    commitments = materialize(
        records(Commitment, as_of).published().filter(meeting_id=meeting.pk).select_related("topic")
    )
    attach_commitment_lists(commitments, as_of, quotes=False)
    # Figures point at meetings, not the other way round: reach them through the relation,
    # so this app does not import ``indicators``.
    figure_model = Meeting._meta.get_field("figures").related_model
    figures = materialize(
        records(figure_model, as_of)
        .published()
        .filter(meeting_id=meeting.pk)
        .select_related("indicator", "country")
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

    def get_queryset(self):
        return (
            self.records(Commitment)
            .published()
            .select_related("meeting", "topic")
            .with_revision_info()
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


@time_travel
def commitment_detail(request, pk, as_of):
    found = records(Commitment, as_of).published().select_related("meeting", "topic")
    commitment = next(iter(materialize(found.filter(id=pk)[:1])), None)
    if commitment is None:
        raise Http404
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
