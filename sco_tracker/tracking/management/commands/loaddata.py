"""``loaddata`` that restores a dump as it was: the records and their history rows come
from the dump, so loading writes no revision of its own (Django's loader sets many-to-many
values through the ORM, which would otherwise count as edits)."""

from django.core.management.commands.loaddata import Command as LoadDataCommand

from ...recording import restoring


class Command(LoadDataCommand):
    def handle(self, *fixture_labels, **options):
        with restoring():
            return super().handle(*fixture_labels, **options)
