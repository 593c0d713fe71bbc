"""Home readings (entry, upload, chart), thresholds and alerts."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from visits.access import (
    CARE_TEAM,
    PATIENT_ONLY,
    authorize,
    refuse,
    role_allows,
    visible_patients,
)
from visits.chart import build_readings_chart, readings_svg
from visits.forms import ReadingForm, ThresholdForm, UploadForm
from visits.models import Alert
from visits.services.monitoring import (
    ReadingInput,
    ReadingRefused,
    acknowledge_alert,
    import_readings,
    latest_reading_advice,
    parse_readings_file,
    record_reading,
    set_thresholds,
)
from visits.uploads import UploadRefused
from visits.views.common import load_patient, post_only, refused


@login_required
def my_readings(request):
    patient = request.user
    authorize(
        request,
        patient=patient,
        what="readings",
        accept=PATIENT_ONLY,
        write=request.method == "POST",
    )
    form = ReadingForm(request.POST or None, zone=patient.time_zone)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        measured = data["measured_at"]
        if timezone.is_naive(measured):
            measured = measured.replace(tzinfo=ZoneInfo(patient.time_zone))
        try:
            record_reading(
                patient=patient,
                data=ReadingInput(
                    kind=data["kind"],
                    measured_at=measured,
                    systolic=data["systolic"],
                    diastolic=data["diastolic"],
                    heart_rate=data["heart_rate"],
                ),
            )
        except ReadingRefused as exc:
            form.add_error(None, exc.message)
            status = 400
        else:
            messages.success(request, _("Your reading was saved."))
            return redirect("visits:readings")
    elif form.errors:
        status = 400
    return render(
        request,
        "visits/readings.html",
        {
            "form": form,
            "upload_form": UploadForm(),
            "patient": patient,
            "chart": build_readings_chart(
                patient=patient, viewer_zone=patient.time_zone
            ),
            "advice": latest_reading_advice(patient=patient),
            "alerts": Alert.objects.filter(patient=patient)[:10],
        },
        status=status,
    )


@login_required
def upload_readings(request):
    authorize(
        request,
        patient=request.user,
        what="readings",
        accept=PATIENT_ONLY,
        write=request.method == "POST",
    )
    if response := post_only(request):
        return response
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please choose a CSV or JSON file to upload."))
        return redirect("visits:readings")
    try:
        parsed = parse_readings_file(form.cleaned_data["file"])
    except UploadRefused as exc:
        return refused(request, exc.message, status=400, back="visits:readings")
    saved = import_readings(patient=request.user, readings=parsed)
    messages.success(
        request, _("%(count)d readings were saved.") % {"count": len(saved)}
    )
    return redirect("visits:readings")


@login_required
def readings_chart(request, patient):
    person = load_patient(request, patient, what="readings_chart")
    authorize(request, patient=person, what="readings_chart")
    response = HttpResponse(
        readings_svg(
            patient=person,
            viewer_zone=timezone.get_current_timezone(),
            title=_("Home readings over time"),
            narrow=request.GET.get("layout") == "narrow",
        ),
        content_type="image/svg+xml",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def thresholds(request, patient):
    person = load_patient(request, patient, what="thresholds")
    authorize(
        request,
        patient=person,
        what="thresholds",
        accept=CARE_TEAM,
        write=request.method == "POST",
    )
    if response := post_only(request):
        return response
    form = ThresholdForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give all four limits as whole numbers."))
        return redirect("visits:patient", person.uuid)
    try:
        set_thresholds(patient=person, clinician=request.user, **form.cleaned_data)
    except ReadingRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The thresholds were saved."))
    return redirect("visits:patient", person.uuid)


@login_required
def alerts(request):
    patients = (
        visible_patients(request.user)
        if role_allows(request.user, "visits.provide_care")
        else User.objects.none()
    )
    open_alerts = Alert.objects.filter(
        status=Alert.Status.OPEN, patient__in=patients
    ).select_related("patient")
    for alert in open_alerts:
        authorize(
            request, patient=alert.patient, what="alert", accept=CARE_TEAM, obj=alert
        )
    return render(request, "visits/alerts.html", {"alerts": open_alerts})


@login_required
def alert_acknowledge(request, alert):
    found = Alert.objects.select_related("patient").filter(uuid=alert).first()
    if found is None:
        raise refuse(request, what="alert")
    authorize(
        request,
        patient=found.patient,
        what="alert",
        accept=CARE_TEAM,
        obj=found,
        write=request.method == "POST",
    )
    if response := post_only(request):
        return response
    acknowledge_alert(alert=found, clinician=request.user)
    messages.success(request, _("The alert was acknowledged."))
    return redirect("visits:alerts")
