"""``manage.py import_figures FILE --user NAME --reason TEXT [--dry-run]``: figures from a
CSV or XLSX file, as the admin's import reads them (``tracking.importing.commands``)."""

from sco_tracker.tracking.importing.commands import ImportCommand

from ...resources import FigureResource


class Command(ImportCommand):
    help = (
        "Import figures from a CSV (UTF-8) or XLSX file, as the admin's import does: one "
        "revision per new or changed figure, new figures as drafts, changes to published "
        "ones as proposals unless the user can publish. Nothing is written unless every row "
        "is valid."
    )
    resource_class = FigureResource
