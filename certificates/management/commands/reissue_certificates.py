from django.core.management.base import BaseCommand, CommandError

from certificates import services
from certificates.models import Certificate


class Command(BaseCommand):
    help = (
        "Reissue valid certificates with today's activity data and template (after a "
        "template fix). --dry-run lists each certificate and the fields that would "
        "change, and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--activity", help="Only certificates of this activity slug."
        )
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--reason", default="", help="Shown on the old certificate."
        )

    def handle(self, *args, activity=None, dry_run=False, reason="", **options):
        certificates = Certificate.objects.select_related("claim__enrolment__activity")
        if activity:
            certificates = certificates.filter(activity__slug=activity)
        plans = services.plan_reissue(certificates=certificates)
        changing = [plan for plan in plans if plan.changes]
        for plan in changing:
            self.stdout.write(f"{plan.certificate.code}:")
            for field, (old, new) in sorted(plan.changes.items()):
                self.stdout.write(f"  {field}: {old!r} -> {new!r}")
        self.stdout.write(
            f"{len(changing)} of {len(plans)} valid certificates would change."
        )
        if dry_run:
            return
        if not reason.strip():
            raise CommandError("Give --reason: it is shown on the old certificates.")
        new = services.reissue_certificates(plans=changing, actor=None, reason=reason)
        self.stdout.write(self.style.SUCCESS(f"Reissued {len(new)} certificates."))
