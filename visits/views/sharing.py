"""The clinician's view of a patient, documents, referrals, break-glass, FHIR."""

import json
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from visits.access import (
    CARE_ONLY,
    CARE_TEAM,
    PATIENT_AND_CARE,
    active_referrals,
    authorize,
    refuse,
    role_allows,
    shared_with,
)
from visits.audit import record_event, record_reads
from visits.chart import build_readings_chart
from visits.errors import VisitsError
from visits.fhir import build_bundle
from visits.forms import (
    BreakGlassForm,
    CareMeetingForm,
    DocumentForm,
    ReferralForm,
    ThresholdForm,
)
from visits.models import (
    Alert,
    AuditEvent,
    ClinicalNote,
    Document,
    Referral,
    Threshold,
    Visit,
)
from visits.services.sharing import (
    create_referral,
    mark_referral_opened,
    open_break_glass,
    schedule_care_meeting,
    store_document,
)
from visits.uploads import UploadRefused
from visits.views.common import load_patient, post_only, refused


@login_required
def patient_record(request, patient):
    person = load_patient(request, patient, what="patient_record")
    relation = authorize(
        request, patient=person, what="patient_record", accept=CARE_TEAM
    )
    threshold = Threshold.objects.filter(patient=person).first() or Threshold()
    return render(
        request,
        "visits/patient_record.html",
        {
            "person": person,
            "relation": relation,
            "visits": Visit.objects.filter(patient=person).select_related("visit_type"),
            "chart": build_readings_chart(
                patient=person, viewer_zone=request.user.time_zone
            ),
            "alerts": Alert.objects.filter(patient=person)[:20],
            "documents": Document.objects.filter(patient=person),
            "threshold_form": ThresholdForm(
                initial={
                    "systolic_max": threshold.systolic_max,
                    "diastolic_max": threshold.diastolic_max,
                    "heart_rate_min": threshold.heart_rate_min,
                    "heart_rate_max": threshold.heart_rate_max,
                }
            ),
            "document_form": DocumentForm(),
        },
    )


@login_required
def document_upload(request, patient):
    person = load_patient(request, patient, what="document")
    authorize(request, patient=person, what="document", write=request.method == "POST")
    if response := post_only(request):
        return response
    form = DocumentForm(request.POST, request.FILES)
    back = "visits:patient" if person.pk != request.user.pk else "visits:readings"
    if not form.is_valid():
        return refused(
            request,
            _("Please give a title and choose a file."),
            status=400,
            back="visits:home",
        )
    try:
        store_document(
            patient=person,
            uploaded_by=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )
    except UploadRefused as exc:
        return refused(request, exc.message, status=400)
    messages.success(request, _("The document was added to the record."))
    if back == "visits:patient":
        return redirect(back, person.uuid)
    return redirect(back)


@login_required
def document(request, document):
    found = Document.objects.select_related("patient").filter(uuid=document).first()
    if found is None:
        raise refuse(request, what="document")
    authorize(request, patient=found.patient, what="document", obj=found)
    response = FileResponse(
        found.file.open("rb"), content_type=found.content_type, as_attachment=False
    )
    response["Content-Disposition"] = f'inline; filename="document{found.extension}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def referral_create(request, patient):
    person = load_patient(request, patient, what="referral")
    # Break-glass access is time-boxed; a referral would hand the notes on for
    # weeks, so only a clinician with a care link may refer.
    authorize(
        request,
        patient=person,
        what="referral",
        accept=CARE_ONLY,
        write=request.method == "POST",
    )
    notes = ClinicalNote.objects.filter(
        visit__patient=person, signed_at__isnull=False
    ).select_related("visit__visit_type")
    documents = Document.objects.filter(patient=person)
    specialists = (
        User.objects.filter(groups__permissions__codename="receive_referrals")
        .exclude(pk=request.user.pk)
        .distinct()
    )
    form = ReferralForm(
        request.POST or None, specialists=specialists, notes=notes, documents=documents
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = create_referral(
                clinician=request.user,
                patient=person,
                specialist=specialists.get(uuid=data["specialist"]),
                reason=data["reason"],
                notes=list(notes.filter(uuid__in=data.get("notes", []))),
                documents=list(documents.filter(uuid__in=data.get("documents", []))),
                days=data["days"],
            )
        except VisitsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The referral was sent to the specialist."))
            return redirect("visits:referral", referral.uuid)
    return render(
        request,
        "visits/referral_form.html",
        {"person": person, "form": form},
        status=400 if form.errors else 200,
    )


def _load_referral(request, referral_uuid, *, write=False):
    found = (
        Referral.objects.select_related("patient", "specialist", "referring_clinician")
        .filter(uuid=referral_uuid)
        .first()
    )
    if found is None:
        raise refuse(request, what="referral")
    authorize(
        request,
        patient=found.patient,
        what="referral",
        accept=PATIENT_AND_CARE,
        obj=found,
        write=write,
    )
    return found


@login_required
def referral_inbox(request):
    """The specialist's active referrals: who, from whom, until when, what is shared."""
    if not role_allows(request.user, "visits.receive_referrals"):
        raise refuse(request, what="referral_list")
    referrals = list(
        active_referrals(request.user)
        .select_related("patient", "referring_clinician")
        .prefetch_related("shared_notes__visit__visit_type", "shared_documents")
    )
    # The list names patients and what was shared: a read of each one's record.
    record_reads(
        actor=request.user,
        what="referral_list",
        patients=[found.patient for found in referrals],
        request=request,
    )
    return render(request, "visits/referral_inbox.html", {"referrals": referrals})


@login_required
def referral(request, referral):
    found = _load_referral(request, referral)
    is_specialist = found.specialist_id == request.user.pk
    notes = found.shared_notes.select_related("visit__visit_type")
    if is_specialist:
        mark_referral_opened(referral=found, specialist=request.user)
        # Each shared note shown is a PHI read of its own.
        for shared in notes:
            if shared_with(request.user, shared):
                authorize(
                    request,
                    patient=found.patient,
                    what="clinical_note",
                    accept=frozenset(),
                    obj=shared,
                )
    return render(
        request,
        "visits/referral.html",
        {
            "referral": found,
            "notes": notes,
            "documents": found.shared_documents.all(),
            "is_referrer": found.referring_clinician_id == request.user.pk,
            "is_specialist": is_specialist,
            "meeting_form": CareMeetingForm(),
        },
    )


@login_required
def referral_meeting(request, referral):
    found = Referral.objects.select_related("patient").filter(uuid=referral).first()
    if found is None or found.referring_clinician_id != request.user.pk:
        raise refuse(request, what="referral", patient=found.patient if found else None)
    authorize(
        request,
        patient=found.patient,
        what="referral",
        accept=CARE_TEAM,
        obj=found,
        write=request.method == "POST",
    )
    if response := post_only(request):
        return response
    form = CareMeetingForm(request.POST)
    # The form says "your local time": read the wall-clock time in the
    # clinician's own zone (no middleware activates it for the request).
    with timezone.override(ZoneInfo(request.user.time_zone)):
        valid = form.is_valid()
    if not valid:
        messages.error(request, _("Please give a start time and a length."))
        return redirect("visits:referral", found.uuid)
    start = form.cleaned_data["start"]
    try:
        schedule_care_meeting(
            referral=found,
            start=start,
            duration_minutes=form.cleaned_data["duration_minutes"],
        )
    except VisitsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The care-coordination meeting was scheduled."))
    return redirect("visits:referral", found.uuid)


@login_required
def break_glass(request, patient):
    person = load_patient(request, patient, what="break_glass")
    if (
        not role_allows(request.user, "visits.break_glass")
        or person.pk == request.user.pk
    ):
        raise refuse(request, what="break_glass", patient=person)
    if request.method != "POST":
        # The form names the patient, so even showing it is a logged look.
        record_event(
            actor=request.user,
            action=AuditEvent.Action.READ,
            what="break_glass_form",
            patient=person,
            request=request,
        )
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            open_break_glass(
                user=request.user,
                patient=person,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except VisitsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.warning(
                request,
                _("Emergency access is open for a limited time and will be reviewed."),
            )
            return redirect("visits:patient", person.uuid)
    return render(
        request,
        "visits/break_glass.html",
        {"person": person, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def fhir_export(request, patient):
    person = load_patient(request, patient, what="fhir_export")
    authorize(request, patient=person, what="fhir_export", accept=PATIENT_AND_CARE)
    bundle = build_bundle(person)
    response = HttpResponse(
        json.dumps(bundle, indent=2), content_type="application/fhir+json"
    )
    response["Cache-Control"] = "no-store"
    return response
