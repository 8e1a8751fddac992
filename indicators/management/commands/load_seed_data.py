from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction

from sco_tracker.tracking.recording import revision

SEED_DIR = Path(settings.BASE_DIR) / "fixtures"
# A source's ``text`` given as "file:sources/….txt" is read from that file (next to the
# fixtures), so the documents are kept verbatim, as files, in the repository.
TEXT_FILE_PREFIX = "file:"


def seen_before(model, pk) -> bool:
    """A record the seed already created, even if an editor has since deleted it."""
    if model._default_manager.filter(pk=pk).exists():
        return True
    history = getattr(model, "history", None)
    return history is not None and history.filter(**{model._meta.pk.attname: pk}).exists()


def read_text_files(obj, fixtures_dir: Path) -> None:
    text = getattr(obj, "text", None)
    if isinstance(text, str) and text.startswith(TEXT_FILE_PREFIX):
        path = fixtures_dir / text.removeprefix(TEXT_FILE_PREFIX)
        try:
            obj.text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{obj._meta.label} #{obj.pk}: cannot read {path}") from error


class Command(BaseCommand):
    help = (
        "Load the seed data in fixtures/*.json. Records that exist, or existed and were "
        "deleted, are left alone, so a second run changes nothing and writes no history. "
        "Each new record gets one revision whose reason names the fixture file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures-dir", type=Path, default=SEED_DIR)

    def handle(self, *args, fixtures_dir: Path, verbosity=1, **options):
        paths = sorted(fixtures_dir.glob("*.json"))
        if not paths:
            raise CommandError(f"No fixtures found in {fixtures_dir}")
        with transaction.atomic():
            created, skipped = 0, 0
            for path in paths:
                # One revision per new record, naming its fixture; written when the file's
                # records are complete (many-to-many sets included).
                with revision(reason=f"Seed data: fixtures/{path.name}"):
                    file_created, file_skipped = self.load(path, fixtures_dir)
                created += len(file_created)
                skipped += file_skipped
                self.reset_sequences({type(obj) for obj in file_created})
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seed data: {created} records created, {skipped} already present."
                )
            )

    def load(self, path: Path, fixtures_dir: Path):
        created, skipped = [], 0
        with path.open(encoding="utf-8") as stream:
            for item in serializers.deserialize("json", stream):
                obj = item.object
                model = type(obj)
                if seen_before(model, obj.pk):
                    skipped += 1
                    continue
                read_text_files(obj, fixtures_dir)
                try:
                    obj.full_clean()
                except ValidationError as error:
                    raise CommandError(
                        f"{path.name}: {model._meta.label} #{obj.pk} is invalid: "
                        f"{error.message_dict}"
                    ) from error
                obj.save(force_insert=True)
                for name, values in item.m2m_data.items():
                    getattr(obj, name).set(values)
                created.append(obj)
        return created, skipped

    def reset_sequences(self, models):
        """Explicit primary keys leave PostgreSQL sequences behind; catch them up."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
