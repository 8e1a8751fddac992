"""GIN full-text indexes for the reference records searched through their figures and
commitments (sources, people, countries, topics; PostgreSQL only), built like
``0004_search_indexes`` from ``sco_tracker.tracking.search.search_vector`` over the
columns each model's ``Tracking.search_fields`` names. Without them every search word
computes the text vector of every source."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from sco_tracker.tracking.search import search_vector

INDEXES = {
    "source": ("source_search_idx", ("title", "publisher")),
    "person": ("person_search_idx", ("name_en", "name_ru")),
    "country": ("country_search_idx", ("code", "name_en", "name_ru")),
    "topic": ("topic_search_idx", ("name_en", "name_ru")),
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
    dependencies = [("meetings", "0012_history_indexes")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
