"""Spreadsheet files in and out: CSV (UTF-8; comma, semicolon or tab separated, as
LibreOffice and Excel save them) and XLSX.

Reading keeps every row in its place, blank ones included, so that messages name the row
an editor sees in the spreadsheet (the header is row 1). Writing follows the public exports:
numbers as numbers, dates as ISO dates, lists joined with "; ", and in CSV a text cell a
spreadsheet would run as a formula written with a leading apostrophe (``csv_cell``); XLSX
stores such text as text, never as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from ..exports import csv_cell, export_value

DELIMITERS = (",", ";", "\t")
# Beyond this many significant digits a spreadsheet's binary numbers lose some: such
# decimals are written as text so that they read back exactly.
EXACT_DIGITS = 15


class FileError(ValueError):
    """A file that cannot be read as a table; the message says why."""


def not_utf8() -> str:
    return _("The file is not UTF-8 text: save it as “CSV (UTF-8)” or as XLSX and try again.")


def decode(data) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileError(not_utf8()) from error


def table(header, rows) -> tablib.Dataset:
    """A dataset of ``rows`` under ``header`` (names trimmed and lower-cased), every row as
    wide as the header; trailing unnamed columns are dropped when they are empty."""
    names = [str(name).strip().lower() if name is not None else "" for name in header]
    while names and not names[-1]:
        names.pop()
    width = len(names)
    if not width:
        raise FileError(_("The file has no header row: row 1 must name the columns."))
    unnamed = [str(index + 1) for index, name in enumerate(names) if not name]
    if unnamed:
        raise FileError(
            _("Column %(columns)s has no name in row 1.") % {"columns": ", ".join(unnamed)}
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise FileError(
            _("Row 1 names a column twice: %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    dataset = tablib.Dataset(headers=names)
    for number, row in enumerate(rows, 2):
        row = ["" if value is None else value for value in row]
        extra = [value for value in row[width:] if str(value).strip()]
        if extra:
            raise FileError(
                _("Row %(row)s has more cells than row 1 has column names.") % {"row": number}
            )
        dataset.append((row + [""] * width)[:width])
    return dataset


def read_csv(text: str) -> tablib.Dataset:
    text = decode(text)
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        return table(header, list(reader))
    except csv.Error as error:
        message = _("The file is not a readable CSV table: %(error)s") % {"error": error}
        raise FileError(message) from error


def read_xlsx(data: bytes) -> tablib.Dataset:
    """The first worksheet (whichever sheet was open when the file was saved)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileError(_("The file is not a readable XLSX workbook.")) from error
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # files saved by some programs state wrong dimensions
    rows = sheet.iter_rows(values_only=True)
    try:
        return table(next(rows, ()), [list(row) for row in rows])
    finally:
        book.close()


def cell_value(value):
    """A value as the public exports give it: decimals, dates, texts, lists."""
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    if isinstance(value, datetime.datetime):
        return export_value(value)
    return value


def write_csv(headers, rows) -> str:
    """With a byte-order mark, as the public exports: spreadsheets then read UTF-8."""
    stream = io.StringIO()
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_cell(cell_value(value)) for value in row])
    return stream.getvalue()


def write_xlsx(sheets) -> bytes:
    """``sheets``: (title, column names, rows, column widths or None) for each sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for title, headers, rows, widths in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths or [18] * len(headers), 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        header_cells = []
        for name in headers:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            cells = []
            for value in row:
                value = cell_value(value)
                if isinstance(value, Decimal) and len(value.normalize().as_tuple().digits) > (
                    EXACT_DIGITS
                ):
                    value = export_value(value)
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
                cell = WriteOnlyCell(sheet, value=value)
                if cell.data_type == "f":
                    cell.data_type = "s"  # text that looks like a formula stays text
                if isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
                if isinstance(value, str) and "\n" in value:
                    cell.alignment = wrap
                cells.append(cell)
            sheet.append(cells)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


class CSVFormat(base_formats.CSV):
    CONTENT_TYPE = "text/csv; charset=utf-8"

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)

    def export_data(self, dataset, **kwargs):
        return write_csv(dataset.headers, dataset)


class XLSXFormat(base_formats.XLSX):
    def create_dataset(self, in_stream, **kwargs):
        return read_xlsx(in_stream)

    def export_data(self, dataset, **kwargs):
        return write_xlsx([(dataset.title or "data", dataset.headers, dataset, None)])


FORMATS = [CSVFormat, XLSXFormat]


def format_for(file_name: str):
    """The format a file's extension names (``.csv``, ``.xlsx``)."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    for file_format in FORMATS:
        if file_format().get_extension() == extension:
            return file_format
    raise FileError(_("“%(name)s”: import .csv or .xlsx files.") % {"name": file_name})
