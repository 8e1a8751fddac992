"""Public FilterSets for meetings, commitments and compliance assessments."""

import django_filters
from django.utils.translation import gettext_lazy as _

from sco_tracker.tracking.filters import PublicFilterSet, RecordFilter, SearchFilter, YearFilter

from .models import (
    Assessment,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Country,
    Meeting,
    MeetingBody,
    Topic,
)


def country_filter(**kwargs):
    """A country, by ISO code (``kz`` or ``KZ``)."""
    kwargs.setdefault("empty_label", _("Any country"))
    return RecordFilter(Country, key="code", **kwargs)


def topic_filter(**kwargs):
    """A topic, by slug (used by every list that has topics)."""
    return RecordFilter(Topic, label=_("Topic"), empty_label=_("Any topic"), **kwargs)


def meeting_filter(**kwargs):
    """A meeting, by slug."""
    return RecordFilter(Meeting, label=_("Meeting"), empty_label=_("Any meeting"), **kwargs)


class MeetingFilter(PublicFilterSet):
    q = SearchFilter()
    body = django_filters.ChoiceFilter(
        label=_("Body"), choices=MeetingBody.choices, empty_label=_("Any body")
    )
    year = YearFilter(method="filter_year")
    host = country_filter(
        label=_("Host country"), field_name="host_country", empty_label=_("Any host")
    )
    country = country_filter(label=_("Participating country"), method="filter_participant")
    topic = topic_filter(field_name="topics")
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("start_date", "date"),),
        field_labels={"start_date": _("date")},
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Meeting
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset.in_year(value)

    def filter_participant(self, queryset, name, value):
        return queryset.with_participant(value)


class CommitmentFilter(PublicFilterSet):
    q = SearchFilter()
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CommitmentStatus.choices, empty_label=_("Any status")
    )
    country = country_filter(label=_("Country"), field_name="countries")
    topic = topic_filter(field_name="topic")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=CommitmentKind.choices, empty_label=_("Any kind")
    )
    meeting = meeting_filter(field_name="meeting")
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("meeting__start_date", "date"), ("status", "status")),
        field_labels={"meeting__start_date": _("date"), "status": _("status")},
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Commitment
        fields = []


class PeriodFilter(django_filters.ChoiceFilter):
    """An assessment period, as an ISO 8601 interval (``2025-11-18/2026-06-30``); the menu
    lists the periods of the assessments public at the page's moment."""

    def set_moment(self, moment):
        periods = {}
        public = Assessment.objects.published(as_of=moment).order_by()
        for start, end, label in public.values_list("period_start", "period_end", "period_label"):
            periods.setdefault((start, end), label)
        self.extra["choices"] = [
            (
                f"{start.isoformat()}/{end.isoformat()}",
                f"{label} ({start:%Y-%m-%d} – {end:%Y-%m-%d})",
            )
            for (start, end), label in sorted(periods.items(), reverse=True)
        ]

    def filter(self, qs, value):
        if not value:
            return qs
        start, _sep, end = value.partition("/")
        return qs.filter(period_start=start, period_end=end)


class ComplianceFilter(PublicFilterSet):
    """``/compliance/``: the assessments of a meeting's commitments, by topic, period and
    country. Meeting and topic are the commitment's as they stood at the page's moment."""

    meeting = meeting_filter(method="filter_meeting")
    topic = topic_filter(method="filter_topic")
    period = PeriodFilter(label=_("Assessment period"), empty_label=_("Every period"))
    country = country_filter(label=_("Country"), field_name="country")

    class Meta:
        model = Assessment
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["period"].set_moment(getattr(self.request, "as_of", None))

    def commitments(self, queryset, **lookup):
        """The commitments, as they stood at the queryset's moment, matching ``lookup``."""
        return queryset.at_same_time(Commitment).filter(**lookup).values("id")

    def filter_meeting(self, queryset, name, value):
        meetings = Meeting.objects.published(as_of=queryset.moment).filter(slug=value)
        chosen = self.commitments(queryset, meeting_id__in=meetings.values("id"))
        return queryset.filter(commitment_id__in=chosen)

    def filter_topic(self, queryset, name, value):
        topics = Topic.objects.published(as_of=queryset.moment).filter(slug=value)
        chosen = self.commitments(queryset, topic_id__in=topics.values("id"))
        return queryset.filter(commitment_id__in=chosen)
