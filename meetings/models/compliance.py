"""Whether commitments are kept: per-country compliance assessments, in the G20 Research
Group's manner, and the evidence behind each score.

An **assessment** scores one commitment for one country over a stated period: −1 (no
compliance), 0 (partial compliance or work in progress) or +1 (full compliance), with a
justification in English and Russian. It has its own publication state and is public only
while its commitment is. **Evidence** rows back it: a source with its verbatim words
(checked against the source's text when on file), or a web address with its date. A
published assessment always has evidence.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from sco_tracker.localized import localized
from sco_tracker.tracking.constraints import FieldCheckConstraint
from sco_tracker.tracking.diffs import Change
from sco_tracker.tracking.models import PublishableModel, TrackedModel
from sco_tracker.tracking.states import PublicationState

from .commitments import Commitment
from .reference import Country, ScoStatus, Source, check_quote_in_source


class ComplianceScore(models.IntegerChoices):
    """The G20 Research Group's scale."""

    NONE = -1, _("no compliance")
    PARTIAL = 0, _("partial compliance or work in progress")
    FULL = 1, _("full compliance")


# Never colour alone: each score is shown with a symbol, its number and words.
SCORE_SYMBOLS = {ComplianceScore.FULL: "✓", ComplianceScore.PARTIAL: "◐", ComplianceScore.NONE: "✗"}
SCORE_NUMBERS = {
    ComplianceScore.FULL: "+1",
    ComplianceScore.PARTIAL: "0",
    ComplianceScore.NONE: "−1",
}
SCORE_SHORT = {
    ComplianceScore.FULL: _("full"),
    ComplianceScore.PARTIAL: _("partial"),
    ComplianceScore.NONE: _("none"),
}
SCORE_CSS = {
    ComplianceScore.FULL: "full",
    ComplianceScore.PARTIAL: "partial",
    ComplianceScore.NONE: "none",
}
COMPLIANCE_SCORE_HELP = _(
    "+1: the commitment is met in full; 0: partly met, or work under way; "
    "−1: not met, or action against it."
)


def score_text(score) -> str:
    """“✓ +1 full compliance”: symbol, number and words."""
    try:
        score = ComplianceScore(score)
    except ValueError:
        return "—" if score in (None, "") else str(score)
    return f"{SCORE_SYMBOLS[score]} {SCORE_NUMBERS[score]} {score.label}"


def period_text(start, end) -> str:
    return f"{formats.date_format(start, 'j E Y')} – {formats.date_format(end, 'j E Y')}"


class Assessment(PublishableModel):
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text=_(
            "An SCO member state, or another country where the commitment names it "
            "(an observer or partner)."
        ),
    )
    period_start = models.DateField(_("assessment period from"))
    period_end = models.DateField(_("assessment period to"))
    period_label = models.CharField(
        _("assessment period"),
        max_length=100,
        help_text=_(
            "Shown as it is on both the English and the Russian pages: keep it "
            "language-neutral, e.g. “2025–26”."
        ),
    )
    score = models.SmallIntegerField(
        _("score"), choices=ComplianceScore.choices, help_text=COMPLIANCE_SCORE_HELP
    )
    justification_en = models.TextField(
        _("justification (English)"), help_text=_("Why this score, in a few sentences.")
    )
    justification_ru = models.TextField(_("justification (Russian)"))

    class Meta:
        verbose_name = _("compliance assessment")
        verbose_name_plural = _("compliance assessments")
        ordering = ["-period_end", "commitment", "country__name_en", "id"]
        permissions = [("publish_assessment", _("Can publish and withdraw compliance assessments"))]
        constraints = [
            PublishableModel.state_constraint("assessment"),
            models.CheckConstraint(
                condition=Q(score__in=ComplianceScore.values), name="assessment_score_valid"
            ),
            FieldCheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="assessment_period_ends_after_start",
                field="period_end",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["commitment", "country", "period_start", "period_end"],
                name="assessment_one_per_commitment_country_period",
                violation_error_message=_(
                    "This country already has an assessment of this commitment for this "
                    "period: edit that one."
                ),
            ),
        ]

    class Tracking:
        public_parents = ["commitment"]
        page_parent = "commitment"
        changes_filters = {"country": "country__code"}
        search_fields = ["justification_en", "justification_ru", "period_label"]
        search_related = [("commitment", "meetings.Commitment"), ("country", "meetings.Country")]

    def __str__(self):
        country = self.country if self.country_id else "—"
        return f"{country}, {self.period_label}: {score_text(self.score)}"

    def get_absolute_url(self):
        url = super().get_absolute_url()
        return f"{url}#assessment-{self.pk}" if url else ""

    @property
    def justification(self) -> str:
        return localized(self, "justification")

    @property
    def score_symbol(self) -> str:
        return SCORE_SYMBOLS[ComplianceScore(self.score)]

    @property
    def score_number(self) -> str:
        return SCORE_NUMBERS[ComplianceScore(self.score)]

    @property
    def score_short(self) -> str:
        return str(SCORE_SHORT[ComplianceScore(self.score)])

    @property
    def score_css(self) -> str:
        return SCORE_CSS[ComplianceScore(self.score)]

    @property
    def period_key(self) -> str:
        """The period as an ISO 8601 interval, ``2025-11-18/2026-06-30`` (the filter's key)."""
        return f"{self.period_start.isoformat()}/{self.period_end.isoformat()}"

    @property
    def period_dates(self) -> str:
        return period_text(self.period_start, self.period_end)

    @classmethod
    def describe_revision_changes(cls, old, new):
        """In a revision the score reads whole: “◐ 0 partial… → ✓ +1 full compliance”."""
        if old.score == new.score:
            return [], {"score"}
        return [Change(str(_("Score")), score_text(old.score), score_text(new.score))], {"score"}

    def clean(self):
        if self.country_id and self.commitment_id:
            named = self.commitment.countries.filter(pk=self.country_id).exists()
            if self.country.sco_status != ScoStatus.MEMBER_STATE and not named:
                raise ValidationError(
                    {
                        "country": _(
                            "%(country)s is not an SCO member state and the commitment does "
                            "not name it: only members, and countries a commitment names, "
                            "are assessed."
                        )
                        % {"country": self.country}
                    }
                )
        if self.state == PublicationState.PUBLISHED and self.pk and not self.evidence.exists():
            raise ValidationError(
                _(
                    "A published assessment needs evidence: add at least one piece (a source "
                    "and its words, or a web address and its date)."
                )
            )


class Evidence(TrackedModel):
    """What an assessment rests on: a source and its words, or a web page and its date."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("compliance assessment"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    quote = models.TextField(
        _("verbatim quote"),
        blank=True,
        help_text=_("The source's own words; checked against its text when it is on file."),
    )
    url = models.URLField(_("web address"), max_length=500, blank=True)
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("When the page or document said it (its date, or the day it was read)."),
    )
    title = models.CharField(
        _("what it is"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “Ministry of Transport, annual report 2025”; the link's text."),
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["assessment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source__isnull=False) & ~Q(quote=""))
                | (~Q(url="") & Q(date__isnull=False)),
                name="evidence_quote_or_dated_address",
                violation_error_message=_(
                    "Give a source and its verbatim words, or a web address and its date."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(source__isnull=True) | ~Q(quote=""),
                name="evidence_source_quoted",
                field="quote",
                violation_error_message=_("Quote the source's words."),
            ),
            FieldCheckConstraint(
                condition=Q(quote="") | Q(source__isnull=False),
                name="evidence_quote_has_source",
                field="source",
                violation_error_message=_("Name the source these words are from."),
            ),
        ]

    class Tracking:
        public_parents = ["assessment"]
        page_parent = "assessment"
        changes_filters = {"country": "assessment__country__code"}
        search_fields = ["quote", "title"]

    def __str__(self):
        if self.source_id:
            return f"{self.source}: «{self.quote[:60]}»"
        return self.title or self.url

    @property
    def link_text(self) -> str:
        return self.title or (str(self.source) if self.source_id else self.url)

    def clean(self):
        check_quote_in_source(self.quote, self.source if self.source_id else None)
