"""Once created the editorial groups; superseded by ``sco_tracker.tracking.groups``, whose
``post_migrate`` handler keeps Editors and Reviewers in step with every tracked model.
Kept, empty, so the migration graph of existing databases stays intact."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_publication_state_and_version"),
        ("meetings", "0006_reviewers_group"),
    ]

    operations = []
