"""What each tracked model tells the engine, declared once in its own ``models.py``::

    class Figure(PublishableModel):
        ...
        class Tracking:
            public_parents = ["indicator", "meeting"]  # public only while these are
            url_name = "indicators:figure_detail"      # its public page…
            history_url_name = "indicators:figure_history"  # …and its history page
            changes_filters = {"country": "country__code", "indicator": "indicator__slug"}
            search_fields = ["as_stated", "quote"]
            search_related = [("indicator", "indicators.Indicator")]

The engine reads it into ``Model.tracking`` (a ``TrackingOptions``) when the model class
is prepared; every page, export, feed, history and ``?as_of=`` works from that alone.
"""

from __future__ import annotations

import functools
import re
from functools import cached_property

from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

DECLARED = {
    # Foreign keys to records that must be public for this one to be (a nullable key may
    # also be empty).
    "public_parents": (),
    # The foreign key to the record whose public page shows this one (a meeting's
    # sessions): links in /changes/ go there.
    "page_parent": None,
    # Named routes of the public page and of the public history; the URL argument is
    # the field ``url_field`` ("pk" or a slug field).
    "url_name": None,
    "history_url_name": None,
    "url_field": "pk",
    # /changes/ filters this record type answers to: name → lookup(s) of the filter's key,
    # e.g. {"country": ["host_country__code", "delegations__country__code"]}.
    "changes_filters": {},
    # Own text columns searched (a GIN index covers them on PostgreSQL), and related
    # records whose own search also counts: (lookup, "app_label.Model").
    "search_fields": (),
    "search_related": (),
    # Many-to-many fields kept with each revision.
    "m2m_fields": (),
    # Bookkeeping fields readers need not see in a diff.
    "hidden_fields": (),
}


class TrackingOptions:
    def __init__(self, model, declared=None):
        self.model = model
        unknown = set(vars(declared or object)) - set(DECLARED) - set(vars(object))
        unknown = {name for name in unknown if not name.startswith("__")}
        if unknown:
            raise TypeError(f"{model.__name__}.Tracking: unknown options {sorted(unknown)}")
        for name, default in DECLARED.items():
            setattr(self, name, getattr(declared, name, default))
        changes_filters = {}
        for key, lookups in dict(self.changes_filters).items():
            changes_filters[key] = (lookups,) if isinstance(lookups, str) else tuple(lookups)
        self.changes_filters = changes_filters
        self.public_parents = tuple(self.public_parents)
        self.search_fields = tuple(self.search_fields)
        self.search_related = tuple(tuple(pair) for pair in self.search_related)
        self.m2m_fields = tuple(self.m2m_fields)
        self.hidden_fields = frozenset({"id", *self.hidden_fields})

    def __repr__(self):
        return f"<TrackingOptions {self.model._meta.label}>"

    @property
    def key(self) -> str:
        """The record type's name in URLs and exports (``figure``, ``commitmentquote``)."""
        return self.model._meta.model_name

    @property
    def publishable(self) -> bool:
        """Whether the model has a publication state of its own."""
        return any(field.name == "state" for field in self.model._meta.concrete_fields)

    @cached_property
    def parents(self) -> list[tuple[models.ForeignKey, bool]]:
        """(foreign key, may be empty) for each public parent."""
        return [
            (field, field.null)
            for field in (self.model._meta.get_field(name) for name in self.public_parents)
        ]

    def url(self, record) -> str:
        """The public page showing ``record`` (its own, or its page parent's), or ""."""
        if self.page_parent:
            parent = getattr(record, self.page_parent, None)
            return parent.tracking.url(parent) if parent is not None else ""
        if not self.url_name:
            return ""
        return record_url(self.url_name, getattr(record, self.url_field))

    def history_url(self, record) -> str:
        if self.page_parent:
            parent = getattr(record, self.page_parent, None)
            return parent.tracking.history_url(parent) if parent is not None else ""
        if not self.history_url_name:
            return ""
        return reverse(self.history_url_name, args=[getattr(record, self.url_field)])


def tracked_models() -> list:
    """Every tracked model, in the order the apps and their models are declared."""
    return [
        model
        for model in apps.get_models()
        if isinstance(getattr(model, "tracking", None), TrackingOptions)
    ]


def tracked_model(key: str):
    """The tracked model whose ``tracking.key`` is ``key``; ``LookupError`` if none."""
    for model in tracked_models():
        if model.tracking.key == key:
            return model
    raise LookupError(key)


# --- record addresses, reversed once per route ---------------------------------------------

PLAIN_VALUE = re.compile(r"[A-Za-z0-9_-]+")
STAND_IN = "7319046285"  # matches int, slug and str converters; found in no route


def record_url(url_name: str, value) -> str:
    """``reverse(url_name, args=[value])``, for the many rows of a list or an export: the
    route is reversed once (per language, script prefix and URLconf) with a stand-in, and
    each value put in its place — reverse() took a fifth of a 10,000-row CSV. A value that
    would need quoting goes through reverse() itself."""
    text = str(value)
    if PLAIN_VALUE.fullmatch(text):
        parts = route_parts(
            url_name, get_language(), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF
        )
        if parts is not None:
            return text.join(parts)
    return reverse(url_name, args=[value])


@functools.lru_cache(maxsize=1024)
def route_parts(url_name, language, script_prefix, urlconf, root_urlconf):
    """The address of ``url_name`` split around its one argument, or None when the route
    takes no stand-in (a pattern of its own, such as two capital letters)."""
    try:
        address = reverse(url_name, args=[STAND_IN], urlconf=urlconf)
    except NoReverseMatch:
        return None
    parts = address.split(STAND_IN)
    return tuple(parts) if len(parts) == 2 else None


@receiver(setting_changed)
def forget_routes(**kwargs):
    """Tests swap URLconfs and languages: reverse again, as Django clears its own caches."""
    route_parts.cache_clear()
