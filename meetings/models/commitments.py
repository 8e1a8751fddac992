"""What governments committed to at a meeting, and the verbatim quotes that say so."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sco_tracker.localized import localized
from sco_tracker.tracking.models import PublishableModel, TrackedModel
from sco_tracker.tracking.public import TrackedQuerySet

from .meetings import Meeting
from .reference import Country, Person, Source, Topic, check_quote_in_source


class CommitmentQuerySet(TrackedQuerySet):
    def with_country(self, country_code: str):
        countries = self.at_same_time(Country).filter(code=country_code.upper()).values("id")
        return self.related_to("countries", countries)


class CommitmentKind(models.TextChoices):
    PROPOSAL = "proposal", _("proposal")
    PLEDGE = "pledge", _("pledge")
    JOINT_DECISION = "joint_decision", _("joint decision")
    SUPPORT = "support", _("statement of support")
    NATIONAL_PROJECT = "national_project", _("national project reported")


class CommitmentStatus(models.TextChoices):
    """The fixed status scale, in the order a commitment normally moves through it."""

    PROPOSED = "proposed", _("proposed")
    IN_PROGRESS = "in_progress", _("in progress")
    ACHIEVED = "achieved", _("achieved")
    STALLED = "stalled", _("stalled")
    DROPPED = "dropped", _("dropped")


COMMITMENT_STATUS_HELP = _(
    "proposed: announced or put forward, no implementation reported; "
    "in progress: implementation under way; achieved: reported done; "
    "stalled: no progress reported for a long time; dropped: abandoned."
)


class Commitment(PublishableModel):
    objects = CommitmentQuerySet.as_manager()

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="commitments"
    )
    title_en = models.CharField(_("what (English)"), max_length=300)
    title_ru = models.CharField(_("what (Russian)"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=CommitmentKind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.PROPOSED,
        help_text=COMMITMENT_STATUS_HELP,
    )
    status_since = models.DateField(
        _("status since"),
        null=True,
        blank=True,
        help_text=_(
            "When the status took effect in the world, as the source states it (not when "
            "it is recorded here). Leave empty if no source gives a date."
        ),
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="commitments"
    )
    people = models.ManyToManyField(
        Person, verbose_name=_("people"), blank=True, related_name="commitments"
    )
    target_date = models.DateField(
        _("target date"), null=True, blank=True, help_text=_("Only where a source states one.")
    )
    notes = models.TextField(_("editorial notes"), blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-meeting__start_date", "id"]
        permissions = [("publish_commitment", _("Can publish and withdraw commitments"))]
        constraints = [
            PublishableModel.state_constraint("commitment"),
            models.CheckConstraint(
                condition=Q(kind__in=CommitmentKind.values), name="commitment_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CommitmentStatus.values), name="commitment_status_valid"
            ),
        ]

    class Tracking:
        public_parents = ["meeting"]
        url_name = "meetings:commitment_detail"
        history_url_name = "meetings:commitment_history"
        m2m_fields = ["countries", "people"]
        changes_filters = {"country": "countries__code"}
        search_fields = ["title_en", "title_ru", "notes"]
        search_related = [
            ("quotes", "meetings.CommitmentQuote"),
            ("countries", "meetings.Country"),
            ("people", "meetings.Person"),
            ("topic", "meetings.Topic"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    def clean(self):
        if self.status_since and self.status_since > timezone.localdate():
            raise ValidationError(
                {"status_since": _("A status cannot have taken effect in the future.")}
            )

    def status_timeline(self, as_of=None) -> list[dict]:
        """Each status the commitment has had in public (up to ``as_of``): since when in the
        world (``status_since``, None when no source dates it), when it was recorded here,
        and why — ordered by the date in the world (a status without one keeps its place
        after the status recorded before it). A later correction of a status's date
        replaces the date shown."""
        timeline = []
        revisions = Commitment.history.filter(id=self.pk).exclude(history_type="-").public()
        if as_of is not None:
            revisions = revisions.filter(history_date__lte=as_of)
        for revision in revisions.order_by("history_date", "history_id"):
            if timeline and timeline[-1]["status"] == revision.status:
                if revision.status_since != timeline[-1]["since"]:
                    timeline[-1]["since"] = revision.status_since
                continue
            timeline.append(
                {
                    "status": revision.status,
                    "label": CommitmentStatus(revision.status).label,
                    "since": revision.status_since,
                    "recorded": revision.history_date,
                    "reason": revision.history_change_reason,
                }
            )

        # A status the sources do not date stays after those recorded before it.
        latest = datetime.date.min
        for step in timeline:
            latest = max(latest, step["since"] or latest)
            step["order"] = step["since"] or latest
        return sorted(timeline, key=lambda step: step["order"])


class CommitmentQuote(TrackedModel):
    """Where a commitment is stated: the source and its words, verbatim."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="quotes"
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="quotes"
    )
    quote = models.TextField(_("verbatim quote"), help_text=_("In the source's own language."))

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["commitment", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(quote=""), name="commitment_quote_not_empty"),
            models.UniqueConstraint(
                fields=["commitment", "source"],
                name="commitment_quote_one_per_source",
                violation_error_message=_(
                    "This source is already quoted for the commitment; edit that quote."
                ),
            ),
        ]

    class Tracking:
        public_parents = ["commitment"]
        page_parent = "commitment"
        search_fields = ["quote"]

    def __str__(self):
        return f"{self.source}: «{self.quote[:60]}»"

    def clean(self):
        check_quote_in_source(self.quote, self.source if self.source_id else None)
