"""Meetings of SCO bodies, their sessions (formats) and the delegations that came."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sco_tracker.localized import localized
from sco_tracker.tracking.constraints import FieldCheckConstraint
from sco_tracker.tracking.models import PublishableModel, TrackedModel
from sco_tracker.tracking.public import TrackedQuerySet

from .reference import Country, Person, Source, Topic


class MeetingQuerySet(TrackedQuerySet):
    def in_year(self, year: int):
        return self.filter(start_date__year__lte=year, end_date__year__gte=year)

    def with_participant(self, country_code: str):
        countries = self.at_same_time(Country).filter(code=country_code.upper()).values("id")
        return self.related_to("delegations__country", countries)


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
            FieldCheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="meeting_ends_after_start",
                field="end_date",
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
    def picker_label(self) -> str:
        """In the admin's pickers, with its dates: meetings of one body share a title."""
        start, end = self.start_date, self.end_date
        if start is None:
            return str(self)
        dates = start.isoformat() if start == end or end is None else f"{start}–{end}"
        return f"{self} ({dates})"

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
