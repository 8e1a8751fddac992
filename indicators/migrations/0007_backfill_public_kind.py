"""Decide, for every revision written before revisions carried it, what it was to the
public (``public_kind``), by the same rule the engine now applies when it writes one:
visible after the write (own state and parents as they stood then) versus visible just
before it.

The rule is restated here over the historical models on purpose: a migration must not
depend on code that will keep changing.
"""

from django.db import migrations

PUBLISHABLE = {
    ("meetings", "meeting"),
    ("meetings", "commitment"),
    ("indicators", "indicator"),
    ("indicators", "figure"),
}
# (app, model) → [(foreign key, target (app, model), may be empty)]
PARENTS = {
    ("meetings", "session"): [("meeting", ("meetings", "meeting"), False)],
    ("meetings", "delegation"): [("meeting", ("meetings", "meeting"), False)],
    ("meetings", "commitment"): [("meeting", ("meetings", "meeting"), False)],
    ("meetings", "commitmentquote"): [("commitment", ("meetings", "commitment"), False)],
    ("indicators", "figure"): [
        ("indicator", ("indicators", "indicator"), False),
        ("meeting", ("meetings", "meeting"), True),
    ],
}
TRACKED = [
    ("meetings", name)
    for name in (
        "topic",
        "country",
        "person",
        "source",
        "meeting",
        "session",
        "delegation",
        "commitment",
        "commitmentquote",
    )
] + [("indicators", "indicator"), ("indicators", "figure")]


def backfill(apps, schema_editor):
    rows = {}  # (app, model) → {record id: [rows, oldest first]}
    for key in TRACKED:
        history = apps.get_model(key[0], f"historical{key[1]}")
        by_record = {}
        for row in history.objects.order_by("history_date", "history_id"):
            by_record.setdefault(row.id, []).append(row)
        rows[key] = by_record

    def own(key, row):
        if row is None or row.history_type == "-":
            return False
        return key not in PUBLISHABLE or row.state == "published"

    def row_at(key, record_id, moment):
        found = None
        for row in rows[key].get(record_id, ()):
            if row.history_date > moment:
                break
            found = row
        return found

    def parents_visible(key, row, moment):
        for field, target, optional in PARENTS.get(key, ()):
            parent_id = getattr(row, f"{field}_id")
            if parent_id is None:
                if optional:
                    continue
                return False
            if not visible(target, parent_id, moment):
                return False
        return True

    def visible(key, record_id, moment):
        row = row_at(key, record_id, moment)
        return own(key, row) and parents_visible(key, row, moment)

    for key in TRACKED:
        changed = []
        for history in rows[key].values():
            previous = None
            for row in history:
                moment = row.history_date
                now = row.history_type != "-" and own(key, row) and parents_visible(key, row, moment)
                before = own(key, previous) and parents_visible(key, previous, moment)
                if now and before:
                    kind = "reverted" if row.reverted_to_history_id else "changed"
                elif now:
                    kind = "created" if row.history_type == "+" else "published"
                elif before:
                    kind = "deleted" if row.history_type == "-" else "withdrawn"
                else:
                    kind = ""
                if row.public_kind != kind:
                    row.public_kind = kind
                    changed.append(row)
                previous = row
        apps.get_model(key[0], f"historical{key[1]}").objects.bulk_update(
            changed, ["public_kind"], batch_size=1000
        )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0006_revision_public_kind"),
        ("meetings", "0007_revision_public_kind"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
