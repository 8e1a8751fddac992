"""Filters shared by the public FilterSets of every app (``*/filters.py``).

Menus of records (countries, indicators, meetings…) list the records that were public at
the page's moment, and a record is chosen by its key (slug, ISO code), never its id."""

import django_filters
from django import forms
from django.db.models import TextField
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from .freshness import cached_until_public_change
from .search import MAX_SEARCH_LENGTH
from .timetravel import materialize


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


class KeyChoiceField(django_filters.fields.ChoiceField):
    """A key typed in any case (``kz``, ``KZ``) matches the menu's spelling."""

    def __deepcopy__(self, memo):
        """A form copies its fields: the menu's choices (a thousand for the sources, never
        changed in place) are shared rather than copied on every request."""
        memo[id(self._choices)] = self._choices
        return super().__deepcopy__(memo)

    def to_python(self, value):
        value = super().to_python(value)
        for key, _label in self.choices:
            if isinstance(key, str) and key.lower() == value.lower():
                return key
        return value


def option_html(key, label, selected: bool = False) -> str:
    marked = " selected" if selected else ""
    return f'<option value="{escape(key)}"{marked}>{escape(label)}</option>'


class Menu(list):
    """A record menu's (key, name) choices with their ``<option>`` elements written once:
    kept with the menu until the next public change, so a page marks the chosen one
    instead of writing a thousand options again (the sources' menu alone is ~1,000)."""

    def __init__(self, choices=()):
        super().__init__(choices)
        self.options_html = "".join(option_html(key, label) for key, label in self)


class QuickSelect(forms.Select):
    """A ``<select>`` with the markup Django's renders, written in Python: Django renders
    each ``<option>`` through a template, which for a menu of a thousand records (the
    sources) is most of a list page's time. Given the ``menu`` its choices end with, it
    uses the menu's options as written when the menu was kept."""

    def __init__(self, attrs=None, choices=(), menu: Menu | None = None):
        super().__init__(attrs, choices)
        self.menu = menu

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        choices = list(self.choices)
        kept = ""
        menu, written = self.menu, getattr(self.menu, "options_html", None)
        if written and len(choices) >= len(menu) and choices[len(choices) - len(menu) :] == menu:
            choices = choices[: len(choices) - len(menu)]
            kept = written
            for key in chosen:
                plain = f'<option value="{escape(key)}">'
                kept = kept.replace(plain, plain[:-1] + " selected>", 1)
        parts = []
        for key, label in choices:
            if isinstance(label, list | tuple):
                inner = "".join(option_html(k, v, str(k) in chosen) for k, v in label)
                parts.append(f'<optgroup label="{escape(key)}">{inner}</optgroup>')
            else:
                parts.append(option_html(key, label, str(key) in chosen))
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        start = format_html('<select name="{}"{}>', name, final_attrs)
        return mark_safe(start + "".join(parts) + kept + "</select>")  # every value escaped


class RecordFilter(django_filters.ChoiceFilter):
    """One public record of ``model``, chosen by its ``key`` field; the menu lists the
    records public at the page's moment (``extra`` choices first, e.g. "the SCO as a
    whole"). Without a ``method``, records related through ``field_name`` to it match."""

    field_class = KeyChoiceField

    def __init__(self, model, *, key="slug", extra=(), **kwargs):
        self.record_model, self.key, self.extra_choices = model, key, tuple(extra)
        kwargs.setdefault("widget", QuickSelect)
        super().__init__(choices=[], **kwargs)

    def set_moment(self, moment, menu: Menu):
        """The page's moment, and the menu of records public then (``record_menus``)."""
        self.moment = moment
        self.extra["choices"] = [*self.extra_choices, *menu]
        self.extra["widget"] = QuickSelect(menu=menu)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        chosen = self.record_model._default_manager.all().published(as_of=self.moment)
        ids = chosen.filter(**{self.key: value}).values("id")
        return qs.related_to(self.field_name, ids)


def record_menu(model, key: str, moment) -> Menu:
    """(key, name) of each record of ``model`` public at ``moment``, in its order."""
    records = model._default_manager.all().published(as_of=moment)
    if moment is None:  # a menu needs names, not the records' long texts (sources')
        long_texts = [
            field.name for field in model._meta.concrete_fields if isinstance(field, TextField)
        ]
        records = records.defer(*long_texts)
    return Menu((getattr(obj, key), str(obj)) for obj in materialize(records, moment=moment))


def record_menus(name: str, wanted: dict[str, tuple], moment) -> dict[str, Menu]:
    """{menu: ``record_menu(model, key, moment)``} for ``wanted`` {menu: (model, key)},
    kept until the next public change: a list page reads its menus (a thousand sources,
    every country…) from the cache rather than a query each."""

    def compute():
        return {menu: record_menu(model, key, moment) for menu, (model, key) in wanted.items()}

    if not wanted:
        return {}
    language = translation.get_language() or ""
    return cached_until_public_change(f"menus:{name}:{language}", compute, as_of=moment)


class PublicFilterSet(django_filters.FilterSet):
    """Base of the public FilterSets: every filter optional, values in the URL, record
    menus as of the request's moment."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        moment = getattr(self.request, "as_of", None)
        record_filters = {
            name: record_filter
            for name, record_filter in self.filters.items()
            if isinstance(record_filter, RecordFilter)
        }
        menus = record_menus(
            f"{type(self).__module__}.{type(self).__qualname__}",
            {name: (f.record_model, f.key) for name, f in record_filters.items()},
            moment,
        )
        for name, record_filter in record_filters.items():
            record_filter.set_moment(moment, menus[name])

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            field.required = False
        return form
