"""Loading objects through the access policy, shared by every visits view."""

from django.http import HttpResponseNotAllowed
from django.shortcuts import render

from visits.access import CARE_TEAM, PATIENT_AND_CARE, authorize, refuse
from visits.models import Visit


def load_visit(request, visit_uuid, *, what: str, accept=PATIENT_AND_CARE, write=False):
    visit = (
        Visit.objects.select_related("patient", "clinician", "visit_type")
        .filter(uuid=visit_uuid)
        .first()
    )
    if visit is None:
        raise refuse(request, what=what)
    authorize(
        request, patient=visit.patient, what=what, accept=accept, obj=visit, write=write
    )
    return visit


def load_visit_as_its_clinician(request, visit_uuid, *, what: str, write=True):
    """Only the visit's own clinician acts on it (admit, note, end)."""
    visit = (
        Visit.objects.select_related("patient", "clinician", "visit_type")
        .filter(uuid=visit_uuid)
        .first()
    )
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


def post_only(request):
    """Checked after the access policy, so a stranger still gets 404, not 405."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def refused(request, message: str, *, status: int = 409, title: str = ""):
    """A clear message page for an action the state does not allow (4xx, never 500)."""
    return render(
        request,
        "visits/refused.html",
        {"message": message, "title": title},
        status=status,
    )
