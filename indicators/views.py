from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from meetings import quotes
from sco_tracker.tracking.exports import export_row_of, record_json
from sco_tracker.tracking.public import attach_revision_info, get_published_or_404
from sco_tracker.tracking.views import FilteredListView, detail_format, permanent_link

from .charts import build_chart
from .filters import FigureFilter, IndicatorFilter
from .models import MULTIPLIER_WORDS, Figure, Indicator, unit_symbol

FIGURES_PER_PAGE = 50
CHART_POINTS = 300

FIGURE_FIELDS = {
    "id": ("integer", _("The figure's number on this site.")),
    "url": ("string", _("Its page (at the moment of the export).")),
    "indicator": ("string", _("The indicator's key (slug).")),
    "indicator_name": ("string", _("What is measured.")),
    "scope": ("string", _("Whom the number is about: country, sco or world.")),
    "country": ("string", _("ISO 3166 code of the country, when the subject is a country.")),
    "value": ("number", _("The number as stated, before the multiplier.")),
    "unit_multiplier": ("integer", _("Power of ten of the value (9: billions).")),
    "unit": ("string", _("ISO 4217 currency code, %, t, km, h, d, persons, times or count.")),
    "comparator": (
        "string",
        _("How the number was qualified: exact, approximately, more_than, nearly…"),
    ),
    "comparator_words": ("string", _("The comparator in words.")),
    "value_as_read": ("string", _("The number as the site shows it, with comparator and unit.")),
    "observation_status": (
        "string",
        _("actual, estimate, provisional, forecast or target (after SDMX OBS_STATUS)."),
    ),
    "fraction": ("string", _("A share stated as a fraction (1/3), when it was.")),
    "period_start": ("date", _("First day of the period the number refers to.")),
    "period_end": ("date", _("Last day of the period.")),
    "period_label": ("string", _("The period as the editors read it (English).")),
    "period_label_ru": ("string", _("The period in Russian.")),
    "base_value": ("number", _("For “from A to B”: A, in the same unit and multiplier.")),
    "base_period_start": ("date", _("First day of the base period.")),
    "base_period_end": ("date", _("Last day of the base period.")),
    "base_period_label": ("string", _("The base period.")),
    "as_stated": ("string", _("The number in the source's own words.")),
    "quote": ("string", _("The sentence stating it, verbatim.")),
    "quote_verified": (
        "boolean",
        _(
            "Whether the quote is found verbatim in the source's archived text (up to "
            "spacing, quotation marks and dashes); empty when no text is on file."
        ),
    ),
    "note": ("string", _("How the editors read the statement (English).")),
    "note_ru": ("string", _("The editors' note in Russian.")),
    "stated_by": ("string", _("Who stated it, when the source says.")),
    "estimate_by": ("string", _("Whose estimate the speaker quoted.")),
    "meeting": ("string", _("The meeting's key (slug).")),
    "meeting_title": ("string", _("The meeting where it was stated.")),
    "source_title": ("string", _("The source document.")),
    "source_publisher": ("string", _("Who published it.")),
    "source_published_on": ("date", _("When, if the document says.")),
    "source_url": ("string", _("Where it is published, if it has an address.")),
    "source_page": (
        "string",
        _("The source's page on this site: its archived text, with the quote highlighted."),
    ),
    "revisions": ("integer", _("Public revisions of the figure, as its page counts them.")),
    "last_revised": ("datetime", _("When it was last revised in public.")),
}


class IndicatorListView(FilteredListView):
    model = Indicator
    related = ("topic",)
    filterset_class = IndicatorFilter
    template_name = "indicators/indicator_list.html"
    export_name = "indicators"
    export_columns = (
        "id",
        "url",
        "slug",
        "name",
        "definition",
        "measure_kind",
        "default_unit",
        "default_unit_multiplier",
        "topic",
        "figures",
        "revisions",
        "last_revised",
    )

    def get_queryset(self):
        return super().get_queryset().with_figure_count()

    def export_row(self, indicator):
        return {
            "id": indicator.pk,
            "url": self.absolute(indicator),
            "slug": indicator.slug,
            "name": indicator.name,
            "definition": indicator.definition,
            "measure_kind": indicator.measure_kind,
            "default_unit": indicator.default_unit,
            "default_unit_multiplier": indicator.default_unit_multiplier,
            "topic": indicator.topic.slug if indicator.topic else None,
            "figures": indicator.figure_count,
            "revisions": indicator.revision_count,
            "last_revised": indicator.last_revised,
        }


class FigureListView(FilteredListView):
    model = Figure
    related = ("indicator", "country", "stated_by", "meeting", "source")
    group_field = "indicator_id"  # the list's order keeps an indicator's figures together
    filterset_class = FigureFilter
    template_name = "indicators/figure_list.html"
    export_name = "figures"
    export_title = _("Figures cited at SCO meetings, as stated")
    export_columns = tuple(FIGURE_FIELDS)
    export_fields = FIGURE_FIELDS

    def get_queryset(self):
        return super().get_queryset().with_normalised_value()

    @cached_property
    def quote_checks(self) -> dict:
        """An export checks each source and quote once, whatever the number of rows (the
        admin's export calls ``export_row`` on a view it builds itself)."""
        return {}

    @cached_property
    def source_pages(self) -> dict:
        """Each source's address, built once per export (a thousand sources serve ten
        thousand rows)."""
        return {}

    def export_row(self, figure):
        source = figure.source
        if source.pk not in self.source_pages:
            self.source_pages[source.pk] = self.absolute(source)
        source_page = self.source_pages[source.pk]
        return figure_row(figure, self.absolute(figure), source_page, self.quote_checks)


def figure_row(figure, url, source_page, checks=None) -> dict:
    """One figure as exports give it: the number and how it was stated, what kind of
    number it is, its period, who stated it where, and the source to cite (with its page
    here, at the same moment)."""
    source = figure.source
    return {
        "id": figure.pk,
        "url": url,
        "indicator": figure.indicator.slug,
        "indicator_name": figure.indicator.name,
        "scope": figure.scope,
        "country": figure.country.code if figure.country else None,
        "value": figure.value,
        "unit_multiplier": figure.unit_multiplier,
        "unit": figure.unit,
        "comparator": figure.comparator,
        "comparator_words": str(figure.get_comparator_display()),
        "value_as_read": figure.display_value,
        "observation_status": figure.observation_status,
        "fraction": (
            f"{figure.fraction_numerator}/{figure.fraction_denominator}"
            if figure.fraction_numerator
            else None
        ),
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "period_label": figure.period_label,
        "period_label_ru": figure.period_label_ru or None,
        "base_value": figure.base_value,
        "base_period_start": figure.base_period_start,
        "base_period_end": figure.base_period_end,
        "base_period_label": figure.base_period_label,
        "as_stated": figure.as_stated,
        "quote": figure.quote,
        "quote_verified": quote_verified(figure.quote, source, checks),
        "note": figure.note or None,
        "note_ru": figure.note_ru or None,
        "stated_by": figure.stated_by.name if figure.stated_by else None,
        "estimate_by": figure.estimate_by or None,
        "meeting": figure.meeting.slug if figure.meeting else None,
        "meeting_title": figure.meeting.title if figure.meeting else None,
        "source_title": source.title,
        "source_publisher": source.publisher,
        "source_published_on": source.published_on,
        "source_url": source.url or None,
        "source_page": source_page,
        "revisions": figure.revision_count,
        "last_revised": figure.last_revised,
    }


def quote_verified(quote: str, source, checks=None) -> bool | None:
    """Whether the quote appears verbatim in the source's archived text (None: no text on
    file to check it against). ``checks`` keeps the answers of one export."""
    if checks is None:
        return quotes.quote_verified(quote, source)
    key = (source.pk, quote)
    if key not in checks:
        checks[key] = quotes.quote_verified(quote, source)
    return checks[key]


def indicator_detail(request, slug):
    output = detail_format(request)
    as_of = request.as_of
    indicators = Indicator.objects.published(as_of=as_of).with_related("topic")
    if output == "json":  # the list export's fields, for this one record
        indicator = get_published_or_404(indicators.with_figure_count(), slug=slug)
        attach_revision_info([indicator], as_of)
        return record_json(export_row_of(IndicatorListView, request, indicator))
    indicator = get_published_or_404(indicators, slug=slug)
    published = Figure.objects.published(as_of=as_of).filter(indicator_id=indicator.pk)
    # The table is paginated, keys first (the page's rows alone are read whole); the
    # chart draws the most recent CHART_POINTS figures: an indicator with thousands of
    # figures costs what one with a hundred does.
    paginator = Paginator(
        published.order_by("-period_end", "country__name_en", "id").values_list("pk", flat=True),
        FIGURES_PER_PAGE,
    )
    page = paginator.get_page(request.GET.get("page"))
    keys = list(page.object_list)
    rows = published.filter(pk__in=keys).with_related("country", "stated_by", "source", "meeting")
    found = {figure.pk: figure for figure in rows.instances()}
    page.object_list = [found[key] for key in keys if key in found]
    attach_revision_info(page.object_list, as_of)
    charted = published.with_related("country").order_by("-period_end", "-id")
    charted = list(reversed(charted[:CHART_POINTS].instances()))
    unit_label = " ".join(
        part
        for part in (
            str(MULTIPLIER_WORDS.get(indicator.default_unit_multiplier, "")),
            unit_symbol(indicator.default_unit),
        )
        if part
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "page_obj": page,
            "figures": page.object_list,
            "figure_count": paginator.count,
            "charted_count": len(charted),
            "chart": build_chart(indicator, charted, unit_label),
            "unit_label": unit_label,
        },
    )


def figure_detail(request, pk):
    output = detail_format(request)
    figure = get_published_or_404(
        Figure.objects.published(as_of=request.as_of)
        .with_related("indicator", "country", "stated_by", "meeting", "source")
        .with_revision_info(),
        id=pk,
    )
    permalink = permanent_link(request, figure)
    if output == "json":
        # The source's page at the moment of the figure's permanent link.
        moment = request.as_of or figure.last_revised
        query = "?" + urlencode({"as_of": moment.isoformat()}) if moment else ""
        source_page = request.build_absolute_uri(figure.source.get_absolute_url() + query)
        return record_json(figure_row(figure, permalink, source_page))
    return render(
        request,
        "indicators/figure_detail.html",
        {"figure": figure, "permalink": permalink, "retrieved": timezone.now()},
    )
