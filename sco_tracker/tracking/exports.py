"""The same rows as on a page, as a paginated JSON document or a streamed CSV file."""

import csv
import datetime
import decimal
import json

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import translation

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


def export_errors(*forms):
    """HTTP 400 for an export asked with bad parameters: what was wrong, as JSON."""
    errors = {}
    for form in forms:
        errors.update({field: list(messages) for field, messages in form.errors.items()})
    return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})


class ExportMixin:
    """For views that list rows: ``export_row(obj)`` gives one row as a dict of
    ``export_columns``; ``prepare(rows)`` turns a page or chunk into the objects to export."""

    export_name = ""
    export_columns: tuple[str, ...] = ()

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
        response["Content-Disposition"] = f'attachment; filename="{self.export_name}.csv"'
        return response
