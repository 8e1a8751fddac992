"""The home page: what the site is, the latest meetings, recently revised figures, the
key indicators and compliance — as they stand, or as they stood at ``?as_of=``."""

from django.shortcuts import render

from indicators.models import Figure, Indicator
from meetings.models import Assessment, Meeting
from sco_tracker.tracking.freshness import cached_until_public_change


def home(request):
    as_of = request.as_of
    latest_meetings = Meeting.objects.published(as_of=as_of).with_related("host_country")[:3]
    recent_figures = (
        Figure.objects.published(as_of=as_of)
        .with_related("indicator", "country")
        .recently_revised(6)
    )
    # Counting every figure of every indicator is the home page's one costly read: kept
    # until the next public revision.
    key_indicators = cached_until_public_change(
        "home-key-indicators",
        lambda: Indicator.objects.published(as_of=as_of).key_indicators().instances(),
        as_of=as_of,
    )
    assessments = Assessment.objects.published(as_of=as_of).count()
    return render(
        request,
        "home.html",
        {
            "latest_meetings": latest_meetings.instances(),
            "recent_figures": recent_figures,
            "key_indicators": key_indicators,
            "assessments": assessments,
        },
    )
