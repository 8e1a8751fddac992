"""Once created the editorial groups; superseded by ``sco_tracker.tracking.groups``, whose
``post_migrate`` handler keeps Editors and Reviewers in step with every tracked model.
Kept, empty, so the migration graph of existing databases stays intact."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
