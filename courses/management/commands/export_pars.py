from django.core.management.base import BaseCommand, CommandError

from courses.exports import PARS_HEADER, pars_rows, to_csv
from courses.models import ActivityPage


class Command(BaseCommand):
    help = (
        "Board-reporting (PARS) export of one activity: CSV of reportable completions "
        "on stdout; claims that cannot be reported, with the reason, on stderr. "
        "Completions older than 30 days are flagged in the last column."
    )

    def add_arguments(self, parser):
        parser.add_argument("activity_slug")

    def handle(self, *args, activity_slug: str, **options):
        activity = ActivityPage.objects.filter(slug=activity_slug).first()
        if activity is None:
            raise CommandError(f"No CME activity has the slug {activity_slug!r}.")
        rows, blocked = pars_rows(activity)
        self.stdout.write(to_csv(PARS_HEADER, rows), ending="")
        late = sum(row[-1] == "yes" for row in rows)
        if late:
            self.stderr.write(
                f"{late} completion(s) are older than 30 days: report them now."
            )
        if blocked:
            self.stderr.write(f"{len(blocked)} claim(s) cannot be reported:")
            for row in blocked:
                self.stderr.write(
                    f"  {row.learner} ({row.credit_type}): {'; '.join(row.reasons)}"
                )
        else:
            self.stderr.write("Every claim can be reported.")
