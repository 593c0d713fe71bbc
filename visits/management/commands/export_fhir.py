import json
import uuid

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from visits.audit import record_event
from visits.fhir import build_bundle
from visits.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Print one patient's record as a FHIR R4 Bundle (JSON). The export is "
        "written to the PHI audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("patient_uuid", help="The patient's UUID.")

    def handle(self, *args, patient_uuid: str, **options):
        try:
            key = uuid.UUID(patient_uuid)
        except ValueError:
            raise CommandError(f"{patient_uuid!r} is not a UUID.") from None
        patient = User.objects.filter(uuid=key).first()
        if patient is None:
            raise CommandError("No person has this UUID.")
        bundle = build_bundle(patient)
        record_event(
            actor=None,
            action=AuditEvent.Action.EXPORT,
            what="fhir_bundle",
            patient=patient,
            path="manage.py export_fhir",
        )
        self.stdout.write(json.dumps(bundle, indent=2))
