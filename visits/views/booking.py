"""The visit list, booking, cancelling and rescheduling."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from visits.access import (
    PATIENT_ONLY,
    active_referrals,
    authorize,
    is_care_provider,
    role_allows,
)
from visits.audit import record_reads
from visits.errors import VisitsError
from visits.forms import BookingForm, VisitTypeChoiceForm
from visits.models import (
    Alert,
    ClinicianProfile,
    FollowUpProposal,
    Referral,
    Visit,
    VisitType,
)
from visits.services.booking import (
    BookingError,
    book_visit,
    can_change,
    cancel_visit,
    reschedule_visit,
)
from visits.services.slots import free_slots, parse_clinic_time
from visits.views.common import (
    load_visit,
    load_visit_for_its_patient,
    refused,
    remember_booking_type,
    remembered_booking_type,
)
from visits.views.workspace import workspace

SEARCH_DAYS = 14


@login_required
def home(request):
    user = request.user
    now = timezone.now()
    context = {"is_clinician": is_care_provider(user)}
    if is_care_provider(user):
        context["clinician_visits"] = list(
            Visit.objects.filter(clinician=user, end__gte=now - timedelta(hours=12))
            .select_related("patient", "visit_type")
            .order_by("start")[:50]
        )
        record_reads(
            actor=user,
            what="visit_list",
            patients=[visit.patient for visit in context["clinician_visits"]],
            request=request,
        )
        context["open_alerts"] = (
            Alert.objects.filter(
                status=Alert.Status.OPEN, patient__visits_as_patient__clinician=user
            )
            .distinct()
            .count()
        )
    context["my_visits"] = list(
        Visit.objects.filter(patient=user).select_related("clinician", "visit_type")
    )
    if context["my_visits"]:
        record_reads(actor=user, what="visit_list", patients=[user], request=request)
    context.update(_referrals_summary(request, now))
    context["proposals"] = FollowUpProposal.objects.filter(
        visit__patient=user, status=FollowUpProposal.Status.PROPOSED
    ).select_related("visit_type")
    return render(request, "visits/home.html", context)


def _referrals_summary(request, now) -> dict:
    """For the visits home: a specialist's waiting referrals (counts only) and a
    clinician's recent referrals with whether the specialist has opened them."""
    user = request.user
    summary = {}
    if role_allows(user, "visits.receive_referrals"):
        waiting = active_referrals(user, now=now)
        summary["referrals_waiting"] = waiting.count()
        summary["referrals_new"] = waiting.filter(opened_at__isnull=True).count()
    if is_care_provider(user):
        sent = list(
            Referral.objects.filter(referring_clinician=user, expires_at__gt=now)
            .select_related("patient", "specialist")
            .order_by("-created_at")[:10]
        )
        record_reads(
            actor=user,
            what="referral_list",
            patients=[referral.patient for referral in sent],
            request=request,
        )
        summary["referrals_sent"] = sent
    return summary


def _slot_choices(request, visit_type, clinicians=None):
    # Clinic dates run behind UTC in the Americas: start a day early, and let
    # free_slots drop what has already begun.
    first_day = timezone.now().date() - timedelta(days=1)
    slots = free_slots(
        visit_type=visit_type,
        start_date=first_day,
        days=SEARCH_DAYS + 1,
        clinicians=clinicians,
    )
    # Templates show each start through local_time_pair: the patient's zone,
    # then the clinic's when it differs.
    return [
        {
            "value": f"{slot.clinician_uuid}|{slot.value}",
            "clinician": slot.clinician_name,
            "start": slot.start,
            "clinic_zone": slot.clinic_zone,
        }
        for slot in slots[:200]
    ]


def _parse_slot(value: str):
    """The slot value is "<clinician uuid>|<clinic wall-clock time>"."""
    clinician_uuid, _sep, local = value.partition("|")
    try:
        clinician_uuid = uuid.UUID(clinician_uuid)
    except ValueError:
        raise BookingError(_("Please choose one of the times offered.")) from None
    profile = (
        ClinicianProfile.objects.select_related("clinician")
        .filter(clinician__uuid=clinician_uuid)
        .first()
    )
    if profile is None:
        raise BookingError(_("Please choose one of the times offered."))
    try:
        start = parse_clinic_time(local, profile.time_zone)
    except ValueError as exc:  # NonexistentLocalTime too: its text says why
        raise BookingError(str(exc)) from None
    return profile.clinician, start


@login_required
def book(request):
    """Two steps on one page: choose the kind of visit, then one of its times."""
    visit_types = VisitType.objects.filter(is_active=True)
    chosen = remembered_booking_type(request, visit_types)
    if request.method == "POST" and "visit_type" in request.POST:
        # Step one: the kind of visit, kept in the session (never in the URL).
        picker = VisitTypeChoiceForm(request.POST)
        if picker.is_valid():
            remember_booking_type(request, picker.cleaned_data["visit_type"])
            return redirect("visits:book")
        error = _("Please choose one of the kinds of visit.")
        return _booking_page(
            request, visit_types, chosen=chosen, error=error, status=400
        )
    form = BookingForm(request.POST if "slot" in request.POST else None)
    if request.method != "POST":
        return _booking_page(request, visit_types, chosen=chosen, form=form)
    if not (chosen and form.is_valid()):
        error = _("Please choose a kind of visit and one of the times offered.")
    else:
        try:
            visit = _book_slot(request, chosen, form.cleaned_data)
        except VisitsError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your visit is booked. We sent you an email."))
            return redirect("visits:intake", visit.uuid)
    return _booking_page(
        request, visit_types, chosen=chosen, form=form, error=error, status=409
    )


def _book_slot(request, visit_type: VisitType, cleaned: dict) -> Visit:
    """Book the chosen slot for the signed-in patient (the write is audited)."""
    clinician, start = _parse_slot(cleaned["slot"])
    visit = book_visit(
        patient=request.user,
        clinician=clinician,
        visit_type=visit_type,
        start=start,
        reason=cleaned["reason"],
    )
    authorize(
        request,
        patient=visit.patient,
        what="visit",
        accept=PATIENT_ONLY,
        obj=visit,
        write=True,
    )
    return visit


def _booking_page(
    request, visit_types, *, chosen=None, form=None, error: str = "", status=200
):
    return render(
        request,
        "visits/book.html",
        {
            "visit_types": visit_types,
            "chosen": chosen,
            "slots": _slot_choices(request, chosen) if chosen else [],
            "form": form or BookingForm(),
            "error": error,
        },
        status=status,
    )


@login_required
def visit_detail(request, visit):
    visit = load_visit(request, visit, what="visit")
    if visit.clinician_id == request.user.pk:
        return workspace(request, visit)
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "is_patient": visit.patient_id == request.user.pk,
            "is_clinician": visit.clinician_id == request.user.pk,
            "can_change": can_change(visit),
        },
    )


@login_required
def cancel(request, visit):
    visit = load_visit_for_its_patient(request, visit, what="visit")
    error = ""
    if request.method == "POST":
        try:
            cancel_visit(visit=visit, by=request.user)
        except VisitsError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your visit was cancelled."))
            return redirect("visits:home")
    return render(
        request,
        "visits/cancel.html",
        {"visit": visit, "error": error},
        status=409 if error else 200,
    )


@login_required
def reschedule(request, visit):
    visit = load_visit_for_its_patient(request, visit, what="visit")
    if not can_change(visit):
        return refused(
            request,
            _(
                "This visit can no longer be moved online. Please send your "
                "clinician a message."
            ),
        )
    form = BookingForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            clinician, start = _parse_slot(form.cleaned_data["slot"])
            if clinician.pk != visit.clinician_id:
                raise BookingError(_("Please choose one of the times offered."))
            moved = reschedule_visit(visit=visit, start=start)
        except VisitsError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your visit was moved."))
            return redirect("visits:visit", moved.uuid)
    slots = _slot_choices(
        request, visit.visit_type, clinicians=User.objects.filter(pk=visit.clinician_id)
    )
    return render(
        request,
        "visits/reschedule.html",
        {"visit": visit, "slots": slots, "form": form, "error": error},
        status=409 if error else 200,
    )
