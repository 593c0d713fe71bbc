"""Intake, consent, device check, waiting room, admission, video, ending."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.services import client_ip
from visits.audit import record_reads
from visits.errors import VisitsError
from visits.forms import ConsentForm, IntakeForm
from visits.models import ClinicalNote, Visit
from visits.services.video import join_for
from visits.services.visit_flow import (
    ConsentRequired,
    accept_consent,
    admit_patient,
    check_in,
    consent_needed,
    current_consent,
    end_visit,
    note_or_draft,
    save_intake,
    set_running_late,
    waiting_status,
)
from visits.views.common import (
    load_visit,
    load_visit_as_its_clinician,
    load_visit_for_its_patient,
    post_only,
    refused,
    visit_page,
)
from visits.views.workspace import note_editor_form


def next_step(request, visit: Visit) -> dict:
    """Where a refused person goes on from here: the refusal page's button."""
    if request.user.pk != visit.patient_id:
        return {"next_url": visit_page(visit), "next_label": _("Back to the visit")}
    if visit.status in (Visit.Status.CANCELLED, Visit.Status.NO_SHOW):
        return {"next_url": reverse("visits:book"), "next_label": _("Book a new visit")}
    if visit.status == Visit.Status.COMPLETED:
        return {
            "next_url": reverse("visits:summary", args=[visit.uuid]),
            "next_label": _("Read the after-visit summary"),
        }
    if visit.status in (Visit.Status.WAITING, Visit.Status.IN_PROGRESS):
        return {
            "next_url": reverse("visits:waiting_room", args=[visit.uuid]),
            "next_label": _("Go to the waiting room"),
        }
    return {"next_url": visit_page(visit), "next_label": _("Back to your visit")}


@login_required
def intake(request, visit):
    visit = load_visit_for_its_patient(request, visit, what="intake")
    if not visit.is_active:
        return refused(
            request,
            _("This visit is no longer open for questions."),
            **next_step(request, visit),
        )
    form = IntakeForm(request.POST or None, visit_type=visit.visit_type)
    if request.method == "POST" and form.is_valid():
        try:
            save_intake(visit=visit, answers=form.answers(), scores=form.scores())
        except VisitsError as exc:
            return refused(request, exc.message, **next_step(request, visit))
        messages.success(request, _("Thank you. Your answers were saved."))
        return redirect("visits:consent", visit.uuid)
    return render(
        request,
        "visits/intake.html",
        {"visit": visit, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def consent(request, visit):
    visit = load_visit_for_its_patient(request, visit, what="consent")
    document = current_consent()
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accept_consent(
                visit=visit, document=document, ip_address=client_ip(request) or None
            )
        except VisitsError as exc:
            return refused(
                request,
                exc.message,
                next_url=reverse("visits:consent", args=[visit.uuid]),
                next_label=_("Read the consent again"),
            )
        messages.success(request, _("Thank you for accepting the consent."))
        return redirect("visits:device_check", visit.uuid)
    return render(
        request,
        "visits/consent.html",
        {
            "visit": visit,
            "document": document,
            # Standard visit types carry the general consent as their own text;
            # print it once, and the type's own words only when they add something.
            "visit_type_consent": ""
            if visit.visit_type.consent_text.strip() == document.text.strip()
            else visit.visit_type.consent_text,
            "form": form,
            "already": consent_needed(visit.patient) is None,
        },
        status=400 if form.errors else 200,
    )


@login_required
def device_check(request, visit):
    visit = load_visit(request, visit, what="visit")
    return render(request, "visits/device_check.html", {"visit": visit})


@login_required
def waiting_room(request, visit):
    visit = load_visit_for_its_patient(request, visit, what="visit")
    if request.method == "POST":
        try:
            visit = check_in(visit=visit)
        except ConsentRequired as exc:
            messages.warning(request, exc.message)
            return redirect("visits:consent", visit.uuid)
        except VisitsError as exc:
            if visit.is_active:
                return refused(
                    request,
                    exc.message,
                    next_url=visit_page(visit),
                    next_label=_("Back to your visit"),
                )
            return refused(request, exc.message, **next_step(request, visit))
        return redirect("visits:waiting_room", visit.uuid)
    return render(
        request,
        "visits/waiting_room.html",
        {"visit": visit, "status": waiting_status(visit)},
    )


@login_required
def status(request, visit):
    visit = load_visit(request, visit, what="visit_status")
    return JsonResponse(waiting_status(visit))


@login_required
def admit(request, visit):
    """Admitting opens the room for both at once; the clinician goes straight in
    and the patient's waiting room follows by itself."""
    visit = load_visit_as_its_clinician(request, visit, what="visit")
    if response := post_only(request, **next_step(request, visit)):
        return response
    try:
        admit_patient(visit=visit)
    except VisitsError as exc:
        return refused(request, exc.message, **next_step(request, visit))
    return redirect("visits:video", visit.uuid)


@login_required
def running_late(request, visit):
    visit = load_visit_as_its_clinician(request, visit, what="visit")
    if response := post_only(request, **next_step(request, visit)):
        return response
    try:
        minutes = int(request.POST.get("minutes", "0"))
    except ValueError:
        return refused(
            request,
            _("Please give the delay in whole minutes."),
            status=400,
            **next_step(request, visit),
        )
    try:
        set_running_late(visit=visit, minutes=minutes)
    except VisitsError as exc:
        return refused(request, exc.message, **next_step(request, visit))
    messages.success(request, _("The patient sees that you are running late."))
    return redirect("visits:visit", visit.uuid)


@login_required
def end(request, visit):
    visit = load_visit_as_its_clinician(request, visit, what="visit")
    if response := post_only(request, **next_step(request, visit)):
        return response
    try:
        end_visit(visit=visit)
    except VisitsError as exc:
        return refused(request, exc.message, **next_step(request, visit))
    if ClinicalNote.objects.filter(visit=visit, signed_at__isnull=False).exists():
        messages.success(request, _("The visit has ended. The note is already signed."))
    else:
        messages.success(
            request, _("The visit has ended. Please finish and sign the note.")
        )
    return redirect(visit_page(visit) + "#note")


@login_required
def video(request, visit):
    visit = load_visit(request, visit, what="visit")
    if request.user.pk not in (visit.patient_id, visit.clinician_id):
        return refused(
            request,
            _("Only the patient and their clinician join the call."),
            status=403,
            **next_step(request, visit),
        )
    try:
        join = join_for(visit, request.user)
    except VisitsError as exc:
        return refused(
            request,
            exc.message,
            status=410 if not visit.is_active else 409,
            **next_step(request, visit),
        )
    is_clinician = visit.clinician_id == request.user.pk
    context = {"visit": visit, "join": join, "is_clinician": is_clinician}
    if is_clinician:
        # The clinician writes the note beside the call, as on the workspace:
        # shown (so audited as a read), saved only when they save it.
        note = note_or_draft(visit)
        record_reads(
            actor=request.user,
            what="clinical_note",
            patients=[visit.patient],
            request=request,
        )
        context |= {
            "note": note,
            "note_form": note_editor_form(note),
            "return_to": "video",
        }
    return render(request, "visits/video.html", context)
