"""GIN full-text indexes for public search (PostgreSQL only; SQLite searches without).

Each index is built from ``sco_tracker.tracking.search.search_vector`` over the same columns
the model's QuerySet searches, so PostgreSQL matches the query to the index expression.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from sco_tracker.tracking.search import search_vector

INDEXES = {
    "meeting": (
        "meeting_search_idx",
        (
            "title_en",
            "title_ru",
            "city_en",
            "city_ru",
            "summary_en",
            "summary_ru",
            "documents_signed_en",
            "documents_signed_ru",
        ),
    ),
    "commitment": ("commitment_search_idx", ("title_en", "title_ru", "notes")),
    "commitmentquote": ("commitment_quote_search_idx", ("quote",)),
}


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (name, fields) in INDEXES.items():
        model = apps.get_model("meetings", model_name)
        schema_editor.add_index(model, GinIndex(search_vector(fields), name=name))


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (name, fields) in INDEXES.items():
        model = apps.get_model("meetings", model_name)
        schema_editor.remove_index(model, GinIndex(search_vector(fields), name=name))


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_person_full_name_labels")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
