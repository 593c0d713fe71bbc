"""Loading objects through the access policy, shared by every visits view."""

import uuid

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from visits.access import CARE_TEAM, PATIENT_AND_CARE, PATIENT_ONLY, authorize, refuse
from visits.models import Visit, VisitType

# The kind of visit being booked is clinical: it is kept in the session, never
# in a URL (access logs, browser history).
BOOKING_TYPE_SESSION_KEY = "visits_booking_type"


def remember_booking_type(request, visit_type: VisitType) -> None:
    request.session[BOOKING_TYPE_SESSION_KEY] = str(visit_type.uuid)


def remembered_booking_type(request, visit_types):
    chosen = request.session.get(BOOKING_TYPE_SESSION_KEY)
    return visit_types.filter(uuid=chosen).first() if chosen else None


def _find_visit(visit_uuid) -> Visit | None:
    return (
        Visit.objects.select_related("patient", "clinician", "visit_type")
        .filter(uuid=visit_uuid)
        .first()
    )


def load_visit(request, visit_uuid, *, what: str, accept=PATIENT_AND_CARE, write=False):
    visit = _find_visit(visit_uuid)
    if visit is None:
        raise refuse(request, what=what)
    authorize(
        request, patient=visit.patient, what=what, accept=accept, obj=visit, write=write
    )
    return visit


def load_patient(request, patient_uuid, *, what: str) -> User:
    """The patient a page is about; an unknown UUID is refused like a forbidden one."""
    patient = User.objects.filter(uuid=patient_uuid).first()
    if patient is None:
        raise refuse(request, what=what)
    return patient


def load_visit_for_its_patient(request, visit_uuid, *, what: str):
    """Pages only the patient acts on (intake, consent, cancel, move).

    A POST is a write in the audit log."""
    return load_visit(
        request,
        visit_uuid,
        what=what,
        accept=PATIENT_ONLY,
        write=request.method == "POST",
    )


def load_visit_as_its_clinician(request, visit_uuid, *, what: str, write=True):
    """Only the visit's own clinician acts on it (admit, note, end)."""
    visit = _find_visit(visit_uuid)
    if visit is None or visit.clinician_id != request.user.pk:
        raise refuse(request, what=what, patient=visit.patient if visit else None)
    authorize(
        request,
        patient=visit.patient,
        what=what,
        accept=CARE_TEAM,
        obj=visit,
        write=write and request.method == "POST",
    )
    return visit


def post_only(request, *, next_url: str = "", next_label: str = ""):
    """Checked after the access policy, so a stranger still gets 404, not 405.
    A person who lands here by address gets a page with a way on, not a blank 405."""
    if request.method != "POST":
        response = refused(
            request,
            _("This address only takes a button press from a visits page."),
            status=405,
            next_url=next_url,
            next_label=next_label,
        )
        response["Allow"] = "POST"
        return response
    return None


def refused(
    request,
    message: str,
    *,
    status: int = 409,
    back: str = "",
    next_url: str = "",
    next_label: str = "",
):
    """A clear message page for an action the state does not allow (4xx, never
    500). It always offers a way on: `next_url`/`next_label` name the next step
    (the waiting room, the visit, booking), else `back` (a URL name), else the
    visits home."""
    return render(
        request,
        "visits/refused.html",
        {
            "message": message,
            "back": back,
            "next_url": next_url,
            "next_label": next_label,
        },
        status=status,
    )


def visit_page(visit: Visit) -> str:
    return reverse("visits:visit", args=[visit.uuid])


def uuid_or_none(value) -> uuid.UUID | None:
    """A posted identifier as a UUID, or None when it is not one (never a 500)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
