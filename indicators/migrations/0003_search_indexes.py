"""GIN full-text indexes for public search (PostgreSQL only; SQLite searches without).

Built from ``sco_tracker.tracking.search.search_vector`` over the columns the QuerySets search.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from sco_tracker.tracking.search import search_vector

INDEXES = {
    "indicator": (
        "indicator_search_idx",
        ("name_en", "name_ru", "definition_en", "definition_ru"),
    ),
    "figure": (
        "figure_search_idx",
        ("as_stated", "quote", "period_label", "note", "estimate_by"),
    ),
}


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (name, fields) in INDEXES.items():
        model = apps.get_model("indicators", model_name)
        schema_editor.add_index(model, GinIndex(search_vector(fields), name=name))


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (name, fields) in INDEXES.items():
        model = apps.get_model("indicators", model_name)
        schema_editor.remove_index(model, GinIndex(search_vector(fields), name=name))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_editors_group")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
