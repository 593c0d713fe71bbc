from django.urls import path

from visits.views import (
    apps,
    audit,
    booking,
    medication,
    monitoring,
    record,
    schedule,
    sharing,
    visit_day,
)

app_name = "visits"

urlpatterns = [
    path("", booking.home, name="home"),
    path("book/", booking.book, name="book"),
    path("schedule/", schedule.schedule, name="schedule"),
    path("<uuid:visit>/", booking.visit_detail, name="visit"),
    path("<uuid:visit>/cancel/", booking.cancel, name="cancel"),
    path("<uuid:visit>/reschedule/", booking.reschedule, name="reschedule"),
    path("<uuid:visit>/intake/", visit_day.intake, name="intake"),
    path("<uuid:visit>/consent/", visit_day.consent, name="consent"),
    path("<uuid:visit>/device-check/", visit_day.device_check, name="device_check"),
    path("<uuid:visit>/waiting-room/", visit_day.waiting_room, name="waiting_room"),
    path("<uuid:visit>/status/", visit_day.status, name="status"),
    path("<uuid:visit>/admit/", visit_day.admit, name="admit"),
    path("<uuid:visit>/running-late/", visit_day.running_late, name="running_late"),
    path("<uuid:visit>/end/", visit_day.end, name="end"),
    path("<uuid:visit>/video/", visit_day.video, name="video"),
    path("<uuid:visit>/note/", record.note, name="note"),
    path("<uuid:visit>/note/addendum/", record.addendum, name="addendum"),
    path("<uuid:visit>/summary/", record.summary, name="summary"),
    path("<uuid:visit>/summary.pdf", record.summary_pdf, name="summary_pdf"),
    path("<uuid:visit>/messages/", record.visit_messages, name="messages"),
    path("<uuid:visit>/follow-up/", record.follow_up, name="follow_up"),
    path(
        "follow-ups/<uuid:proposal>/",
        record.follow_up_respond,
        name="follow_up_respond",
    ),
    path("refills/", record.refills, name="refills"),
    path("refills/<uuid:refill>/", record.refill_decide, name="refill_decide"),
    path("medicines/", medication.medicines, name="medicines"),
    path(
        "medicines/<uuid:prescription>/schedule/",
        medication.medicine_schedule,
        name="medicine_schedule",
    ),
    path("doses/<uuid:dose>/answer/", medication.dose_answer, name="dose_answer"),
    path(
        "doses/answer/",
        medication.dose_answer_by_token,
        name="dose_answer_by_token",
    ),
    path("readings/", monitoring.my_readings, name="readings"),
    path("readings/upload/", monitoring.upload_readings, name="readings_upload"),
    path("alerts/", monitoring.alerts, name="alerts"),
    path(
        "alerts/<uuid:alert>/acknowledge/",
        monitoring.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path("patients/<uuid:patient>/", sharing.patient_record, name="patient"),
    path(
        "patients/<uuid:patient>/readings.svg",
        monitoring.readings_chart,
        name="readings_chart",
    ),
    path(
        "patients/<uuid:patient>/thresholds/",
        monitoring.thresholds,
        name="thresholds",
    ),
    path(
        "patients/<uuid:patient>/documents/",
        sharing.document_upload,
        name="document_upload",
    ),
    path(
        "patients/<uuid:patient>/referrals/new/",
        sharing.referral_create,
        name="referral_create",
    ),
    path(
        "patients/<uuid:patient>/break-glass/", sharing.break_glass, name="break_glass"
    ),
    path("patients/<uuid:patient>/fhir/", sharing.fhir_export, name="fhir_export"),
    path("documents/<uuid:document>/", sharing.document, name="document"),
    path("referrals/", sharing.referral_inbox, name="referrals"),
    path("referrals/<uuid:referral>/", sharing.referral, name="referral"),
    path(
        "referrals/<uuid:referral>/meeting/",
        sharing.referral_meeting,
        name="referral_meeting",
    ),
    path("access-log/", audit.access_log, name="access_log"),
    path("apps/", apps.connected_apps, name="connected_apps"),
    path("apps/disconnect/", apps.disconnect, name="disconnect_app"),
    path("audit/", audit.audit_search, name="audit"),
    path("audit/break-glass/", audit.break_glass_queue, name="break_glass_queue"),
    path(
        "audit/break-glass/<uuid:grant>/",
        audit.break_glass_review,
        name="break_glass_review",
    ),
]
