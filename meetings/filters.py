"""Public FilterSets for meetings and commitments."""

import django_filters
from django.utils.translation import gettext_lazy as _

from sco_tracker.tracking.filters import PublicFilterSet, RecordFilter, SearchFilter, YearFilter

from .models import (
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
