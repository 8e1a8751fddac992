"""Each record type's template (its columns and one example row, a record of the seed
data) and its guide: what each column holds and how to write it, and the rules of the
file as a whole."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .files import cell_value, write_csv, write_xlsx
from .widgets import (
    EXPORT_TEXT,
    KEY_TEXT,
    OPTIONAL_TEXT,
    REQUIRED_KEY_TEXT,
    REQUIRED_TEXT,
    KeysWidget,
    NumberWidget,
)

TEMPLATE_KINDS = [
    ("xlsx", gettext_lazy("XLSX template, with a sheet explaining each column")),
    ("csv", gettext_lazy("CSV template")),
    ("columns", gettext_lazy("what each column means (CSV)")),
]
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def general_rules(resource) -> list[str]:
    keys = ", ".join(column.column_name for column in resource.key_columns())
    columns = resource.columns("data")
    rules = [
        _(
            "Row 1 names the columns; each further row is one record. Messages give row "
            "numbers as the spreadsheet shows them."
        ),
        _(
            "Records are matched by %(keys)s: a row that matches a record changes it; any "
            "other row adds a record. Related records are named by slug, ISO code, URL or "
            "title, never by id."
        )
        % {"keys": keys},
        _(
            "New records are drafts. A change to a published record becomes a proposal that "
            "waits for a reviewer (a reviewer's own import applies it at once). Nothing is "
            "ever deleted by an import."
        ),
        _(
            "An empty cell empties the value; leave a column out of the file to keep what "
            "the records have. Export-only columns are ignored."
        ),
        _(
            "The template's example row is a record already on file: imported unchanged, it "
            "changes nothing. Replace it with your rows."
        ),
    ]
    if any(isinstance(column.widget, NumberWidget) for column in columns):
        rules.append(
            _(
                "Numbers: 27,5 or 27.5, one decimal mark for the whole file; spaces may "
                "separate thousands (1 234 567). A number such as 1,234 or 1.234 is refused "
                "unless the file's decimal mark settles it."
            )
        )
    rules.append(
        _("Dates: 2025-11-18 or 18.11.2025. Period labels such as “Jan–Sep 2025” are text.")
    )
    if any(isinstance(column.widget, KeysWidget) for column in columns):
        rules.append(_("Lists: several keys separated by semicolons (KZ; RU)."))
    rules += [str(rule) for rule in resource.extra_rules]
    return rules


def example_record(resource):
    manager = resource.with_related(resource._meta.model._default_manager.all())
    return manager.filter(**resource.example).first() or manager.order_by("pk").first()


def need(resource, column) -> str:
    if column in resource.key_columns():
        return str(REQUIRED_KEY_TEXT if column.required else KEY_TEXT)
    if column.role == "export":
        return str(EXPORT_TEXT)
    return str(REQUIRED_TEXT if column.required else OPTIONAL_TEXT)


def guide_rows(resource, record) -> list[list]:
    model = resource._meta.model
    rows = []
    for column in resource.columns():
        example = resource.export_field(column, record) if record is not None else None
        how = column.widget.describe() if column.role != "export" else "—"
        rows.append(
            [
                column.column_name,
                need(resource, column),
                column.meaning(model),
                how,
                cell_value(example),
            ]
        )
    return rows


def template_file(resource_class, kind: str, request=None) -> tuple[str, str, bytes]:
    """(file name, content type, content) of the ``kind`` of template (TEMPLATE_KINDS)."""
    resource = resource_class(request=request)
    model = resource._meta.model
    record = example_record(resource)
    columns = resource.template_columns()
    headers = [column.column_name for column in columns]
    example = [[resource.export_field(column, record) for column in columns]] if record else []
    name = f"{model._meta.model_name}s"
    guide_headers = [_("column"), _("needed"), _("meaning"), _("how to write it"), _("example")]
    rules = general_rules(resource)
    if kind == "csv":
        return f"{name}-template.csv", CSV_TYPE, write_csv(headers, example).encode()
    if kind == "columns":
        rows = [*guide_rows(resource, record), [], *[[rule] for rule in rules]]
        return f"{name}-columns.csv", CSV_TYPE, write_csv(guide_headers, rows).encode()
    sheets = [
        (str(model._meta.verbose_name_plural), headers, example, None),
        (_("columns"), guide_headers, guide_rows(resource, record), [24, 26, 60, 50, 40]),
        (_("rules"), [_("rules")], [[rule] for rule in rules], [140]),
    ]
    return f"{name}-template.xlsx", XLSX_TYPE, write_xlsx(sheets)
