"""Indicators and figures in import and export files (``TrackedResource``): the public
exports' columns (``views``), with the editorial ones besides — texts in both languages,
notes, the publication state; related records named by their natural keys."""

from django.utils.translation import gettext_lazy as _

from meetings.models import Country, Meeting, Person, Source, Topic
from sco_tracker.tracking.importing.resources import TrackedResource
from sco_tracker.tracking.importing.widgets import (
    ChoiceWidget,
    Column,
    DateWidget,
    KeyWidget,
    NumberWidget,
)

from .models import (
    Comparator,
    Figure,
    Indicator,
    MeasureKind,
    ObservationStatus,
    Scope,
    Unit,
    UnitMultiplier,
)
from .views import FigureListView, IndicatorListView

# Words an editor may write for the multiplier (any case), besides 0, 3, 6, 9 and 12.
MULTIPLIER_WORDS = {
    3: ["тыс", "тыс.", "тысяч", "тысячи", "thousand", "thousands", "k"],
    6: ["млн", "млн.", "миллион", "миллиона", "миллионов", "million", "millions", "m", "mn"],
    9: ["млрд", "млрд.", "миллиард", "миллиарда", "миллиардов", "billion", "billions", "bn"],
    12: ["трлн", "трлн.", "триллион", "триллиона", "триллионов", "trillion", "trillions", "tn"],
}
MULTIPLIER_ALIASES = {word: power for power, words in MULTIPLIER_WORDS.items() for word in words}


def multiplier_widget():
    return ChoiceWidget(
        UnitMultiplier.choices,
        aliases=MULTIPLIER_ALIASES,
        blank=UnitMultiplier.UNITS,
        hint=_("or a word: тыс., млн, млрд, трлн, thousand, million, bn, m; empty for units"),
    )


class IndicatorResource(TrackedResource):
    slug = Column("slug", required=True)
    name_en = Column("name_en", required=True)
    name_ru = Column("name_ru", required=True)
    definition_en = Column("definition_en")
    definition_ru = Column("definition_ru")
    measure_kind = Column("measure_kind", ChoiceWidget(MeasureKind.choices), required=True)
    default_unit = Column("default_unit", ChoiceWidget(Unit.choices), required=True)
    default_unit_multiplier = Column("default_unit_multiplier", multiplier_widget())
    topic = Column("topic", KeyWidget(Topic, ["slug"]))

    public_view = IndicatorListView
    example = {"slug": "trade-with-sco-members"}
    related = ("topic",)

    class Meta:
        model = Indicator
        import_id_fields = ("slug",)
        fields = export_order = (
            "slug",
            "name_en",
            "name_ru",
            "definition_en",
            "definition_ru",
            "measure_kind",
            "default_unit",
            "default_unit_multiplier",
            "topic",
            "state",
        )


class FigureResource(TrackedResource):
    indicator = Column("indicator", KeyWidget(Indicator, ["slug"]), required=True)
    scope = Column("scope", ChoiceWidget(Scope.choices, blank=Scope.COUNTRY))
    country = Column("country", KeyWidget(Country, ["code"], upper=True))
    value = Column("value", NumberWidget(), required=True)
    unit_multiplier = Column("unit_multiplier", multiplier_widget())
    unit = Column("unit", ChoiceWidget(Unit.choices), required=True)
    comparator = Column("comparator", ChoiceWidget(Comparator.choices, blank=Comparator.EXACT))
    observation_status = Column(
        "observation_status",
        ChoiceWidget(ObservationStatus.choices, blank=ObservationStatus.ACTUAL),
    )
    period_start = Column("period_start", DateWidget())
    period_end = Column("period_end", DateWidget())
    period_label = Column("period_label", required=True)
    period_label_ru = Column("period_label_ru")
    base_value = Column("base_value", NumberWidget())
    base_period_start = Column("base_period_start", DateWidget())
    base_period_end = Column("base_period_end", DateWidget())
    base_period_label = Column("base_period_label")
    as_stated = Column("as_stated", required=True)
    quote = Column("quote")
    note = Column("note")
    note_ru = Column("note_ru")
    stated_by = Column(
        "stated_by", KeyWidget(Person, ["slug", "name_en", "name_ru"], render_field="name")
    )
    estimate_by = Column("estimate_by")
    meeting = Column("meeting", KeyWidget(Meeting, ["slug"]))
    source_title = Column(
        "source",
        KeyWidget(Source, ["title"], prefer=("source_url", "url")),
        required=True,
        help_text=_("The source's title, exactly as in the admin (or give its URL instead)."),
    )
    source_url = Column(
        role="helper",
        help_text=_("The source's URL, when it has one: it then names the source."),
    )

    public_view = FigureListView
    example = {"indicator__slug": "trade-with-sco-members", "country__code": "KZ"}
    related = ("indicator", "country", "stated_by", "meeting", "source")
    extra_rules = (
        _(
            "The number alone goes in value: its multiplier (млрд, млн, bn, m, or 9, 6…) in "
            "unit_multiplier, its unit (USD, %, t…) in unit, “more than”, “about”… in "
            "comparator, and the words as the source states them in as_stated."
        ),
    )

    class Meta:
        model = Figure
        import_id_fields = (
            "indicator",
            "scope",
            "country",
            "period_start",
            "period_end",
            "source_title",
        )
        fields = export_order = (
            "indicator",
            "scope",
            "country",
            "value",
            "unit_multiplier",
            "unit",
            "comparator",
            "observation_status",
            "period_start",
            "period_end",
            "period_label",
            "period_label_ru",
            "base_value",
            "base_period_start",
            "base_period_end",
            "base_period_label",
            "as_stated",
            "quote",
            "note",
            "note_ru",
            "stated_by",
            "estimate_by",
            "meeting",
            "source_title",
            "source_url",
            "state",
        )

    def dehydrate_source_url(self, figure):
        return figure.source.url or None
