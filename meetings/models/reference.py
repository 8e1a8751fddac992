"""Reference records the rest cites: topics, countries, people and sources (a source keeps
its full text, so quotes can be checked against it)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Upper
from django.utils.translation import gettext_lazy as _

from sco_tracker.localized import localized
from sco_tracker.tracking.models import TrackedModel

from ..quotes import closest_passage, mismatch_error, quote_found
from ..quotes import normalise_space as normalise_space  # kept importable from here

# Lets constraints say ``code__length=2``.
models.CharField.register_lookup(Length)


def check_quote_in_source(quote: str, source: "Source | None") -> None:
    """A quote must appear verbatim in its source's text (when the text is on file), up
    to whitespace, quotation marks and dashes; if not, the error shows the closest
    passage and the first character where the two differ."""
    if not (quote and source is not None and source.text):
        return
    if not quote_found(quote, source):
        raise ValidationError(
            {"quote": mismatch_error(source, closest_passage(quote, source.text))}
        )


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
        url_name = "meetings:country_detail"
        history_url_name = "meetings:country_history"
        url_field = "code"
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
        url_name = "meetings:source_detail"
        search_fields = ["title", "publisher"]

    def __str__(self):
        return self.title
