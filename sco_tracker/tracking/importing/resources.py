"""Importing tracked records from spreadsheets: ``TrackedResource`` (django-import-export).

A record type declares, in a ``TrackedResource`` subclass, the columns an editor fills in
(``widgets.Column``), which of them identify a record — its natural key: an indicator's
slug; a figure's indicator, subject, period and source — and the public list view whose
export rows its exports repeat (so the admin's files carry the public exports' columns,
under the same names, plus the editorial ones).

A file is read twice, each time in one transaction: for the preview (a dry run: every row
read, compared and validated; nothing written) and, once the editor confirms, for real. A
file with any error imports nothing. For real, each row in its own ``revision()``:

* a row whose key names no record adds one, as a **draft** (whatever the file says);
* a row that changes a record saves it, many-to-many sets included, so each record gets
  exactly one revision, by the importing user, whose reason names the file and the row
  ("Imported from trade_2025.xlsx, row 17", after the reason typed on the form, if any);
* a row that changes a **published** record, imported by someone who cannot publish,
  becomes that record's proposal (``admin.pending.propose``): the public keeps the
  published version until a reviewer publishes it;
* a row that changes nothing writes nothing; nothing is ever deleted.

Rows are validated as the admin validates a save: the model's ``full_clean()`` and its
database constraints (``constraints.violated_checks``; uniqueness that the natural key
already settles is not queried again), and a proposal through the change form. Errors
name the row (as the spreadsheet numbers it: the header is row 1) and the column.

This module is long because a row's whole course — find, read, compare, validate, save or
propose — is one sequence that reads best in one place.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from functools import cached_property

import tablib
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Result, RowResult

from ..admin.pending import propose
from ..constraints import violated_checks
from ..diffs import Change
from ..exports import chunks
from ..recording import revision
from ..states import PublicationState, publish_permission
from .cells import CellError, detect_decimal_mark, is_blank
from .widgets import Column, NumberWidget

EXPORT = "export"
CHUNK = 500


class ImportProblem(Exception):
    """Something wrong with the file as a whole (its columns); nothing is imported."""


@dataclass
class RowState:
    """What is known of the row being imported."""

    line: int
    new: bool = True
    key: tuple | None = None
    original: object = None
    original_m2m: dict = field(default_factory=dict)
    m2m: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)
    proposal: bool = False


class ImportRow(RowResult):
    """A row's result, with what the preview shows: its row number in the spreadsheet,
    what it changes (``diffs.Change``: column, old, new), whether it is a proposal, a
    summary of a new record, and its problems (column, cell, message)."""

    def __init__(self):
        super().__init__()
        self.line = 0
        self.changes = []
        self.proposal = False
        self.summary = ""
        self.problems = []

    @property
    def kind(self) -> str:
        if self.import_type in (self.IMPORT_TYPE_ERROR, self.IMPORT_TYPE_INVALID):
            return "error"
        if self.import_type == self.IMPORT_TYPE_SKIP:
            return "unchanged"
        if self.import_type == self.IMPORT_TYPE_NEW:
            return "new"
        return "proposal" if self.proposal else "changed"


class ImportResult(Result):
    """The rows by kind for the preview (at most ``SHOWN`` of each), and their counts."""

    KINDS = ("error", "new", "changed", "proposal", "unchanged")
    SHOWN = 500

    def counts(self) -> dict:
        counts = dict.fromkeys(self.KINDS, 0)
        for row in self.rows:
            counts[row.kind] += 1
        return counts

    @cached_property
    def preview(self) -> dict:
        groups = {kind: [] for kind in self.KINDS}
        for row in self.rows:
            groups[row.kind].append(row)
        return {
            kind: {"rows": rows[: self.SHOWN], "count": len(rows), "more": len(rows) > self.SHOWN}
            for kind, rows in groups.items()
        }


class NaturalKeyLoader(BaseInstanceLoader):
    """Finds each row's record by its natural key, among records read once for the file."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.records = resource.preload(dataset)

    def get_instance(self, row):
        key = self.resource.row_key(row)
        return None if key is None else self.records.get(key)


def admin_request(user) -> HttpRequest:
    """A request as ``user``, for the admin's forms when no browser is involved."""
    request = HttpRequest()
    request.method = "GET"
    request.user = user
    request.META["SERVER_NAME"] = "localhost"
    request.META["SERVER_PORT"] = "80"
    return request


class TrackedResource(resources.ModelResource):
    state = Column(
        "state",
        role=EXPORT,
        help_text=gettext_lazy("Publication state. Imported records always start as drafts."),
    )

    # The public list view (a ``FilteredListView``) whose export rows the exports repeat.
    public_view = None
    # The record the template shows as its example row (a lookup); rules for the guide.
    example: dict = {}
    extra_rules: tuple = ()
    # Foreign keys and many-to-many sets read with the records (exports and imports).
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()

    class Meta:
        skip_diff = True
        report_skipped = True
        use_transactions = True
        store_row_values = True
        instance_loader_class = NaturalKeyLoader

    def __init__(
        self,
        *,
        user=None,
        reason="",
        decimal_mark="",
        request=None,
        model_admin=None,
        previewed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.user = user
        self.reason = (reason or "").strip()
        self.decimal_mark = decimal_mark or None
        self.request = request
        self.model_admin = model_admin
        self.previewed = previewed
        self.lines: list[int] = []
        self.seen: dict = {}
        self.ambiguous: set = set()
        self.changed_since: set = set()
        self.key_cache: tuple = (None, None)
        self.state = RowState(line=0)

    # --- the columns ----------------------------------------------------------------

    def columns(self, *roles) -> list[Column]:
        """The declared columns in the files' order, those of ``roles`` (or all)."""
        ordered = [self.fields[name] for name in self.get_export_order()]
        return [column for column in ordered if not roles or column.role in roles]

    def template_columns(self) -> list[Column]:
        return [column for column in self.columns() if column.role != EXPORT]

    def key_columns(self) -> list[Column]:
        return [self.fields[name] for name in self._meta.import_id_fields]

    def public_columns(self) -> list[str]:
        return list(self.public_view.export_columns) if self.public_view else []

    def get_user_visible_fields(self):
        return self.template_columns()

    def get_import_fields(self):
        return self.columns("data")

    def model_field(self, column):
        return column.model_field(self._meta.model)

    def by_column(self, errors: dict) -> ValidationError:
        """``errors`` ({field: [messages]}) keyed by the columns that hold the fields."""
        names = {}
        for column in self.columns("data"):
            model_field = self.model_field(column)
            if model_field is not None:
                names[model_field.name] = column.column_name
        result: dict = {}
        for name, messages in errors.items():
            result.setdefault(names.get(name, name), []).extend(messages)
        return ValidationError(result)

    # --- exporting -------------------------------------------------------------------

    def export_headers(self) -> list[str]:
        """The public export's columns, then the editorial ones it lacks."""
        public = self.public_columns()
        return public + [c.column_name for c in self.columns() if c.column_name not in public]

    def with_related(self, queryset):
        return queryset.select_related(*self.related).prefetch_related(*self.prefetch)

    def filter_export(self, queryset, **kwargs):
        return self.with_related(queryset).with_revision_info().order_by("pk")

    def attach(self, records) -> None:
        """Give each record what the public export row reads besides its fields (related
        lists: all of them, drafts included, unlike the public pages)."""

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        headers = self.export_headers()
        dataset = tablib.Dataset(headers=headers)
        dataset.title = str(self._meta.model._meta.verbose_name_plural)
        view = None
        if self.public_view is not None:
            view = self.public_view()
            view.request = self.request
        queryset = self.filter_export(queryset)
        rows = queryset.iterator(chunk_size=CHUNK) if not self.prefetch else queryset
        for chunk in chunks(rows, CHUNK):
            self.attach(chunk)
            for record in chunk:
                public = view.export_row(record) if view is not None else {}
                if public.get("url") and getattr(record, "state", None) != "published":
                    public["url"] = None  # a draft has no public page yet
                dataset.append(
                    [
                        public[name] if name in public else self.export_value(name, record)
                        for name in headers
                    ]
                )
        return dataset

    def export_value(self, name, record):
        return self.export_field(self.fields[name], record)

    # --- the file as a whole -----------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """Blank rows out (their numbers kept), the decimal mark settled, the records
        changed since the preview noted; unknown or missing columns refused."""
        kept = []
        for index in reversed(range(len(dataset))):
            if all(is_blank(value) for value in dataset[index]):
                del dataset[index]
            else:
                kept.append(index + 2)
        self.lines = kept[::-1]
        headers = list(dataset.headers or [])
        if not self.decimal_mark:
            numbers = [
                headers.index(column.column_name)
                for column in self.columns("data")
                if isinstance(column.widget, NumberWidget) and column.column_name in headers
            ]
            self.decimal_mark = detect_decimal_mark(
                row[index] for row in dataset for index in numbers
            )
        if self.previewed is not None:
            history = self._meta.model.history.filter(history_id__gt=self.previewed)
            self.changed_since = set(history.values_list("id", flat=True))
        known = {c.column_name for c in self.columns()} | set(self.public_columns())
        unknown = [name for name in headers if name not in known]
        missing = [
            c.column_name for c in self.key_columns() if c.required and c.column_name not in headers
        ]
        problems = []
        if unknown:
            problems.append(
                _("Unknown columns: %(unknown)s. The columns are: %(known)s.")
                % {
                    "unknown": ", ".join(unknown),
                    "known": ", ".join(c.column_name for c in self.template_columns()),
                }
            )
        if missing:
            problems.append(
                _("Missing columns: %(missing)s (they identify each record).")
                % {"missing": ", ".join(missing)}
            )
        if problems:
            raise ImportProblem(" ".join(problems))

    def _check_import_id_fields(self, headers):
        """Done in ``before_import``: only the key columns that have no blank value
        (an indicator, a source) must be in the file."""

    def after_import(self, dataset, result, **kwargs):
        """Nothing: ids are never imported, so no sequence needs resetting."""

    # --- finding each row's record -----------------------------------------------------

    def row_key(self, row):
        """The row's natural key (values, related records' ids), None if unreadable."""
        if self.key_cache[0] is row:
            return self.key_cache[1]
        try:
            values = [
                column.widget.clean(
                    row.get(column.column_name), row=row, decimal_mark=self.decimal_mark
                )
                for column in self.key_columns()
            ]
            key = tuple(value.pk if isinstance(value, models.Model) else value for value in values)
        except CellError:
            key = None
        self.key_cache = (row, key)
        return key

    def record_key(self, record) -> tuple:
        return tuple(
            getattr(record, self.model_field(column).attname) for column in self.key_columns()
        )

    def preload(self, dataset) -> dict:
        """The records the rows may name, by natural key, read together (those sharing the
        first key column's values); keys two records share are noted as ambiguous."""
        first = self.model_field(self.key_columns()[0])
        keys = [self.row_key(row) for row in dataset.dict]
        values = {key[0] for key in keys if key is not None}
        if not values:
            return {}
        queryset = self.with_related(self._meta.model._default_manager.all())
        records = {}
        for record in queryset.filter(**{f"{first.attname}__in": values}):
            key = self.record_key(record)
            if key in records:
                self.ambiguous.add(key)
            records[key] = record
        return records

    def get_instance(self, instance_loader, row):
        """By the natural key, also when a key column with a blank value is left out."""
        return instance_loader.get_instance(row)

    def init_instance(self, row=None):
        instance = super().init_instance(row)
        if self._meta.model.tracking.publishable:
            instance.state = PublicationState.DRAFT  # imported records start as drafts
        return instance

    def import_row(self, row, instance_loader, **kwargs):
        number = kwargs["row_number"]
        line = self.lines[number - 1] if number <= len(self.lines) else number + 1
        self.state = RowState(line=line)
        result = super().import_row(row, instance_loader, **kwargs)
        result.line = line
        result.changes = self.state.changes
        result.proposal = self.state.proposal and result.import_type == result.IMPORT_TYPE_UPDATE
        result.problems = self.problems(row, result)
        if result.import_type == result.IMPORT_TYPE_NEW:
            result.summary = result.object_repr or ""
        return result

    def after_init_instance(self, instance, new, row, **kwargs):
        state = self.state
        state.new = new
        state.key = self.row_key(row)
        if new:
            return
        state.original = copy.copy(instance)
        for column in self.columns("data"):
            model_field = self.model_field(column)
            if model_field.many_to_many and column.column_name in row:
                manager = getattr(instance, model_field.name)
                state.original_m2m[model_field.name] = list(manager.all())
        state.proposal = (
            self._meta.model.tracking.publishable
            and instance.state == PublicationState.PUBLISHED
            and not self.can_publish()
        )

    def can_publish(self) -> bool:
        return self.user is not None and self.user.has_perm(publish_permission(self._meta.model))

    # --- reading the row ---------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        """Every cell of the row onto the record (many-to-many sets kept for the save);
        errors by field, with those of the row as a whole."""
        errors: dict = {}
        for column in self.columns("data"):
            if column.column_name not in row:
                continue
            model_field = self.model_field(column)
            try:
                value = column.clean(row, decimal_mark=self.decimal_mark)
            except ValueError as error:
                errors[model_field.name] = [ValidationError(str(error), code="invalid")]
                continue
            if model_field.many_to_many:
                self.state.m2m[model_field.name] = value
            else:
                setattr(instance, column.attribute, value)
        whole = self.row_problems(instance)
        if whole:
            errors[NON_FIELD_ERRORS] = whole
        if errors:
            raise ValidationError(errors)

    def row_problems(self, instance) -> list[str]:
        state, model = self.state, self._meta.model
        problems = []
        if state.key is not None and state.key in self.seen:
            problems.append(
                _("Row %(earlier)s already names this %(model)s: each record once per file.")
                % {"earlier": self.seen[state.key], "model": model._meta.verbose_name}
            )
        elif state.key is not None:
            self.seen[state.key] = state.line
        if state.key in self.ambiguous:
            problems.append(
                _("More than one %(model)s has these %(columns)s: tell them apart in the admin.")
                % {
                    "model": model._meta.verbose_name,
                    "columns": ", ".join(c.column_name for c in self.key_columns()),
                }
            )
        if not state.new and instance.pk in self.changed_since:
            problems.append(
                _(
                    "Someone changed this record after your preview: upload the file again to "
                    "see what changed."
                )
            )
        return problems

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged rows are skipped: nothing is written for them."""
        if import_validation_errors or self.state.new:
            return False
        self.state.changes = self.changes(instance, row)
        return not self.state.changes

    def changes(self, instance, row) -> list[Change]:
        state, changes = self.state, []
        for column in self.columns("data"):
            if column.column_name not in row:
                continue
            model_field = self.model_field(column)
            if model_field.many_to_many:
                old = state.original_m2m.get(model_field.name, [])
                new = state.m2m.get(model_field.name, [])
                if {record.pk for record in old} == {record.pk for record in new}:
                    continue
            else:
                old = getattr(state.original, model_field.attname)
                new = getattr(instance, model_field.attname)
                if model_field.to_python(old) == model_field.to_python(new):
                    continue
                old = getattr(state.original, column.attribute)
                new = getattr(instance, column.attribute)
            widget = column.widget
            changes.append(Change(column.column_name, widget.display(old), widget.display(new)))
        return changes

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """``full_clean()`` and the database constraints, errors by column. Related records
        the row named were found in the database: they are not looked up again; nor is
        uniqueness that the natural key settles (a record with the same key would have
        been the row's record), and other unique values are checked within the file too."""
        errors = dict(import_validation_errors or {})
        model = type(instance)
        found = {
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and getattr(instance, f.attname) is not None
        }
        settled = self.settled_unique_fields()
        try:
            instance.full_clean(
                exclude=set(errors) | found, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.validate_unique(exclude=set(errors) | settled)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, messages in violated_checks(instance, exclude=set(errors)).items():
            errors.setdefault(name, []).extend(messages)
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and not self.settled(constraint):
                try:
                    constraint.validate(model, instance, exclude=set(errors))
                except ValidationError as error:
                    errors = error.update_error_dict(errors)
        if errors:
            raise self.by_column(ValidationError(errors).message_dict)

    def key_fields(self) -> set[str]:
        return {self.model_field(column).name for column in self.key_columns()}

    def settled_unique_fields(self) -> set[str]:
        keys = self.key_fields()
        return {
            f.name for f in self._meta.model._meta.concrete_fields if f.unique and {f.name} >= keys
        }

    def settled(self, constraint) -> bool:
        """Whether the natural key settles ``constraint``: it spans every key field."""
        names = set(constraint.fields)
        for expression in constraint.expressions:
            parts = [expression] if isinstance(expression, models.F) else expression.flatten()
            names |= {part.name for part in parts if isinstance(part, models.F)}
        return names >= self.key_fields() and not constraint.condition

    # --- writing -------------------------------------------------------------------------

    def reason_for(self, kwargs) -> str:
        file_name = os.path.basename(str(kwargs.get("file_name") or "")) or _("a file")
        where = _("Imported from %(file)s, row %(row)s") % {
            "file": file_name,
            "row": self.state.line,
        }
        return f"{self.reason} — {where}" if self.reason else where

    def save_instance(self, instance, is_create, row, **kwargs):
        """The record and its many-to-many sets in one revision; or, for a published
        record the user cannot publish, a proposal instead. A dry run writes nothing (a
        proposal is still validated through the change form)."""
        if self.state.proposal:
            self.propose(instance, **kwargs)
            return
        if kwargs.get("dry_run"):
            return
        with revision(user=self.user, reason=self.reason_for(kwargs)):
            super().save_instance(instance, is_create, row, **kwargs)
            for name, records in self.state.m2m.items():
                getattr(instance, name).set(records)

    def save_m2m(self, instance, row, **kwargs):
        """Done in ``save_instance``, inside the record's revision."""

    def propose(self, instance, **kwargs):
        model = self._meta.model
        values = {}
        changed = {change.label for change in self.state.changes}
        for column in self.columns("data"):
            if column.column_name in changed:
                model_field = self.model_field(column)
                if model_field.many_to_many:
                    values[model_field.name] = self.state.m2m[model_field.name]
                else:
                    values[model_field.name] = getattr(instance, model_field.name)
        model_admin = self.model_admin or admin.site.get_model_admin(model)
        request = self.request or admin_request(self.user)
        record = model._default_manager.get(pk=instance.pk)
        try:
            propose(model_admin, request, record, values, self.reason_for(kwargs))
        except ValidationError as error:
            raise self.by_column(error.message_dict) from error

    def for_delete(self, row, instance):
        return False  # imports never delete

    # --- results -------------------------------------------------------------------------

    @classmethod
    def get_row_result_class(cls):
        return ImportRow

    @classmethod
    def get_result_class(cls):
        return ImportResult

    def problems(self, row, result) -> list[tuple[str, str, str]]:
        """(column, the cell as written, message) for each problem of the row."""
        found = []
        error = result.validation_error
        if error is not None:
            messages = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {NON_FIELD_ERRORS: error.messages}
            )
            for name, texts in messages.items():
                column = "" if name == NON_FIELD_ERRORS else name
                cell = row.get(column) if column else None
                for text in texts:
                    found.append((column, "" if cell is None else str(cell), strip_tags(text)))
        for failure in result.errors:
            message = _("The database refused the row: %(error)s") % {"error": failure.error}
            found.append(("", "", message))
        return found
