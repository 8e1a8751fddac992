from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from sco_tracker.views import FilteredListView

from .filters import CommitmentFilter, MeetingFilter
from .models import Commitment, CommitmentQuote, Delegation, Meeting


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
            Meeting.objects.published()
            .select_related("host_country", "chair")
            .prefetch_related(
                "topics",
                Prefetch("delegations", queryset=Delegation.objects.select_related("country")),
            )
            .with_revision_info()
        )

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
            "countries": [d.country.code for d in meeting.delegations.all()],
            "topics": [topic.slug for topic in meeting.topics.all()],
            "documents_signed": meeting.documents_signed,
            "revisions": meeting.revision_count,
            "last_revised": meeting.last_revised,
        }


def meeting_detail(request, slug):
    meeting = get_object_or_404(
        Meeting.objects.published().select_related("host_country", "chair"), slug=slug
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "sessions": meeting.sessions.select_related("with_person"),
            "delegations": meeting.delegations.select_related("country", "head"),
            "topics": meeting.topics.all(),
            "commitments": meeting.commitments.published()
            .select_related("topic")
            .prefetch_related("countries"),
            "figures": meeting.figures.published().select_related("indicator", "country"),
            "sources": meeting.sources.all(),
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
            Commitment.objects.published()
            .select_related("meeting", "topic")
            .prefetch_related(
                "countries",
                "people",
                Prefetch("quotes", queryset=CommitmentQuote.objects.select_related("source")),
            )
            .with_revision_info()
        )

    def export_row(self, commitment):
        quotes = list(commitment.quotes.all())
        return {
            "id": commitment.pk,
            "url": self.absolute(commitment),
            "title": commitment.title,
            "kind": commitment.kind,
            "status": commitment.status,
            "topic": commitment.topic.slug if commitment.topic else None,
            "meeting": commitment.meeting.slug,
            "countries": [country.code for country in commitment.countries.all()],
            "people": [person.name for person in commitment.people.all()],
            "target_date": commitment.target_date,
            "quotes": [quote.quote for quote in quotes],
            "sources": [quote.source.title for quote in quotes],
            "revisions": commitment.revision_count,
            "last_revised": commitment.last_revised,
        }


def commitment_detail(request, pk):
    commitment = get_object_or_404(
        Commitment.objects.published().select_related("meeting", "topic"), pk=pk
    )
    return render(
        request,
        "meetings/commitment_detail.html",
        {
            "commitment": commitment,
            "countries": commitment.countries.all(),
            "people": commitment.people.all(),
            "quotes": commitment.quotes.select_related("source"),
            "timeline": commitment.status_timeline(),
        },
    )
