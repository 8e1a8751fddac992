"""The public pages of meetings and commitments: lists (with their exports), records
(HTML or ``?format=json``, with a permanent link and a citation) and histories."""

from django.shortcuts import render
from django.utils import timezone

from sco_tracker.tracking.exports import export_row_of, record_json
from sco_tracker.tracking.public import attach_revision_info, get_published_or_404
from sco_tracker.tracking.timetravel import children_lists, m2m_lists
from sco_tracker.tracking.views import (
    FilteredListView,
    RecordHistoryView,
    detail_format,
    permanent_link,
)

from . import compliance
from .filters import CommitmentFilter, MeetingFilter
from .models import (
    Assessment,
    Commitment,
    CommitmentQuote,
    Delegation,
    Meeting,
    Session,
)
from .quotes import quote_verified


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
    output = detail_format(request)
    as_of = request.as_of
    meeting = get_published_or_404(
        Meeting.objects.published(as_of=as_of).with_related("host_country", "chair"), slug=slug
    )
    attach_meeting_lists([meeting], as_of)
    attach_revision_info([meeting], as_of)
    if output == "json":  # the list export's fields, for this one record
        return record_json(export_row_of(MeetingListView, request, meeting))
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
            "permalink": permanent_link(request, meeting),
            "retrieved": timezone.now(),
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
        "status_since",
        "topic",
        "meeting",
        "countries",
        "people",
        "target_date",
        "quotes",
        "sources",
        "quotes_verified",
        "source_pages",
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
            "status_since": commitment.status_since,
            "topic": commitment.topic.slug if commitment.topic else None,
            "meeting": commitment.meeting.slug,
            "countries": [country.code for country in commitment.country_list],
            "people": [person.name for person in commitment.people_list],
            "target_date": commitment.target_date,
            "quotes": [quote.quote for quote in commitment.quote_list],
            "sources": [quote.source.title for quote in commitment.quote_list],
            "quotes_verified": [quote_verified(q.quote, q.source) for q in commitment.quote_list],
            "source_pages": [self.absolute(quote.source) for quote in commitment.quote_list],
            "revisions": commitment.revision_count,
            "last_revised": commitment.last_revised,
        }


def commitment_detail(request, pk):
    output = detail_format(request)
    as_of = request.as_of
    commitment = get_published_or_404(
        Commitment.objects.published(as_of=as_of).with_related("meeting", "topic"), id=pk
    )
    attach_commitment_lists([commitment], as_of)
    attach_revision_info([commitment], as_of)
    if output == "json":  # the list export's fields, for this one record
        return record_json(export_row_of(CommitmentListView, request, commitment))
    assessments = (
        Assessment.objects.published(as_of=as_of)
        .filter(commitment_id=commitment.pk)
        .with_related("country")
        .instances()
    )
    compliance.attach_evidence(assessments, as_of)
    return render(
        request,
        "meetings/commitment_detail.html",
        {
            "commitment": commitment,
            "countries": commitment.country_list,
            "people": commitment.people_list,
            "quotes": commitment.quote_list,
            "timeline": commitment.status_timeline(as_of=as_of),
            "compliance": compliance.commitment_tables(
                assessments, compliance.member_states(as_of)
            ),
            "permalink": permanent_link(request, commitment),
            "retrieved": timezone.now(),
        },
    )


class CommitmentHistoryView(RecordHistoryView):
    """The commitment's public history, then its assessments' and their evidence's
    (their changes are changes to what the commitment's page shows). The engine's view
    renders its own context, so the parts travel on the request."""

    model = Commitment
    template_name = "meetings/commitment_history.html"

    def get(self, request, **kwargs):
        request.part_revisions = compliance.part_revisions(
            kwargs["pk"], request.as_of, show_editor_names=request.user.is_staff
        )
        return super().get(request, **kwargs)
