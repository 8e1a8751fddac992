from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "List the sign-in lockouts in force (failed attempts per username and address within "
        "the cool-off period), or lift them: --clear USERNAME, --clear-address ADDRESS, "
        "--clear-all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clear", metavar="USERNAME", help="Lift every lockout of this user.")
        parser.add_argument("--clear-address", metavar="ADDRESS", help="Lift an address's.")
        parser.add_argument("--clear-all", action="store_true", help="Lift every lockout.")

    def handle(self, *args, clear=None, clear_address=None, clear_all=False, **options):
        if clear or clear_address or clear_all:
            if clear_all:
                reset()
                AccessFailureLog.objects.all().delete()
            if clear:
                reset(username=clear)
                AccessFailureLog.objects.filter(username=clear).delete()
            if clear_address:
                reset(ip=clear_address)
                AccessFailureLog.objects.filter(ip_address=clear_address).delete()
            self.stdout.write(self.style.SUCCESS("Lockouts lifted."))
            return
        since = timezone.now() - timezone.timedelta(hours=settings.AXES_COOLOFF_TIME)
        attempts = AccessAttempt.objects.filter(attempt_time__gte=since).order_by("-attempt_time")
        if not attempts:
            self.stdout.write("No failed sign-ins within the cool-off period.")
            return
        self.stdout.write("username\taddress\tfailures\tlast attempt\tlocked until")
        for attempt in attempts:
            locked = attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
            until = attempt.attempt_time + timezone.timedelta(hours=settings.AXES_COOLOFF_TIME)
            self.stdout.write(
                f"{attempt.username}\t{attempt.ip_address}\t{attempt.failures_since_start}\t"
                f"{attempt.attempt_time:%Y-%m-%d %H:%M}\t"
                f"{f'{until:%Y-%m-%d %H:%M} UTC' if locked else '—'}"
            )
