"""The public compliance pages: the matrix (``/compliance/``), a country's assessments and
the method."""

from django.shortcuts import render

from sco_tracker.tracking.exports import record_json
from sco_tracker.tracking.public import attach_revision_info, get_published_or_404
from sco_tracker.tracking.views import (
    EXPORT_FORMATS,
    FilteredListView,
    ListControlsForm,
    absolute_url,
    detail_format,
    list_context,
)

from . import compliance
from .filters import ComplianceFilter
from .models import Assessment, Commitment, Country, Meeting, Topic, score_text

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
    output = detail_format(request)
    as_of = request.as_of
    country = get_published_or_404(Country.objects.published(as_of=as_of), code=code)
    assessments = (
        Assessment.objects.published(as_of=as_of)
        .filter(country_id=country.pk)
        .with_related("commitment__meeting", "commitment__topic")
        .instances()
    )
    compliance.attach_evidence(assessments, as_of)
    if output == "json":
        return record_json(country_row(request, country, assessments))
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


def country_row(request, country, assessments) -> dict:
    """A country as ``?format=json`` gives it: who it is in the SCO, its average over the
    scores present (and how many), and its assessments with the compliance export's
    fields."""
    attach_revision_info([country], request.as_of)
    if assessments:
        attach_revision_info(assessments, request.as_of)
    overall = compliance.summary([a.score for a in assessments], len(assessments))
    export = ComplianceView()
    export.setup(request)
    return {
        "code": country.code,
        "url": absolute_url(request, country),
        "name_en": country.name_en,
        "name_ru": country.name_ru,
        "sco_status": country.sco_status,
        "sco_status_since": country.sco_status_since,
        "scores": overall.count,
        "average": overall.average,
        "percentage": overall.percentage,
        "assessments": [export.export_row(assessment) for assessment in assessments],
        "revisions": country.revision_count,
        "last_revised": country.last_revised,
    }


def compliance_method(request):
    return render(request, "meetings/compliance_method.html")
