"""GIN full-text indexes for the compliance records (PostgreSQL only), built like
``0004_search_indexes`` from ``sco_tracker.tracking.search.search_vector`` over the
columns each model's ``Tracking.search_fields`` names."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from sco_tracker.tracking.search import search_vector

INDEXES = {
    "assessment": (
        "assessment_search_idx",
        ("justification_en", "justification_ru", "period_label"),
    ),
    "evidence": ("evidence_search_idx", ("quote", "title")),
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
    dependencies = [("meetings", "0010_compliance_assessments_status_since")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
