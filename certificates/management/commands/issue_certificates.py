import time

from django.core.management.base import BaseCommand, CommandError

from certificates import services
from certificates.models import IssuingRun
from courses.models import ActivityPage, CreditClaim

BAR_WIDTH = 30


def progress_bar(run: IssuingRun) -> str:
    filled = BAR_WIDTH * run.done // run.total if run.total else BAR_WIDTH
    return (
        f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {run.percent:3d}% "
        f"{run.done}/{run.total} ({run.issued} issued, {run.refused} refused)"
    )


class Command(BaseCommand):
    help = (
        "Issue certificates for every credit claim of an activity, in chunks on the "
        "task queue, and show the progress. Learners who already hold a valid "
        "certificate keep it."
    )

    def add_arguments(self, parser):
        parser.add_argument("activity_slug")
        parser.add_argument(
            "--no-wait", action="store_true", help="Queue the run and return."
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=3600,
            help="Stop watching (not issuing) after this many seconds.",
        )

    def handle(self, *args, activity_slug: str, no_wait: bool, timeout: int, **opts):
        activity = ActivityPage.objects.filter(slug=activity_slug).first()
        if activity is None:
            raise CommandError(f"No activity has the slug {activity_slug!r}.")
        run = services.start_issuing_run(
            activity=activity,
            claims=CreditClaim.objects.filter(enrolment__activity=activity),
        )
        self.stdout.write(f"Issuing run {run.uuid} for {activity.title!r} queued.")
        if no_wait:
            return
        deadline = time.monotonic() + timeout
        while True:
            run.refresh_from_db()
            self.stdout.write("\r" + progress_bar(run), ending="")
            self.stdout.flush()
            if run.status == IssuingRun.Status.FINISHED:
                break
            if time.monotonic() > deadline:
                self.stdout.write("")
                raise CommandError(
                    "Still running; is the queue worker up? (manage.py qcluster)"
                )
            time.sleep(1)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Done."))
