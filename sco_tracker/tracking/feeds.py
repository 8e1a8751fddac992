"""The Atom feed of public changes, honouring the filters of ``/changes/``."""

import hashlib

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .changes import ChangesForm, described_page
from .freshness import cached_until_public_change

FEED_LENGTH = 50


class ChangesFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        form = ChangesForm(request.GET, staff=False, moment=request.as_of)
        if not form.is_valid():
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
            return HttpResponseBadRequest(messages, content_type="text/plain; charset=utf-8")

        def render():
            response = Feed.__call__(self, request, *args, **kwargs)
            return response.content, response["Content-Type"], response.get("Last-Modified")

        # The whole document is kept until the next public change: readers' feed clients
        # poll it, and writing 50 entries is most of its cost (the entries' descriptions
        # are kept too, for /changes/). Its links are absolute: the host is in the key.
        where = (request.scheme, request.get_host(), request.GET.urlencode(), get_language())
        key = "feed:" + hashlib.sha256(repr(where).encode()).hexdigest()[:32]
        content, content_type, last_modified = cached_until_public_change(
            key, render, as_of=request.as_of
        )
        response = HttpResponse(content, content_type=content_type)
        if last_modified:
            response["Last-Modified"] = last_modified
        return response

    def get_object(self, request, *args, **kwargs):
        """The request's filters and moment (the feed object is shared by all requests)."""
        form = ChangesForm(request.GET, staff=False, moment=request.as_of)
        form.is_valid()
        return {"data": form.cleaned_data, "until": request.as_of, "query": request.GET.urlencode()}

    def title(self):
        return _("SCO Tracker — changes")

    def subtitle(self):
        return _("Every public revision of meetings, commitments, indicators and figures.")

    def link(self, obj):
        base = reverse("tracking:changes")
        return f"{base}?{obj['query']}" if obj["query"] else base

    def feed_url(self, obj):
        base = reverse("tracking:changes_feed")
        return f"{base}?{obj['query']}" if obj["query"] else base

    def items(self, obj):
        page = described_page(obj["data"], page_number=1, per_page=FEED_LENGTH, until=obj["until"])
        return page.object_list

    def item_title(self, change):
        return f"{capfirst(change.record_type)}: {change.title} — {change.kind_label}"

    def item_description(self, change):
        # Every value is escaped: the feed shows what editors typed, never runs it.
        changes = format_html_join(
            "", "<li>{}: {} → {}</li>", ((c.label, c.old, c.new) for c in change.changes)
        )
        reverted = format_html("<p>{}</p>", change.reverted_note) if change.reverted_note else ""
        return format_html(
            "<p>{}: {}</p>{}<ul>{}</ul>", _("Reason"), change.reason or "—", reverted, changes
        )

    def item_link(self, change):
        return change.history_url or change.url or reverse("tracking:changes")

    def item_guid(self, change):
        return f"sco-tracker:{change.record_type_key}:{change.record.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.date

    def item_updateddate(self, change):
        return change.date

    def item_author_name(self, change):
        return change.editor
