"""The home page and the machinery every public page shares: filters in the URL,
pagination, CSV and JSON exports, time travel (``?as_of=``) and clear messages for bad
input."""

import csv
import datetime
import decimal
import json
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views import View

from .history import format_decimal
from .timetravel import AsOfField, as_instance, materialize, snapshot

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
PER_PAGE_CHOICES = (PAGE_SIZE, 100, MAX_PAGE_SIZE)
CSV_CHUNK = 500


class ListControlsForm(forms.Form):
    """The parameters every list takes besides its filters."""

    page = forms.IntegerField(
        label=_("Page"),
        min_value=1,
        required=False,
        error_messages={
            "invalid": _("The page must be a whole number."),
            "min_value": _("Pages start at 1."),
        },
    )
    per_page = forms.IntegerField(
        label=_("Per page"),
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        required=False,
        error_messages={
            "invalid": _("Results per page must be a whole number."),
            "min_value": _("Show at least 1 result per page."),
            "max_value": _("Show at most %(limit_value)s results per page."),
        },
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("html", "HTML"), ("csv", "CSV"), ("json", "JSON")],
        required=False,
        error_messages={"invalid_choice": _("Unknown format “%(value)s”: use csv or json.")},
    )
    as_of = AsOfField(label=_("As of"), required=False)


def records(model, as_of):
    """``model``'s records now, or as they stood at ``as_of`` (in the model's order)."""
    if as_of is None:
        return model.objects.all()
    return snapshot(model, as_of).order_by(*model._meta.ordering)


def stable(queryset):
    """Order completed by the key, so pages and CSV chunks never skip or repeat a row."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if "pk" not in ordering and "-pk" not in ordering:
        ordering.append("pk")
    return queryset.order_by(*ordering)


def bad_request(request, message):
    return render(request, "bad_request.html", {"message": message}, status=400)


def time_travel(view):
    """Reads ``?as_of=`` for a page: ``request.as_of`` and the view's ``as_of`` argument;
    a malformed value is a 400 page that says what a valid one looks like."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            request.as_of = AsOfField(required=False).clean(request.GET.get("as_of", ""))
        except ValidationError as error:
            return bad_request(request, " ".join(error.messages))
        return view(request, *args, as_of=request.as_of, **kwargs)

    return wrapper


def export_value(value):
    """JSON-friendly form of a row value: decimals as strings exactly as stored."""
    if isinstance(value, decimal.Decimal):
        return format_decimal(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [export_value(item) for item in value]
    return value


def csv_cell(value):
    value = export_value(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return value


def chunks(iterable, size):
    """Lists of ``size`` items from ``iterable`` (itertools.batched, Python 3.12)."""
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Echo:
    """A file-like object whose write() hands the line back, for streaming CSV."""

    def write(self, value):
        return value


class ExportMixin:
    """The same rows as a paginated JSON document or a streamed CSV file."""

    export_name = ""
    export_columns: tuple[str, ...] = ()

    def prepare(self, rows) -> list:
        """The objects to export for a page or chunk of rows."""
        return list(rows)

    def export_errors(self, *forms):
        """HTTP 400 for an export asked with bad parameters: what was wrong, as JSON."""
        errors = {}
        for form in forms:
            errors.update({field: list(messages) for field, messages in form.errors.items()})
        return JsonResponse(
            {"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False}
        )

    def export_row(self, obj) -> dict:
        raise NotImplementedError

    def json_response(self, page):
        def page_url(number):
            query = self.request.GET.copy()
            query["page"] = number
            return self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}")

        paginator = page.paginator
        body = {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "results": [
                {key: export_value(value) for key, value in self.export_row(obj).items()}
                for obj in page.object_list
            ],
        }
        return HttpResponse(
            json.dumps(body, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )

    def csv_response(self, queryset):
        """Stream every matching row, read in chunks; the list is never held whole."""
        filename = self.export_name
        language = translation.get_language()
        writer = csv.writer(Echo())

        def rows():
            with translation.override(language):
                yield writer.writerow(self.export_columns)
                source = (
                    queryset.iterator(chunk_size=CSV_CHUNK)
                    if hasattr(queryset, "iterator")
                    else iter(queryset)
                )
                for chunk in chunks(source, CSV_CHUNK):
                    for obj in self.prepare(chunk):
                        row = self.export_row(obj)
                        yield writer.writerow([csv_cell(row[name]) for name in self.export_columns])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response


class FilteredListView(ExportMixin, View):
    """A public list: FilterSet, sort, pagination, the same rows as CSV or JSON, now or
    as of a past moment.

    Subclasses set ``filterset_class``, ``template_name``, ``export_name`` and
    ``export_columns``, and implement ``get_queryset()`` (from ``self.records(Model)``),
    ``attach(objects)`` (related lists for a page of records) and ``export_row(obj)``.
    """

    filterset_class = None
    template_name = ""
    as_of = None

    def records(self, model):
        return records(model, self.as_of)

    def get_queryset(self):
        raise NotImplementedError

    def attach(self, objects) -> None:
        """Give each record of a page the related lists its row shows."""

    def prepare(self, rows) -> list:
        objects = materialize(rows)
        self.attach(objects)
        return objects

    def get(self, request, *args, **kwargs):
        controls = ListControlsForm(request.GET)
        controls_valid = controls.is_valid()
        self.as_of = request.as_of = controls.cleaned_data.get("as_of") if controls_valid else None
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        filters_valid = filterset.is_valid()
        requested_format = request.GET.get("format", "html")

        if not (controls_valid and filters_valid):
            if requested_format in ("csv", "json"):
                return self.export_errors(filterset.form, controls)
            return self.render_page(filterset, controls, page=None, status=400)

        queryset = stable(filterset.qs)
        output = controls.cleaned_data["format"] or "html"
        if output == "csv":
            return self.csv_response(queryset)

        per_page = controls.cleaned_data["per_page"] or PAGE_SIZE
        paginator = Paginator(queryset, per_page)
        # A page past the end shows the last page.
        page = paginator.page(min(controls.cleaned_data["page"] or 1, paginator.num_pages))
        page.object_list = self.prepare(page.object_list)
        if output == "json":
            return self.json_response(page)
        return self.render_page(filterset, controls, page=page)

    # --- HTML -------------------------------------------------------------------------

    def get_extra_context(self) -> dict:
        return {}

    def render_page(self, filterset, controls, page, status=200):
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        context = {
            "filter": filterset,
            "controls": controls,
            "page_obj": page,
            "object_list": page.object_list if page else [],
            "result_count": page.paginator.count if page else 0,
            "has_filters": any(
                value for key, value in query.items() if key not in ("per_page", "as_of")
            ),
            "query_string": query.urlencode(),
            "has_errors": status == 400,
            "per_page_choices": PER_PAGE_CHOICES,
            **self.get_extra_context(),
        }
        return render(self.request, self.template_name, context, status=status)

    def absolute(self, obj) -> str:
        url = obj.get_absolute_url()
        if self.as_of is not None:
            url += "?" + urlencode({"as_of": self.request.GET["as_of"]})
        return self.request.build_absolute_uri(url)


@time_travel
def home(request, as_of):
    from indicators.models import Figure, Indicator
    from meetings.models import Meeting

    latest_meetings = records(Meeting, as_of).published().select_related("host_country")[:3]
    recent_figures = (
        records(Figure, as_of)
        .published()
        .with_revision_info()
        .select_related("indicator", "country")
        .recently_revised(6)
    )
    key_indicators = records(Indicator, as_of).published().key_indicators()
    return render(
        request,
        "home.html",
        {
            "latest_meetings": materialize(latest_meetings),
            "recent_figures": materialize(recent_figures),
            "key_indicators": materialize(key_indicators),
        },
    )


class RecordHistoryView(View):
    """Every public revision of one record, newest first, with what changed and why.

    Works for deleted and withdrawn records too: their history stays readable."""

    model = None
    lookup = "pk"  # or "slug"
    template_name = "history/record_history.html"
    per_page = 50

    def find_pk(self, value, as_of):
        field = "id" if self.lookup == "pk" else self.lookup
        current = records(self.model, as_of).published().filter(**{field: value}).first()
        if current is not None:
            return current.id, materialize([current])[0]
        history = self.model.history.filter(**{field: value})
        if as_of is not None:
            history = history.filter(history_date__lte=as_of)
        past = history.order_by("-history_date").first()
        if past is None:
            raise Http404
        return past.id, None

    def get(self, request, **kwargs):
        return time_travel(self.show)(request, **kwargs)

    def show(self, request, as_of, **kwargs):
        from .revisions import describe_revisions, public_revisions

        pk, current = self.find_pk(kwargs[self.lookup], as_of)
        revisions = public_revisions(self.model, self.model.history.filter(id=pk))
        if as_of is not None:
            revisions = revisions.filter(history_date__lte=as_of)
        revisions = revisions.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
        paginator = Paginator(revisions, self.per_page)
        controls = ListControlsForm(request.GET)
        if not controls.is_valid() or paginator.count == 0 or not self.parents_public(pk):
            raise Http404
        page = paginator.page(min(controls.cleaned_data.get("page") or 1, paginator.num_pages))
        rows = list(page.object_list)
        older = revisions[page.end_index() : page.end_index() + 1].first()
        latest = rows[0] if page.number == 1 else revisions.first()
        return render(
            request,
            self.template_name,
            {
                "model_name": self.model._meta.verbose_name,
                "record": current,
                "title": str(current) if current is not None else str(as_instance(latest)),
                "gone": current is None,
                "deleted": current is None and latest.history_type == "-",
                "withdrawn": current is None and getattr(latest, "state", "") == "withdrawn",
                "gone_on": latest.history_date if current is None else None,
                "revisions": describe_revisions(
                    self.model, rows, older, show_editor_names=request.user.is_staff
                ),
                "page_obj": page,
            },
        )

    def parents_public(self, pk) -> bool:
        """A figure of an unpublished indicator (say) stays private, history included."""
        return self.model.objects.all().parents_published(pk)


class ChangesView(ExportMixin, View):
    """``/changes/``: recent public revisions across the site, filtered, paginated and
    exported like every list (``as_of`` shows the changes up to that moment)."""

    template_name = "history/changes.html"
    export_name = "changes"
    export_columns = (
        "revision_id",
        "date",
        "record_type",
        "record_id",
        "record",
        "url",
        "history_url",
        "revision",
        "editor",
        "reason",
        "changes",
    )

    def get(self, request):
        from types import SimpleNamespace

        from .changes import ChangesForm, changes_queryset, paginate_changes

        staff = request.user.is_staff
        controls = ListControlsForm(request.GET)
        form = ChangesForm(request.GET, staff=staff)
        controls_valid, form_valid = controls.is_valid(), form.is_valid()
        context = {
            "filter": SimpleNamespace(form=form),
            "controls": controls,
            "per_page_choices": PER_PAGE_CHOICES,
        }
        if not (controls_valid and form_valid):
            if request.GET.get("format") in ("csv", "json"):
                return self.export_errors(form, controls)
            return render(request, self.template_name, {**context, "has_errors": True}, status=400)

        request.as_of = controls.cleaned_data["as_of"]
        output = controls.cleaned_data["format"] or "html"
        self.show_editor_names = staff
        if output == "csv":
            union = changes_queryset(form.cleaned_data, until=request.as_of)
            return self.csv_response(union if union is not None else [])

        page = paginate_changes(
            form.cleaned_data,
            page_number=controls.cleaned_data["page"] or 1,
            per_page=controls.cleaned_data["per_page"] or PAGE_SIZE,
            until=request.as_of,
        )
        page.object_list = self.prepare(page.object_list)
        if output == "json":
            return self.json_response(page)
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        return render(
            request,
            self.template_name,
            {
                **context,
                "page_obj": page,
                "object_list": page.object_list,
                "result_count": page.paginator.count,
                "has_filters": any(v for k, v in query.items() if k not in ("per_page", "as_of")),
                "query_string": query.urlencode(),
                "feed_query": query.urlencode(),
            },
        )

    def export_row(self, change) -> dict:
        build = self.request.build_absolute_uri
        return {
            "revision_id": change.record.history_id,
            "date": change.date,
            "record_type": change.record.instance_type._meta.model_name,
            "record_id": change.record.id,
            "record": change.title,
            "url": build(change.url) if change.url else None,
            "history_url": build(change.history_url) if change.history_url else None,
            "revision": change.kind,
            "editor": change.editor,
            "reason": change.reason,
            "changes": [f"{c.label}: {c.old} → {c.new}" for c in change.changes],
        }

    def prepare(self, rows):
        from .changes import describe_page

        return describe_page(list(rows), show_editor_names=self.show_editor_names)
