"""Who met, where and when, and what they committed to.

Every model here is a ``TrackedModel``: each change is a revision with user, time and
reason. Texts that readers see come in English and Russian (``*_en``/``*_ru``); quotes
stay in the language of their source.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Upper
from django.utils.translation import gettext_lazy as _

from sco_tracker.localized import localized
from sco_tracker.tracking.models import PublishableModel, TrackedModel
from sco_tracker.tracking.public import TrackedQuerySet

# Lets constraints say ``code__length=2``.
models.CharField.register_lookup(Length)


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def check_quote_in_source(quote: str, source: "Source | None") -> None:
    """A quote must appear verbatim in its source's text (when the text is on file)."""
    if not (quote and source is not None and source.text):
        return
    if normalise_space(quote) not in normalise_space(source.text):
        raise ValidationError(
            {
                "quote": _(
                    "This quote does not appear verbatim in the text of “%(source)s”. "
                    "Copy it exactly from the source."
                )
                % {"source": source.title}
            }
        )


class MeetingQuerySet(TrackedQuerySet):
    def in_year(self, year: int):
        return self.filter(start_date__year__lte=year, end_date__year__gte=year)

    def with_participant(self, country_code: str):
        countries = self.at_same_time(Country).filter(code=country_code.upper()).values("id")
        return self.related_to("delegations__country", countries)


class CommitmentQuerySet(TrackedQuerySet):
    def with_country(self, country_code: str):
        countries = self.at_same_time(Country).filter(code=country_code.upper()).values("id")
        return self.related_to("countries", countries)


class Topic(TrackedModel):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name_en"]

    class Tracking:
        search_fields = ["name_en", "name_ru"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class ScoStatus(models.TextChoices):
    MEMBER_STATE = "member_state", _("member state")
    OBSERVER = "observer", _("observer state")
    DIALOGUE_PARTNER = "dialogue_partner", _("dialogue partner")
    PARTNER = "partner", _("SCO partner")
    NONE = "none", _("no SCO status")


class Country(TrackedModel):
    code = models.CharField(
        _("ISO 3166 alpha-2 code"),
        max_length=2,
        unique=True,
        help_text=_("Two capital letters, e.g. KZ for Kazakhstan."),
    )
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    sco_status = models.CharField(
        _("SCO status"), max_length=20, choices=ScoStatus.choices, default=ScoStatus.NONE
    )
    sco_status_since = models.DateField(
        _("SCO status since"),
        null=True,
        blank=True,
        help_text=_("Date the current SCO status took effect."),
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__length=2) & Q(code=Upper("code")),
                name="country_code_two_capitals",
                violation_error_message=_("The code must be two capital letters (ISO 3166)."),
            ),
            models.CheckConstraint(
                condition=Q(sco_status__in=ScoStatus.values), name="country_sco_status_valid"
            ),
        ]

    class Tracking:
        search_fields = ["code", "name_en", "name_ru"]
        changes_filters = {"country": "code"}

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    def clean(self):
        if self.code:
            self.code = self.code.upper()


class Person(TrackedModel):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name_en = models.CharField(_("full name (English)"), max_length=150)
    name_ru = models.CharField(_("full name (Russian)"), max_length=150)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_en"]

    class Tracking:
        search_fields = ["name_en", "name_ru"]
        changes_filters = {"country": "country__code"}

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Language(models.TextChoices):
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    CHINESE = "zh", _("Chinese")
    KAZAKH = "kk", _("Kazakh")
    KYRGYZ = "ky", _("Kyrgyz")
    UZBEK = "uz", _("Uzbek")
    TAJIK = "tg", _("Tajik")


class Source(TrackedModel):
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200)
    url = models.URLField(
        _("URL"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty if the document has no public address."),
    )
    published_on = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Only if the document states it; never guess."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.RUSSIAN
    )
    text = models.TextField(
        _("full text"),
        blank=True,
        help_text=_("The document as published. When present, quotes are checked against it."),
    )
    notes = models.TextField(_("editorial notes"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_url_unique_when_present",
                violation_error_message=_("Another source already has this URL."),
            ),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="source_language_valid"
            ),
        ]

    class Tracking:
        search_fields = ["title", "publisher"]

    def __str__(self):
        return self.title


class MeetingBody(models.TextChoices):
    HEADS_OF_STATE = "heads_of_state", _("Council of Heads of State")
    HEADS_OF_GOVERNMENT = "heads_of_government", _("Council of Heads of Government")
    FOREIGN_MINISTERS = "foreign_ministers", _("Council of Ministers of Foreign Affairs")
    DEFENCE_MINISTERS = "defence_ministers", _("Meeting of Defence Ministers")
    ECONOMY_MINISTERS = "economy_ministers", _("Meeting of Ministers of Economy and Trade")
    NATIONAL_COORDINATORS = "national_coordinators", _("Council of National Coordinators")
    OTHER = "other", _("other meeting")


class Meeting(PublishableModel):
    objects = MeetingQuerySet.as_manager()

    body = models.CharField(_("body"), max_length=40, choices=MeetingBody.choices)
    number = models.PositiveSmallIntegerField(
        _("ordinal number"),
        null=True,
        blank=True,
        help_text=_("24 for the 24th meeting of this body; empty if not numbered."),
    )
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_ru = models.CharField(_("title (Russian)"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    city_en = models.CharField(_("city (English)"), max_length=100)
    city_ru = models.CharField(_("city (Russian)"), max_length=100)
    host_country = models.ForeignKey(
        Country, verbose_name=_("host country"), on_delete=models.PROTECT, related_name="hosted"
    )
    chair = models.ForeignKey(
        Person,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_chaired",
    )
    chair_office_en = models.CharField(
        _("chair's office at the time (English)"), max_length=200, blank=True
    )
    chair_office_ru = models.CharField(
        _("chair's office at the time (Russian)"), max_length=200, blank=True
    )
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    documents_signed_en = models.TextField(
        _("documents signed (English)"),
        blank=True,
        help_text=_("As the sources describe them; one per line."),
    )
    documents_signed_ru = models.TextField(_("documents signed (Russian)"), blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics discussed"), blank=True, related_name="meetings"
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="meetings"
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start_date", "title_en"]
        permissions = [("publish_meeting", _("Can publish and withdraw meetings"))]
        constraints = [
            PublishableModel.state_constraint("meeting"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["body", "number"],
                condition=Q(number__isnull=False),
                name="meeting_number_unique_per_body",
                violation_error_message=_("This body already has a meeting with this number."),
            ),
            models.CheckConstraint(
                condition=Q(body__in=MeetingBody.values), name="meeting_body_valid"
            ),
        ]

    class Tracking:
        url_name = "meetings:meeting_detail"
        history_url_name = "meetings:meeting_history"
        url_field = "slug"
        m2m_fields = ["topics", "sources"]
        changes_filters = {"country": ["host_country__code", "delegations__country__code"]}
        search_fields = [
            "title_en",
            "title_ru",
            "city_en",
            "city_ru",
            "summary_en",
            "summary_ru",
            "documents_signed_en",
            "documents_signed_ru",
        ]
        search_related = [
            ("host_country", "meetings.Country"),
            ("delegations__country", "meetings.Country"),
            ("topics", "meetings.Topic"),
            ("chair", "meetings.Person"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def city(self) -> str:
        return localized(self, "city")

    @property
    def chair_office(self) -> str:
        return localized(self, "chair_office")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def documents_signed(self) -> list[str]:
        return [line for line in localized(self, "documents_signed").splitlines() if line.strip()]


class SessionFormat(models.TextChoices):
    NARROW = "narrow", _("narrow format")
    EXPANDED = "expanded", _("expanded format")
    WITH_HEAD_OF_STATE = "with_head_of_state", _("meeting with the host head of state")
    PLENARY = "plenary", _("plenary session")
    OTHER = "other", _("other")


class Session(TrackedModel):
    """One format within a meeting (narrow, expanded, a meeting with the host's president…)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="sessions"
    )
    format = models.CharField(_("format"), max_length=30, choices=SessionFormat.choices)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=250, blank=True)
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Only if a source states it.")
    )
    with_person = models.ForeignKey(
        Person,
        verbose_name=_("held with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions_hosted",
        help_text=_("For a meeting with the host head of state: who received the delegations."),
    )
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["meeting", "date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=SessionFormat.values), name="session_format_valid"
            ),
        ]

    class Tracking:
        public_parents = ["meeting"]
        page_parent = "meeting"

    def __str__(self):
        return self.title or str(self.get_format_display())

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    def clean(self):
        if self.date and self.meeting_id:
            meeting = self.meeting
            if not meeting.start_date <= self.date <= meeting.end_date:
                raise ValidationError(
                    {"date": _("The session date must fall within the meeting's dates.")}
                )


class Delegation(TrackedModel):
    """A country's delegation to a meeting, with its head's office as held at the time."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="delegations"
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="delegations"
    )
    head = models.ForeignKey(
        Person,
        verbose_name=_("head of delegation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_led",
    )
    head_office_en = models.CharField(
        _("head's office at the time (English)"), max_length=200, blank=True
    )
    head_office_ru = models.CharField(
        _("head's office at the time (Russian)"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["meeting", "country__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "country"],
                name="delegation_one_per_country",
                violation_error_message=_("This country already has a delegation at the meeting."),
            ),
        ]

    class Tracking:
        public_parents = ["meeting"]
        page_parent = "meeting"
        changes_filters = {"country": "country__code"}

    def __str__(self):
        return f"{self.country} — {self.meeting}"

    @property
    def head_office(self) -> str:
        return localized(self, "head_office")


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

    def status_timeline(self, as_of=None) -> list[dict]:
        """Each status the commitment has had in public (up to ``as_of``): since when, and
        why."""
        timeline = []
        revisions = Commitment.history.filter(id=self.pk).exclude(history_type="-").public()
        if as_of is not None:
            revisions = revisions.filter(history_date__lte=as_of)
        for revision in revisions.order_by("history_date", "history_id"):
            if timeline and timeline[-1]["status"] == revision.status:
                continue
            timeline.append(
                {
                    "status": revision.status,
                    "label": CommitmentStatus(revision.status).label,
                    "since": revision.history_date,
                    "reason": revision.history_change_reason,
                }
            )
        return timeline


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
