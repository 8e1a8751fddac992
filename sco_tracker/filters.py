"""Filters shared by the public FilterSets of both apps (see ``*/filters.py``)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .querysets import MAX_SEARCH_LENGTH


class SearchFilter(django_filters.CharFilter):
    """``q``: full-text search through the QuerySet's ``search()``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        kwargs.setdefault("widget", forms.SearchInput)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs.search(value) if value else qs


class YearFilter(django_filters.Filter):
    """A four-digit year; the FilterSet's method decides what "in that year" means.

    A text box rather than a number box, so a mistyped value stays visible next to its
    error message."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Year"))
        kwargs.setdefault("min_value", 1990)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "maxlength": 4})
        )
        super().__init__(**kwargs)


class UpperCaseChoiceField(django_filters.fields.ChoiceField):
    def to_python(self, value):
        return super().to_python(value).upper()


class CodeChoiceFilter(django_filters.ChoiceFilter):
    """A choice among codes looked up when the form is built (countries by ISO code…);
    ``kz`` and ``KZ`` mean the same."""

    field_class = UpperCaseChoiceField


class PublicFilterSet(django_filters.FilterSet):
    """Base of the public FilterSets: every filter optional, values in the URL."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        for field in self.form.fields.values():
            field.required = False
