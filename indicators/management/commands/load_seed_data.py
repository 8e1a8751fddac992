from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction

from sco_tracker.history import TrackedModel, record_revision

SEED_DIR = Path(settings.BASE_DIR) / "fixtures"


def seen_before(model, pk) -> bool:
    """A record the seed already created, even if an editor has since deleted it."""
    if model._default_manager.filter(pk=pk).exists():
        return True
    return (
        issubclass(model, TrackedModel)
        and model.history.filter(**{model._meta.pk.attname: pk}).exists()
    )


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
            created, skipped = self.load(paths)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seed data: {len(created)} records created, {skipped} already present."
                )
            )

    def load(self, paths):
        created = []  # (instance, fixture name), in load order
        skipped = 0
        for path in paths:
            with path.open(encoding="utf-8") as stream:
                for item in serializers.deserialize("json", stream):
                    obj = item.object
                    model = type(obj)
                    if seen_before(model, obj.pk):
                        skipped += 1
                        continue
                    try:
                        obj.full_clean()
                    except ValidationError as error:
                        raise CommandError(
                            f"{path.name}: {model._meta.label} #{obj.pk} is invalid: "
                            f"{error.message_dict}"
                        ) from error
                    obj._defer_revision = True
                    obj.save(force_insert=True)
                    for name, values in item.m2m_data.items():
                        getattr(obj, name).set(values)
                    created.append((obj, path.name))

        self.reset_sequences({type(obj) for obj, _ in created})
        # Revisions last, so each snapshot includes many-to-many values set above.
        for obj, fixture in created:
            del obj._defer_revision
            if isinstance(obj, TrackedModel):
                obj.stamp_revision(user=None, reason=f"Seed data: fixtures/{fixture}")
                record_revision(obj, created=True)
        return created, skipped

    def reset_sequences(self, models):
        """Explicit primary keys leave PostgreSQL sequences behind; catch them up."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
