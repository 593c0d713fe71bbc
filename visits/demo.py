"""Visits demo, built through the real services (seed_demo runs it after meetings).

patient: a booked visit, a past signed visit, home readings with one alert.
patient2: their own booked visit. clinician -> specialist: a referral for patient.
"""

import io
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from accounts.models import User
from visits.models import (
    ClinicalNote,
    ClinicianProfile,
    PatientProfile,
    Reading,
    Referral,
    Visit,
    VisitType,
    WeeklyHours,
)
from visits.services.booking import book_visit
from visits.services.catalogue import ensure_standard_catalogue
from visits.services.medication import set_medication_schedule
from visits.services.monitoring import ReadingInput, import_readings
from visits.services.record import decide_refill, request_refill, save_note, sign_note
from visits.services.sharing import (
    create_referral,
    start_care_relationship,
    store_document,
)
from visits.services.slots import free_slots
from visits.services.visit_flow import (
    accept_consent,
    admit_patient,
    check_in,
    current_consent,
    end_visit,
    save_intake,
    start_note,
)

CLINICS = {
    "clinician": ("Lakeside Family Clinic", "America/Chicago"),
    "specialist": ("Riverside Cardiology", "Europe/London"),
}


def _open_clinic(user: User, name: str, zone: str) -> None:
    profile, created = ClinicianProfile.objects.get_or_create(
        clinician=user, defaults={"clinic_name": name, "time_zone": zone}
    )
    if created:
        profile.visit_types.set(VisitType.objects.all())
        WeeklyHours.objects.bulk_create(
            WeeklyHours(
                clinician=user, weekday=day, start_time=time(8), end_time=time(18)
            )
            for day in range(7)
        )


def _next_slot(clinician, kind, *, after: datetime, now: datetime | None = None):
    slots = free_slots(
        visit_type=kind,
        clinicians=[clinician],
        start_date=after.date(),
        days=7,
        now=now or after,
    )
    return next(slot.start for slot in slots if slot.start >= after)


def _past_signed_visit(patient, clinician, kind) -> Visit:
    day = timezone.now() - timedelta(days=10)
    then = day.replace(hour=0, minute=0, second=0, microsecond=0)
    start = _next_slot(clinician, kind, after=then + timedelta(hours=15), now=then)
    visit = book_visit(
        patient=patient, clinician=clinician, visit_type=kind, start=start, now=then
    )
    save_intake(
        visit=visit,
        answers={"readings": "Home readings have been around 150 over 95."},
        scores={},
    )
    accept_consent(visit=visit, document=current_consent(), ip_address=None)
    check_in(visit=visit, now=start - timedelta(minutes=5))
    admit_patient(visit=visit, now=start)
    end_visit(visit=visit, now=start + timedelta(minutes=20))
    note = start_note(visit=visit)
    save_note(
        note=note,
        objective="Home blood pressure log reviewed by video.",
        assessment="Stage 2 hypertension, not controlled at home.",
        plan="Start lisinopril 10 mg once daily. Recheck readings in two weeks.",
        patient_instructions="Take your blood pressure every morning and evening.",
    )
    sign_note(note=note, clinician=clinician, now=start + timedelta(minutes=30))
    return visit


def _readings(patient) -> None:
    now = timezone.now()
    rows = [
        ReadingInput(
            Reading.Kind.BLOOD_PRESSURE,
            now - timedelta(days=day, hours=2),
            systolic=128 + day % 5,
            diastolic=82 + day % 4,
        )
        for day in range(14, 0, -1)
    ]
    rows += [
        ReadingInput(
            Reading.Kind.HEART_RATE, now - timedelta(days=day, hours=2), heart_rate=72
        )
        for day in range(14, 0, -2)
    ]
    # The one reading over the default threshold: it raises the demo's alert.
    rows.append(
        ReadingInput(
            Reading.Kind.BLOOD_PRESSURE,
            now - timedelta(hours=3),
            systolic=168,
            diastolic=88,
        )
    )
    import_readings(patient=patient, readings=rows)


def _scan(patient, clinician):
    image = Image.new("RGB", (64, 48), (200, 220, 240))
    data = io.BytesIO()
    image.save(data, "PNG")
    upload = SimpleUploadedFile("ecg.png", data.getvalue(), content_type="image/png")
    return store_document(
        patient=patient, uploaded_by=clinician, title="ECG strip", upload=upload
    )


@transaction.atomic
def seed() -> list[str]:
    ensure_standard_catalogue()
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["clinician", "specialist", "patient", "patient2"]
        )
    }
    if len(people) < 4:
        return ["visits demo skipped: personas missing"]
    for username, (name, zone) in CLINICS.items():
        _open_clinic(people[username], name, zone)
    patient, patient2 = people["patient"], people["patient2"]
    clinician, specialist = people["clinician"], people["specialist"]
    lines = []
    if not Visit.objects.filter(patient=patient).exists():
        # The clinician's workspace shows the patient's age.
        PatientProfile.objects.get_or_create(
            patient=patient, defaults={"date_of_birth": date(1971, 6, 14)}
        )
        review = VisitType.objects.get(code="monitoring-review")
        past = _past_signed_visit(patient, clinician, review)
        start_care_relationship(clinician=clinician, patient=patient)
        wellness = VisitType.objects.get(code="wellness")
        tomorrow = timezone.now() + timedelta(days=1)
        book_visit(
            patient=patient,
            clinician=clinician,
            visit_type=wellness,
            start=_next_slot(clinician, wellness, after=tomorrow),
            reason="Yearly check-up.",
        )
        refill = request_refill(
            patient=patient,
            clinician=clinician,
            medication="Lisinopril 10 mg tablet",
            dosage="One tablet by mouth once daily",
        )
        decide_refill(refill=refill, approve=True, reason="Readings are improving.")
        set_medication_schedule(
            prescription=refill,
            set_by=patient,
            times_of_day=[time(8), time(20)],
            weekdays=[1, 2, 3, 4, 5, 6, 7],
            start_date=timezone.localdate() - timedelta(days=3),
        )
        _readings(patient)
        create_referral(
            clinician=clinician,
            patient=patient,
            specialist=specialist,
            reason="Resistant hypertension: please assess.",
            notes=[ClinicalNote.objects.get(visit=past)],
            documents=[_scan(patient, clinician)],
        )
        lines.append("patient: one booked visit, one signed past visit, readings")
    if not Visit.objects.filter(patient=patient2).exists():
        eye = VisitType.objects.get(code="eye-exam")
        after = timezone.now() + timedelta(days=2)
        book_visit(
            patient=patient2,
            clinician=clinician,
            visit_type=eye,
            start=_next_slot(clinician, eye, after=after),
        )
        lines.append("patient2: one booked visit")
    referrals = Referral.objects.filter(specialist=specialist).count()
    lines.append(f"referrals to the specialist: {referrals}")
    return lines
