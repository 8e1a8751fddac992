"""``manage.py import_<records> FILE --user NAME --reason TEXT [--dry-run]``: scripted loads
through the admin's import (same reading, validation, revisions, drafts and proposals).
Each revision's reason is the given text followed by the file's name and the row. The exit
status is 0 only when the file imported (or, with ``--dry-run``, would import) cleanly;
otherwise nothing is written and each error is printed with its row and column."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from .cells import COMMA, POINT
from .files import FileError, format_for


class ImportCommand(BaseCommand):
    resource_class = None

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument("--user", required=True, help="the account the revisions name")
        parser.add_argument(
            "--reason", required=True, help="kept with each revision, before the file and row"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="read and check the file, write nothing"
        )
        parser.add_argument(
            "--decimal-mark",
            choices=["comma", "point"],
            help="the file's decimal mark (default: its first number that shows one)",
        )

    def handle(self, *args, file, user, reason, dry_run, decimal_mark, **options):
        model = self.resource_class._meta.model
        account = self.account(user, model)
        if not reason.strip():
            raise CommandError("Give a reason (--reason): it is kept with each revision.")
        path = Path(file)
        try:
            dataset = format_for(path.name)().create_dataset(path.read_bytes())
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        except FileError as error:
            raise CommandError(f"{file}: {error}") from error
        resource = self.resource_class(
            user=account,
            reason=reason,
            decimal_mark={"comma": COMMA, "point": POINT}.get(decimal_mark or "", ""),
        )
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            file_name=path.name,
            rollback_on_validation_errors=True,
            use_transactions=True,
        )
        failed = [row for row in result.rows if row.kind == "error"]
        for error in result.base_errors:
            self.stderr.write(f"{path.name}: {error.error}")
        for row in failed:
            for column, cell, message in row.problems:
                where = f"Row {row.line}, {column}" if column else f"Row {row.line}"
                shown = f" (cell: “{cell}”)" if cell else ""
                self.stderr.write(f"{where}: {message}{shown}")
        if result.base_errors or failed:
            raise CommandError(
                f"Nothing was imported: {len(failed)} of {len(result.rows)} rows have errors"
                + (" and the file has problems." if result.base_errors else ".")
            )
        counts = result.counts()
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {path.name}: {counts['new']} new drafts, {counts['changed']} changed, "
            f"{counts['proposal']} proposed for review, {counts['unchanged']} unchanged."
        )

    def account(self, username, model):
        try:
            account = get_user_model()._default_manager.get_by_natural_key(username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No account “{username}”.") from error
        opts = model._meta
        allowed = all(
            account.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
            for action in ("add", "change")
        )
        if not (account.is_active and allowed):
            raise CommandError(
                f"“{username}” may not add and change {opts.verbose_name_plural}: "
                "only editors and reviewers import."
            )
        return account
