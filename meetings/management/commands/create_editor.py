import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sco_tracker.tracking.groups import EDITORS as EDITORS_GROUP
from sco_tracker.tracking.groups import REVIEWERS as REVIEWERS_GROUP


class Command(BaseCommand):
    help = (
        "Create a staff account in the Editors group (with --reviewer: Reviewers, who may "
        "also publish and withdraw), or bring an existing one back to that with the given "
        "password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="Prompted for (twice) when omitted.")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--reviewer", action="store_true", help="Reviewers group: may also publish."
        )

    def handle(self, *args, username, password=None, email="", reviewer=False, **options):
        User = get_user_model()
        if password is None:
            password = self.prompt_password()
        user = User.objects.filter(username=username).first() or User(username=username)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        group_name = REVIEWERS_GROUP if reviewer else EDITORS_GROUP
        try:
            group = Group.objects.get(name=group_name)
        except Group.DoesNotExist as error:
            raise CommandError(
                f"The {group_name} group is missing: run manage.py migrate."
            ) from error

        created = user.pk is None
        user.email = email or user.email
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.set([group])
        verb = "Created" if created else "Updated"
        role = "reviewer" if reviewer else "editor"
        self.stdout.write(self.style.SUCCESS(f"{verb} {role} account “{username}”."))

    def prompt_password(self) -> str:
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt) as error:
            raise CommandError("No password given (use --password).") from error
        if not first:
            raise CommandError("The password cannot be empty.")
        if first != second:
            raise CommandError("The passwords do not match.")
        return first
