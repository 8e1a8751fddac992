from django.shortcuts import render

from sco_tracker.tracking.public import get_published_or_404
from sco_tracker.tracking.timetravel import children_lists, m2m_lists
from sco_tracker.tracking.views import (
    EXPORT_FORMATS,
    FilteredListView,
    ListControlsForm,
    RecordHistoryView,
    list_context,
)

from . import compliance
from .filters import CommitmentFilter, ComplianceFilter, MeetingFilter
from .models import (
    Assessment,
    Commitment,
    CommitmentQuote,
    Country,
    Delegation,
    Meeting,
    Session,
    Topic,
    score_text,
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
    as_of = request.as_of
    commitment = get_published_or_404(
        Commitment.objects.published(as_of=as_of).with_related("meeting", "topic"), id=pk
    )
    attach_commitment_lists([commitment], as_of)
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


# --- compliance ---------------------------------------------------------------------------


class ComplianceView(FilteredListView):
    """``/compliance/``: for one meeting, its commitments × SCO members, one matrix per
    assessment period, with averages; as CSV or JSON, one row per assessment (every
    meeting unless one is chosen). Without a meeting, the page shows the latest assessed."""

    model = Assessment
    related = ("commitment__meeting", "commitment__topic", "country")
    filterset_class = ComplianceFilter
    template_name = "meetings/compliance.html"
    export_name = "compliance"
    export_columns = (
        "id",
        "url",
        "commitment_id",
        "commitment",
        "meeting",
        "topic",
        "country",
        "country_name",
        "period_start",
        "period_end",
        "period",
        "score",
        "score_label",
        "justification_en",
        "justification_ru",
        "evidence",
        "revisions",
        "last_revised",
    )

    def attach(self, objects):
        compliance.attach_evidence(objects, self.as_of)

    def export_row(self, assessment):
        commitment = assessment.commitment
        return {
            "id": assessment.pk,
            "url": self.absolute(assessment),
            "commitment_id": commitment.pk,
            "commitment": commitment.title,
            "meeting": commitment.meeting.slug,
            "topic": commitment.topic.slug if commitment.topic else None,
            "country": assessment.country.code,
            "country_name": assessment.country.name,
            "period_start": assessment.period_start,
            "period_end": assessment.period_end,
            "period": assessment.period_label,
            "score": assessment.score,
            "score_label": score_text(assessment.score),
            "justification_en": assessment.justification_en,
            "justification_ru": assessment.justification_ru,
            "evidence": [compliance.evidence_text(item) for item in assessment.evidence_list],
            "revisions": assessment.revision_count,
            "last_revised": assessment.last_revised,
        }

    def absolute(self, obj):
        url = super().absolute(obj.commitment)
        return f"{url}#assessment-{obj.pk}"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") in EXPORT_FORMATS:
            return super().get(request, *args, **kwargs)
        data = request.GET.copy()
        if not data.get("meeting"):
            meeting = compliance.default_meeting(self.as_of)
            if meeting is not None:
                data["meeting"] = meeting.slug
        controls = ListControlsForm(request.GET)
        queryset = Assessment.objects.published(as_of=self.as_of).with_related("country")
        filterset = self.filterset_class(data, queryset=queryset, request=request)
        valid = filterset.is_valid()
        if not (controls.is_valid() and valid):
            return self.render_matrices(filterset, controls, data, None, [], status=400)
        chosen = filterset.form.cleaned_data
        meeting = None
        if chosen.get("meeting"):
            meeting = get_published_or_404(
                Meeting.objects.published(as_of=self.as_of), slug=chosen["meeting"]
            )
        return self.render_matrices(filterset, controls, data, meeting, filterset.qs.instances())

    def render_matrices(self, filterset, controls, data, meeting, assessments, status=200):
        context = list_context(self.request, controls, None, status=status)
        query = data.copy()
        for name in ("page", "format", "per_page"):
            query.pop(name, None)
        context.update(
            filter=filterset,
            query_string=query.urlencode(),
            result_count=len(assessments),
            meeting=meeting,
            chosen_by_default=meeting is not None and not self.request.GET.get("meeting"),
            matrices=self.matrices(filterset, meeting, assessments) if status == 200 else [],
        )
        return render(self.request, self.template_name, context, status=status)

    def matrices(self, filterset, meeting, assessments):
        if meeting is None:
            return []
        chosen = filterset.form.cleaned_data
        commitments = Commitment.objects.published(as_of=self.as_of).filter(meeting_id=meeting.pk)
        if chosen.get("topic"):
            topics = Topic.objects.published(as_of=self.as_of).filter(slug=chosen["topic"])
            commitments = commitments.filter(topic_id__in=topics.values("id"))
        if chosen.get("country"):
            countries = Country.objects.published(as_of=self.as_of).filter(code=chosen["country"])
            countries = countries.instances()
        else:
            countries = compliance.member_states(self.as_of)
        countries = compliance.assessed_countries(countries, assessments)
        periods = compliance.by_period(assessments)
        if not periods and chosen.get("period"):
            # A period chosen with nothing assessed in it: its matrix, empty.
            labels = dict(filterset.filters["period"].extra["choices"])
            periods = [compliance.Period(label=labels.get(chosen["period"], ""))]
        commitments = commitments.instances()
        return [compliance.matrix(period, commitments, countries) for period in periods or [None]]


def country_detail(request, code):
    """A country: its SCO status and its compliance assessments, with its average per
    period over the scores present."""
    as_of = request.as_of
    country = get_published_or_404(Country.objects.published(as_of=as_of), code=code)
    assessments = (
        Assessment.objects.published(as_of=as_of)
        .filter(country_id=country.pk)
        .with_related("commitment__meeting")
        .instances()
    )
    compliance.attach_evidence(assessments, as_of)
    periods = []
    for period in compliance.by_period(assessments):
        period.assessments.sort(
            key=lambda a: (-a.commitment.meeting.start_date.toordinal(), a.commitment.pk)
        )
        scores = [assessment.score for assessment in period.assessments]
        periods.append((period, compliance.summary(scores, len(scores))))
    return render(
        request,
        "meetings/country_detail.html",
        {
            "country": country,
            "periods": periods,
            "overall": compliance.summary([a.score for a in assessments], len(assessments)),
        },
    )


def compliance_method(request):
    return render(request, "meetings/compliance_method.html")
