"""The columns of import and export files, and how each reads and writes its cells.

Every widget's ``clean`` raises ``CellError`` (a ``ValueError``) with a message an editor
can act on; ``render`` returns the value itself (a decimal, a date, a list of keys), for the
file writers to format as the public exports do; ``describe`` says, for the template's
column guide, how the cell is written.
"""

from __future__ import annotations

import datetime
import enum
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field
from import_export.widgets import Widget

from ..diffs import format_decimal
from .cells import CellError, is_blank, parse_date, parse_decimal, parse_integer, text_of

LIST_SEPARATORS = (";", "\n")


class Column(Field):
    """One column: the attribute it fills, its widget, and what the guide says of it.

    ``role`` is ``"data"`` (read on import, written on export), ``"helper"`` (read on
    import by another column's widget: ``source_url`` identifies the source) or
    ``"export"`` (written only: ids, links, publication state, revision counts)."""

    def __init__(self, attribute=None, widget=None, *, role="data", required=False, help_text=""):
        super().__init__(
            attribute=attribute, widget=widget or TextWidget(), readonly=role != "data"
        )
        self.role = role
        self.required = required
        self.help_text = help_text

    def model_field(self, model):
        if not self.attribute:
            return None
        try:
            return model._meta.get_field(self.attribute)
        except FieldDoesNotExist:
            return None

    def meaning(self, model) -> str:
        """What the column holds: its own help text, else the model field's name and help."""
        if self.help_text:
            return str(self.help_text)
        model_field = self.model_field(model)
        if model_field is None:
            return ""
        parts = [str(capfirst(model_field.verbose_name))]
        if model_field.help_text:
            parts.append(str(model_field.help_text))
        return ". ".join(part.rstrip(".") for part in parts) + "."


class CellWidget(Widget):
    def render(self, value, obj=None, **kwargs):
        return value

    def describe(self) -> str:
        return _("text")

    def display(self, value) -> str:
        """The value in the import preview."""
        value = self.render(value)
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, Decimal):
            return format_decimal(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return "; ".join(str(item) for item in value)
        return str(value)


class TextWidget(CellWidget):
    def clean(self, value, row=None, **kwargs):
        return text_of(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class NumberWidget(CellWidget):
    def clean(self, value, row=None, decimal_mark=None, **kwargs):
        return parse_decimal(value, decimal_mark)

    def describe(self) -> str:
        return _(
            "a number: 27,5 or 27.5 (one decimal mark for the whole file); spaces may "
            "separate thousands: 1 234 567"
        )


class IntegerWidget(CellWidget):
    def clean(self, value, row=None, decimal_mark=None, **kwargs):
        return parse_integer(value, decimal_mark)

    def describe(self) -> str:
        return _("a whole number")


class DateWidget(CellWidget):
    def clean(self, value, row=None, **kwargs):
        return parse_date(value)

    def describe(self) -> str:
        return _("a date: 2025-11-18 or 18.11.2025")


class ChoiceWidget(CellWidget):
    """One of a field's choices: its code (as exports write it), or its label in English or
    Russian, or an alias; any case. ``blank`` is what an empty cell means."""

    def __init__(self, choices, *, aliases=None, blank=None, hint=""):
        super().__init__()
        self.choices = list(choices)
        self.aliases = aliases or {}
        self.blank = blank.value if isinstance(blank, enum.Enum) else blank
        self.hint = hint
        self.names = None

    def mapping(self) -> dict:
        if self.names is None:
            names = {}
            for language in ("ru", "en"):
                with translation.override(language):
                    names.update({str(label).lower(): code for code, label in self.choices})
            names.update({str(alias).lower(): code for alias, code in self.aliases.items()})
            names.update({str(code).lower(): code for code, _label in self.choices})
            self.names = names
        return self.names

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return self.blank
        text = text_of(value)
        try:
            return self.mapping()[text.lower()]
        except KeyError:
            raise CellError(
                _("“%(text)s” is not one of: %(codes)s.") % {"text": text, "codes": self.codes()}
            ) from None

    def codes(self) -> str:
        return ", ".join(str(code) for code, _label in self.choices)

    def describe(self) -> str:
        described = _("one of: %(codes)s") % {"codes": self.codes()}
        return f"{described}; {self.hint}" if self.hint else described


class KeyWidget(CellWidget):
    """A related record named by its natural key: the first of ``lookups`` (fields of
    ``model``) that names exactly one record. With ``prefer`` = (column, field), a filled
    cell in that column of the row names the record instead (a source's URL before its
    title). Records are looked up once per import and remembered."""

    def __init__(self, model, lookups, *, render_field=None, prefer=None, upper=False):
        super().__init__()
        self.model = model
        self.lookups = tuple(lookups)
        self.render_field = render_field or self.lookups[0]
        self.prefer = prefer
        self.upper = upper
        self.found = {}

    def find(self, lookups, text):
        if (lookups, text) not in self.found:
            self.found[lookups, text] = self.search(lookups, text)
        result = self.found[lookups, text]
        if isinstance(result, CellError):
            raise result
        return result

    def search(self, lookups, text):
        name = self.model._meta.verbose_name
        for lookup in lookups:
            matches = list(self.model._default_manager.filter(**{lookup: text})[:2])
            if len(matches) == 1:
                return matches[0]
            if matches:
                return CellError(
                    _("More than one %(model)s is “%(text)s”: name it by its %(field)s.")
                    % {"model": name, "text": text, "field": self.field_name(self.lookups[0])}
                )
        return CellError(
            _("No %(model)s has the %(field)s “%(text)s”: add it first, or check the spelling.")
            % {"model": name, "field": self.field_name(lookups[0]), "text": text}
        )

    def field_name(self, lookup) -> str:
        return str(self.model._meta.get_field(lookup).verbose_name)

    def key(self, value) -> str:
        text = text_of(value)
        return text.upper() if self.upper else text

    def clean(self, value, row=None, **kwargs):
        if self.prefer and row is not None and not is_blank(row.get(self.prefer[0])):
            return self.find((self.prefer[1],), self.key(row[self.prefer[0]]))
        if is_blank(value):
            return None
        return self.find(self.lookups, self.key(value))

    def render(self, value, obj=None, **kwargs):
        return getattr(value, self.render_field) if value is not None else None

    def describe(self) -> str:
        fields = [self.field_name(lookup) for lookup in self.lookups]
        return _("the %(model)s's %(fields)s") % {
            "model": self.model._meta.verbose_name,
            "fields": str(_(" or ")).join(fields),
        }


class KeysWidget(KeyWidget):
    """A many-to-many set: natural keys separated by semicolons (or line breaks)."""

    def clean(self, value, row=None, **kwargs):
        text = text_of(value)
        for separator in LIST_SEPARATORS[1:]:
            text = text.replace(separator, LIST_SEPARATORS[0])
        keys = [self.key(part) for part in text.split(LIST_SEPARATORS[0]) if part.strip()]
        records, problems = [], []
        for key in dict.fromkeys(keys):
            try:
                records.append(self.find(self.lookups, key))
            except CellError as error:
                problems.append(str(error))
        if problems:
            raise CellError(" ".join(problems))
        return records

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return []
        records = value.all() if hasattr(value, "all") else value
        return sorted(str(getattr(record, self.render_field)) for record in records)

    def describe(self) -> str:
        return _("%(keys)s; several separated by semicolons") % {"keys": super().describe()}


REQUIRED_TEXT = gettext_lazy("required")
KEY_TEXT = gettext_lazy("identifies the record")
REQUIRED_KEY_TEXT = gettext_lazy("required; identifies the record")
OPTIONAL_TEXT = gettext_lazy("optional")
EXPORT_TEXT = gettext_lazy("export only; ignored on import")
