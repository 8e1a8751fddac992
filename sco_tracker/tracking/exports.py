"""The same rows as on a page, as a paginated JSON document or a streamed CSV file."""

import csv
import datetime
import decimal
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.text import slugify

from .diffs import format_decimal

CSV_CHUNK = 500


def export_value(value):
    """JSON-friendly form of a row value: decimals as strings exactly as stored."""
    if isinstance(value, decimal.Decimal):
        return format_decimal(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [export_value(item) for item in value]
    if isinstance(value, dict):  # a record's parts, in a record's JSON
        return {key: export_value(item) for key, item in value.items()}
    return value


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV
# injection"); a leading apostrophe makes it text. Numbers are written as numbers.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool | int | decimal.Decimal):
        return export_value(value)
    value = export_value(value)
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


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


def record_json(row: dict):
    """One record as JSON, with the same fields as its list's exports."""
    body = {key: export_value(value) for key, value in row.items()}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )


def export_row_of(view_class, request, obj) -> dict:
    """``obj`` as ``view_class``'s exports give it, set up for ``request``: a record's JSON
    has the same fields as its list's exports."""
    view = view_class()
    view.setup(request)
    return view.export_row(obj)


def export_errors(*forms):
    """HTTP 400 for an export asked with bad parameters: what was wrong, as JSON."""
    errors = {}
    for form in forms:
        errors.update({field: list(messages) for field, messages in form.errors.items()})
    return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})


class ExportMixin:
    """For views that list rows: ``export_row(obj)`` gives one row as a dict of
    ``export_columns``; ``prepare(rows)`` turns a page or chunk into the objects to export.

    CSV files carry a byte-order mark (so spreadsheets read them as UTF-8) and a name that
    says what they hold (``sco-figures-kz-2024-as-of-2025-11-20.csv``); ``?format=
    datapackage`` describes the CSV (Frictionless Data Package: columns, types, units,
    licence). ``export_fields`` gives each column's type and description."""

    export_name = ""
    export_columns: tuple[str, ...] = ()
    export_title = ""
    export_fields: dict[str, tuple[str, str]] = {}
    # Query parameters that do not change which rows are exported.
    NOT_IN_FILENAME = ("page", "per_page", "format", "sort", "as_of")

    def export_filename(self, extension: str) -> str:
        parts = ["sco", self.export_name]
        for key in sorted(self.request.GET):
            value = self.request.GET.get(key, "")
            if key not in self.NOT_IN_FILENAME and value:
                parts.append(value)
        as_of = getattr(self.request, "as_of", None)
        if as_of is not None:
            parts += ["as-of", as_of.date().isoformat()]
        name = slugify("-".join(parts))[:120].strip("-") or "sco-export"
        return f"{name}.{extension}"

    def datapackage_response(self):
        """The Data Package describing this export: its CSV (these filters, this moment),
        each column with its type and meaning, and the licence."""
        query = self.request.GET.copy()
        query["format"] = "csv"
        for key in ("page", "per_page"):
            query.pop(key, None)
        csv_url = self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}")
        fields = []
        for name in self.export_columns:
            kind, description = self.export_fields.get(name, ("string", ""))
            fields.append({"name": name, "type": kind, "description": str(description)})
        descriptor = {
            "profile": "tabular-data-package",
            "name": self.export_filename("csv").removesuffix(".csv"),
            "title": str(self.export_title or self.export_name),
            "licenses": [settings.DATA_LICENSE],
            "sources": [{"title": "SCO Tracker", "path": self.request.build_absolute_uri("/")}],
            "resources": [
                {
                    "profile": "tabular-data-resource",
                    "name": self.export_name,
                    "path": csv_url,
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8-sig",
                    "schema": {"fields": fields},
                }
            ],
        }
        response = HttpResponse(
            json.dumps(descriptor, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'inline; filename="datapackage.json"'
        return response

    def prepare(self, rows) -> list:
        return list(rows)

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
            # True when counting stopped a few pages past this one (``/changes/``): there
            # are more than ``count`` rows, and ``pages`` pages at least.
            "count_is_partial": getattr(paginator, "count_is_partial", False),
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
        language = translation.get_language()
        writer = csv.writer(Echo())

        def rows():
            with translation.override(language):
                yield "\ufeff" + writer.writerow(self.export_columns)
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
        filename = self.export_filename("csv")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
