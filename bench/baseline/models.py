"""This project's tables as plain models (read only: ``managed = False``)."""

from django.db import models
from simple_history.models import HistoricalRecords

COMPARATORS = [
    ("exact", "exactly"),
    ("approximately", "approximately"),
    ("more_than", "more than"),
    ("less_than", "less than"),
    ("nearly", "nearly"),
    ("up_to", "up to"),
    ("at_least", "at least"),
]


class Topic(models.Model):
    slug = models.SlugField(unique=True)
    name_en = models.CharField(max_length=120)
    name_ru = models.CharField(max_length=120)

    class Meta:
        managed = False
        db_table = "meetings_topic"
        ordering = ["name_en"]

    def __str__(self):
        return self.name_en


class Country(models.Model):
    code = models.CharField(max_length=2, unique=True)
    name_en = models.CharField(max_length=100)
    name_ru = models.CharField(max_length=100)
    sco_status = models.CharField(max_length=20)

    class Meta:
        managed = False
        db_table = "meetings_country"
        ordering = ["name_en"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name_en


class Person(models.Model):
    slug = models.SlugField(unique=True)
    name_en = models.CharField(max_length=150)
    name_ru = models.CharField(max_length=150)
    country = models.ForeignKey(Country, models.PROTECT, null=True, blank=True)

    class Meta:
        managed = False
        db_table = "meetings_person"
        ordering = ["name_en"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name_en


class Source(models.Model):
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=2)

    class Meta:
        managed = False
        db_table = "meetings_source"
        ordering = ["title"]

    def __str__(self):
        return self.title


class Meeting(models.Model):
    state = models.CharField(max_length=12)
    body = models.CharField(max_length=40)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    title_en = models.CharField(max_length=250)
    slug = models.SlugField(unique=True)
    start_date = models.DateField()
    end_date = models.DateField()
    city_en = models.CharField(max_length=100)
    host_country = models.ForeignKey(Country, models.PROTECT)

    class Meta:
        managed = False
        db_table = "meetings_meeting"
        ordering = ["-start_date", "title_en"]

    def __str__(self):
        return self.title_en


class Indicator(models.Model):
    state = models.CharField(max_length=12)
    slug = models.SlugField(unique=True)
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=200)
    definition_en = models.TextField(blank=True)
    measure_kind = models.CharField(max_length=20)
    default_unit = models.CharField(max_length=10)
    default_unit_multiplier = models.SmallIntegerField()
    topic = models.ForeignKey(Topic, models.PROTECT, null=True, blank=True)

    class Meta:
        managed = False
        db_table = "indicators_indicator"
        ordering = ["name_en"]

    def __str__(self):
        return self.name_en


class Figure(models.Model):
    state = models.CharField(max_length=12)
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="figures")
    scope = models.CharField(max_length=10)
    country = models.ForeignKey(Country, models.PROTECT, null=True, blank=True)
    measure_kind = models.CharField(max_length=20)
    as_stated = models.CharField(max_length=300)
    comparator = models.CharField(max_length=20, choices=COMPARATORS)
    value = models.DecimalField(max_digits=20, decimal_places=6)
    unit_multiplier = models.SmallIntegerField()
    unit = models.CharField(max_length=10)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    period_label = models.CharField(max_length=120)
    base_value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    base_period_start = models.DateField(null=True, blank=True)
    base_period_end = models.DateField(null=True, blank=True)
    base_period_label = models.CharField(max_length=120, blank=True)
    stated_by = models.ForeignKey(Person, models.PROTECT, null=True, blank=True)
    meeting = models.ForeignKey(Meeting, models.PROTECT, null=True, blank=True)
    estimate_by = models.CharField(max_length=200, blank=True)
    source = models.ForeignKey(Source, models.PROTECT)
    quote = models.TextField(blank=True)
    note = models.TextField(blank=True)

    history = HistoricalRecords(table_name="indicators_historicalfigure")

    class Meta:
        managed = False
        db_table = "indicators_figure"
        ordering = ["indicator__name_en", "-period_end", "id"]

    def __str__(self):
        return f"{self.indicator} — {self.period_label}: {self.as_stated}"

    def get_absolute_url(self):
        return f"/figures/{self.pk}/"
