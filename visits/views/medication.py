"""Medication schedules: the patient's medicines page, the schedule form (patient
or clinician), answering a dose from the page, and the token endpoint that a
notification's Taken/Skipped buttons post to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts.services import in_zone
from visits.access import PATIENT_AND_CARE, PATIENT_ONLY, authorize, refuse
from visits.audit import record_event
from visits.forms import MedicationScheduleForm
from visits.models import AuditEvent, Dose, MedicationSchedule, RefillRequest, Visit
from visits.services.medication import (
    MedicationError,
    active_prescriptions,
    answer_dose,
    can_answer,
    read_answer_token,
    set_medication_schedule,
    upcoming_doses,
)
from visits.views.common import post_only, refused, uuid_or_none


@login_required
def medicines(request):
    """The patient's medicines: schedules to set, and the next doses to answer."""
    patient = request.user
    authorize(request, patient=patient, what="medication_schedule", accept=PATIENT_ONLY)
    now = timezone.now()
    prescriptions = list(active_prescriptions(patient))
    schedules = {
        schedule.prescription_id: schedule
        for schedule in MedicationSchedule.objects.filter(
            patient=patient, stopped_at__isnull=True
        )
    }
    doses = [
        {"dose": dose, "answerable": can_answer(dose, now=now)}
        for dose in upcoming_doses(patient, now=now)
    ]
    return render(
        request,
        "visits/medicines.html",
        {
            "prescriptions": [
                {"prescription": p, "schedule": schedules.get(p.pk)}
                for p in prescriptions
            ],
            "doses": doses,
        },
    )


@login_required
def medicine_schedule(request, prescription):
    found = (
        RefillRequest.objects.select_related("patient")
        .filter(uuid=prescription, status=RefillRequest.Status.APPROVED)
        .first()
    )
    if found is None:
        raise refuse(request, what="medication_schedule")
    authorize(
        request,
        patient=found.patient,
        what="medication_schedule",
        accept=PATIENT_AND_CARE,
        obj=found,
        write=request.method == "POST",
    )
    current = found.schedules.filter(stopped_at__isnull=True).first()
    today = in_zone(timezone.now(), found.patient).date()
    initial = {"start_date": today}
    if current:
        initial.update(
            {f"time_{n}": text for n, text in enumerate(current.times_of_day, 1)},
            weekdays=current.weekdays,
            start_date=max(current.start_date, today),
            end_date=current.end_date,
        )
    form = MedicationScheduleForm(request.POST or None, initial=initial)
    asked_from = request.POST.get("return_visit") or request.GET.get("visit")
    return_visit = Visit.objects.filter(
        uuid=uuid_or_none(asked_from),
        clinician=request.user,
        patient=found.patient,
    ).first()
    if request.method == "POST" and form.is_valid():
        try:
            set_medication_schedule(
                prescription=found, set_by=request.user, **form.schedule_arguments()
            )
        except MedicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The medicine schedule was saved."))
            if return_visit is not None:
                workspace = reverse("visits:visit", args=[return_visit.uuid])
                return redirect(f"{workspace}#medicines")
            if request.user.pk == found.patient_id:
                return redirect("visits:medicines")
            return redirect("visits:patient", found.patient.uuid)
    return render(
        request,
        "visits/medicine_schedule.html",
        {
            "prescription": found,
            "form": form,
            "current": current,
            "return_visit": return_visit,
            "zone": found.patient.time_zone,
        },
        status=400 if form.errors else 200,
    )


@login_required
def dose_answer(request, dose):
    """Taken or Skipped pressed on the medicines page (with the session)."""
    found = Dose.objects.select_related("schedule__patient").filter(uuid=dose).first()
    if found is None:
        raise refuse(request, what="medication_dose")
    authorize(
        request,
        patient=found.schedule.patient,
        what="medication_dose",
        accept=PATIENT_ONLY,
        obj=found,
        write=request.method == "POST",
    )
    if response := post_only(request):
        return response
    try:
        answer_dose(dose=found, answer=request.POST.get("answer", ""))
    except MedicationError as exc:
        return refused(request, exc.message, status=400)
    messages.success(
        request,
        _("Marked as taken.")
        if request.POST.get("answer") == Dose.Status.TAKEN
        else _("Marked as skipped."),
    )
    return redirect("visits:medicines")


@csrf_exempt
def dose_answer_by_token(request):
    """What a notification's Taken/Skipped button posts, from the service worker,
    without a session or CSRF token: the signed token in the body (bound to the
    dose, the answer and the patient, expiring) is the authority; it is never in
    the address, which logs and the audit trail keep. 204, or a 4xx."""
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    signed = read_answer_token(request.POST.get("token", ""))
    if signed is None:
        record_event(
            actor=None,
            action=AuditEvent.Action.DENIED,
            what="medication_dose",
            request=request,
        )
        return HttpResponse(status=403)
    patient = signed.dose.schedule.patient
    try:
        answer_dose(dose=signed.dose, answer=signed.answer)
    except MedicationError:
        return HttpResponse(status=409)
    record_event(
        actor=patient,
        action=AuditEvent.Action.WRITE,
        what="medication_dose",
        patient=patient,
        object_uuid=signed.dose.uuid,
        request=request,
    )
    return HttpResponse(status=204)
