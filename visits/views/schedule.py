"""A clinician's own weekly hours and exceptions (no PHI on this page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from visits.access import is_care_provider, refuse
from visits.errors import VisitsError
from visits.forms import ScheduleExceptionForm, WeeklyHoursForm
from visits.models import ClinicianProfile, ScheduleException, WeeklyHours
from visits.services.schedule import (
    add_schedule_exception,
    publish_weekly_hours,
    withdraw_weekly_hours,
)


@login_required
def schedule(request):
    user = request.user
    if not is_care_provider(user):
        raise refuse(request, what="schedule")
    hours_form = WeeklyHoursForm(request.POST if "add_hours" in request.POST else None)
    exception_form = ScheduleExceptionForm(
        request.POST if "add_exception" in request.POST else None
    )
    status = 200
    try:
        if "withdraw" in request.POST:
            raw = request.POST.get("withdraw", "")
            hours = (
                WeeklyHours.objects.filter(clinician=user, pk=int(raw)).first()
                if raw.isdigit()
                else None
            )
            if hours is not None:
                withdraw_weekly_hours(hours=hours)
            return redirect("visits:schedule")
        if hours_form.is_bound and hours_form.is_valid():
            publish_weekly_hours(clinician=user, **hours_form.cleaned_data)
            messages.success(request, _("The hours were published."))
            return redirect("visits:schedule")
        if exception_form.is_bound and exception_form.is_valid():
            add_schedule_exception(clinician=user, **exception_form.cleaned_data)
            messages.success(request, _("The exception was saved."))
            return redirect("visits:schedule")
    except VisitsError as exc:
        messages.error(request, exc.message)
        status = 400
    if hours_form.errors or exception_form.errors:
        status = 400
    return render(
        request,
        "visits/schedule.html",
        {
            "profile": ClinicianProfile.objects.filter(clinician=user).first(),
            "hours": WeeklyHours.objects.filter(clinician=user),
            "exceptions": ScheduleException.objects.filter(clinician=user),
            "hours_form": hours_form,
            "exception_form": exception_form,
        },
        status=status,
    )
