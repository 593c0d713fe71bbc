"""Intake, consent, device check, waiting room, admission, video, ending."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from visits.access import PATIENT_ONLY
from visits.audit import client_ip
from visits.errors import VisitsError
from visits.forms import ConsentForm, IntakeForm
from visits.services.video import join_for
from visits.services.visit_flow import (
    ConsentRequired,
    accept_consent,
    admit_patient,
    check_in,
    consent_needed,
    current_consent,
    end_visit,
    save_intake,
    set_running_late,
    waiting_status,
)
from visits.views.common import (
    load_visit,
    load_visit_as_its_clinician,
    post_only,
    refused,
)


@login_required
def intake(request, visit):
    visit = load_visit(
        request,
        visit,
        what="intake",
        accept=PATIENT_ONLY,
        write=request.method == "POST",
    )
    if not visit.is_active:
        return refused(request, _("This visit is no longer open for questions."))
    form = IntakeForm(request.POST or None, visit_type=visit.visit_type)
    if request.method == "POST" and form.is_valid():
        try:
            save_intake(visit=visit, answers=form.answers(), scores=form.scores())
        except VisitsError as exc:
            return refused(request, exc.message)
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
    visit = load_visit(
        request,
        visit,
        what="consent",
        accept=PATIENT_ONLY,
        write=request.method == "POST",
    )
    document = current_consent()
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accept_consent(
                visit=visit, document=document, ip_address=client_ip(request)
            )
        except VisitsError as exc:
            return refused(request, exc.message)
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
    visit = load_visit(
        request,
        visit,
        what="visit",
        accept=PATIENT_ONLY,
        write=request.method == "POST",
    )
    if request.method == "POST":
        try:
            visit = check_in(visit=visit)
        except ConsentRequired as exc:
            messages.warning(request, exc.message)
            return redirect("visits:consent", visit.uuid)
        except VisitsError as exc:
            return refused(request, exc.message)
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
    visit = load_visit_as_its_clinician(request, visit, what="visit")
    if response := post_only(request):
        return response
    try:
        admit_patient(visit=visit)
    except VisitsError as exc:
        return refused(request, exc.message)
    return redirect("visits:video", visit.uuid)


@login_required
def running_late(request, visit):
    visit = load_visit_as_its_clinician(request, visit, what="visit")
    if response := post_only(request):
        return response
    try:
        minutes = int(request.POST.get("minutes", "0"))
    except ValueError:
        return refused(
            request, _("Please give the delay in whole minutes."), status=400
        )
    try:
        set_running_late(visit=visit, minutes=minutes)
    except VisitsError as exc:
        return refused(request, exc.message)
    messages.success(request, _("The patient sees that you are running late."))
    return redirect("visits:visit", visit.uuid)


@login_required
def end(request, visit):
    visit = load_visit_as_its_clinician(request, visit, what="visit")
    if response := post_only(request):
        return response
    try:
        end_visit(visit=visit)
    except VisitsError as exc:
        return refused(request, exc.message)
    messages.success(request, _("The visit has ended. Please write and sign the note."))
    return redirect("visits:note", visit.uuid)


@login_required
def video(request, visit):
    visit = load_visit(request, visit, what="visit")
    if request.user.pk not in (visit.patient_id, visit.clinician_id):
        return refused(
            request,
            _("Only the patient and their clinician join the call."),
            status=403,
        )
    try:
        join = join_for(visit, request.user)
    except VisitsError as exc:
        return refused(request, exc.message, status=410 if not visit.is_active else 409)
    return render(
        request,
        "visits/video.html",
        {
            "visit": visit,
            "join": join,
            "is_clinician": visit.clinician_id == request.user.pk,
        },
    )
