"""Notes and addenda, after-visit summaries, messages, follow-ups and refills."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from visits.access import CARE_TEAM, PATIENT_ONLY, authorize, is_care_provider, refuse
from visits.errors import VisitsError
from visits.forms import (
    AddendumForm,
    FollowUpForm,
    MessageForm,
    NoteForm,
    RefillDecisionForm,
    RefillRequestForm,
)
from visits.models import ClinicalNote, FollowUpProposal, RefillRequest, Visit
from visits.pdf import render_summary_pdf
from visits.services.record import (
    NOTE_FIELDS,
    add_addendum,
    decide_refill,
    propose_follow_up,
    request_refill,
    respond_to_follow_up,
    save_note,
    send_secure_message,
    sign_note,
)
from visits.services.visit_flow import note_or_draft, start_note
from visits.views.common import (
    load_visit,
    load_visit_as_its_clinician,
    post_only,
    refused,
    remember_booking_type,
    uuid_or_none,
)


@login_required
def note(request, visit):
    visit = load_visit_as_its_clinician(request, visit, what="clinical_note")
    # Looking at the note writes nothing; the first save creates it.
    clinical_note = note_or_draft(visit)
    form = NoteForm(
        request.POST or None,
        initial={field: getattr(clinical_note, field) for field in NOTE_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            clinical_note = save_note(note=start_note(visit=visit), **form.cleaned_data)
            if "sign" in request.POST:
                sign_note(note=clinical_note, clinician=request.user)
                messages.success(request, _("The note is signed and locked."))
            else:
                messages.success(request, _("The note was saved."))
        except VisitsError as exc:
            messages.error(request, exc.message)
            return render(
                request,
                "visits/note.html",
                _note_context(visit, clinical_note, form),
                status=409,
            )
        # Written from the workspace or beside the call: back there.
        back = {"workspace": "visits:visit", "video": "visits:video"}.get(
            request.POST.get("return_to", "")
        )
        if back:
            return redirect(reverse(back, args=[visit.uuid]) + "#note")
        return redirect("visits:note", visit.uuid)
    return render(
        request, "visits/note.html", _note_context(visit, clinical_note, form)
    )


def _note_context(visit, clinical_note, form):
    return {
        "visit": visit,
        "note": clinical_note,
        "form": form,
        "addendum_form": AddendumForm(),
        "follow_up_form": FollowUpForm(),
        "addenda": clinical_note.addenda.select_related("author")
        if clinical_note.pk
        else [],
    }


@login_required
def addendum(request, visit):
    visit = load_visit_as_its_clinician(request, visit, what="clinical_note")
    if response := post_only(request):
        return response
    clinical_note = ClinicalNote.objects.filter(visit=visit).first()
    form = AddendumForm(request.POST)
    if clinical_note is None or not form.is_valid():
        return refused(request, _("Please write the addendum."), status=400)
    try:
        add_addendum(
            note=clinical_note, author=request.user, text=form.cleaned_data["text"]
        )
    except VisitsError as exc:
        return refused(request, exc.message)
    messages.success(request, _("The addendum was added."))
    return redirect("visits:note", visit.uuid)


def _summary_context(visit, viewer):
    clinical_note = ClinicalNote.objects.filter(
        visit=visit, signed_at__isnull=False
    ).first()
    return {
        "visit": visit,
        # Times in the page and the PDF are the reader's (accounts.local_time).
        "viewer": viewer,
        "note": clinical_note,
        "addenda": clinical_note.addenda.select_related("author")
        if clinical_note
        else [],
        "follow_ups": visit.follow_ups.select_related("visit_type"),
    }


@login_required
def summary(request, visit):
    visit = load_visit(request, visit, what="after_visit_summary")
    return render(request, "visits/summary.html", _summary_context(visit, request.user))


@login_required
def summary_pdf(request, visit):
    visit = load_visit(request, visit, what="after_visit_summary")
    context = _summary_context(visit, request.user)
    if context["note"] is None:
        return refused(
            request,
            _("The summary is not ready yet: your clinician has not signed the note."),
        )
    response = HttpResponse(render_summary_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="summary-{visit.uuid}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def visit_messages(request, visit):
    visit = load_visit(
        request, visit, what="secure_message", write=request.method == "POST"
    )
    is_party = request.user.pk in (visit.patient_id, visit.clinician_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and is_party and form.is_valid():
        try:
            send_secure_message(
                visit=visit, sender=request.user, body=form.cleaned_data["body"]
            )
        except VisitsError as exc:
            return refused(request, exc.message, status=400)
        messages.success(request, _("Your message was sent."))
        return redirect("visits:messages", visit.uuid)
    return render(
        request,
        "visits/messages.html",
        {
            "visit": visit,
            "thread": visit.messages.select_related("sender"),
            "form": form if is_party else None,
        },
        status=400 if form.errors else 200,
    )


@login_required
def follow_up(request, visit):
    visit = load_visit_as_its_clinician(request, visit, what="follow_up")
    if response := post_only(request):
        return response
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return refused(
            request,
            _("Please choose a kind of visit and a number of days."),
            status=400,
        )
    propose_follow_up(visit=visit, **form.cleaned_data)
    messages.success(request, _("The follow-up was proposed to the patient."))
    return redirect("visits:note", visit.uuid)


@login_required
def follow_up_respond(request, proposal):
    found = (
        FollowUpProposal.objects.select_related("visit__patient", "visit_type")
        .filter(uuid=proposal)
        .first()
    )
    if found is None:
        raise refuse(request, what="follow_up")
    authorize(
        request,
        patient=found.visit.patient,
        what="follow_up",
        accept=PATIENT_ONLY,
        obj=found,
        write=request.method == "POST",
    )
    if response := post_only(request):
        return response
    accept = request.POST.get("answer") == "accept"
    try:
        respond_to_follow_up(proposal=found, accept=accept)
    except VisitsError as exc:
        return refused(request, exc.message)
    if accept:
        messages.success(request, _("Please choose a time for your follow-up visit."))
        remember_booking_type(request, found.visit_type)
        return redirect("visits:book")
    messages.info(request, _("You declined the follow-up visit."))
    return redirect("visits:home")


@login_required
def refills(request):
    user = request.user
    if is_care_provider(user):
        pending = RefillRequest.objects.filter(
            clinician=user, status=RefillRequest.Status.PENDING
        ).select_related("patient")
        for refill in pending:
            authorize(
                request, patient=refill.patient, what="refill_request", obj=refill
            )
        return render(request, "visits/refills_clinician.html", {"pending": pending})
    clinicians = User.objects.filter(
        pk__in=Visit.objects.filter(patient=user).values("clinician")
    )
    form = RefillRequestForm(request.POST or None, clinicians=clinicians)
    if request.method == "POST" and form.is_valid():
        try:
            refill = request_refill(
                patient=user,
                clinician=form.clinicians[form.cleaned_data["clinician"]],
                medication=form.cleaned_data["medication"],
                dosage=form.cleaned_data["dosage"],
            )
        except VisitsError as exc:
            return refused(request, exc.message, status=400)
        authorize(
            request,
            patient=user,
            what="refill_request",
            accept=PATIENT_ONLY,
            obj=refill,
            write=True,
        )
        messages.success(request, _("Your refill request was sent."))
        return redirect("visits:refills")
    mine = RefillRequest.objects.filter(patient=user).select_related("clinician")
    if mine:
        authorize(request, patient=user, what="refill_request")
    return render(
        request,
        "visits/refills_patient.html",
        {"form": form, "mine": mine},
        status=400 if form.errors else 200,
    )


@login_required
def refill_decide(request, refill):
    found = RefillRequest.objects.select_related("patient").filter(uuid=refill).first()
    if found is None or found.clinician_id != request.user.pk:
        raise refuse(
            request, what="refill_request", patient=found.patient if found else None
        )
    authorize(
        request,
        patient=found.patient,
        what="refill_request",
        accept=CARE_TEAM,
        obj=found,
        write=request.method == "POST",
    )
    form = RefillDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decide_refill(
                refill=found,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except VisitsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your decision was sent to the patient."))
            # Decided from the visit workspace: back to that visit.
            back = Visit.objects.filter(
                uuid=uuid_or_none(request.POST.get("return_visit")),
                clinician=request.user,
                patient=found.patient,
            ).first()
            if back is not None:
                workspace = reverse("visits:visit", args=[back.uuid])
                return redirect(f"{workspace}#medicines")
            return redirect("visits:refills")
    return render(
        request,
        "visits/refill_decide.html",
        {"refill": found, "form": form},
        status=400 if form.errors else 200,
    )
