import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

EDITORS_GROUP = "Editors"


class Command(BaseCommand):
    help = (
        "Create a staff account in the Editors group, or bring an existing one back to "
        "staff + Editors with the given password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="Prompted for (twice) when omitted.")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, password=None, email="", **options):
        User = get_user_model()
        if password is None:
            password = self.prompt_password()
        user = User.objects.filter(username=username).first() or User(username=username)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        try:
            group = Group.objects.get(name=EDITORS_GROUP)
        except Group.DoesNotExist as error:
            raise CommandError("The Editors group is missing: run manage.py migrate.") from error

        created = user.pk is None
        user.email = email or user.email
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} editor account “{username}”."))

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
