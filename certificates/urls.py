from django.urls import path

from certificates.views import learner, manage, public

app_name = "certificates"

urlpatterns = [
    path("", learner.mine, name="mine"),
    path("<uuid:uuid>/certificate.pdf", learner.download, name="download"),
    path("<uuid:uuid>/open-badge.jwt", learner.badge, name="badge"),
    path(
        "<uuid:uuid>/name-correction/",
        learner.request_correction,
        name="request_correction",
    ),
    path("transcript/", learner.transcript, name="transcript"),
    path(
        "transcript/<uuid:uuid>/transcript.pdf",
        learner.transcript_download,
        name="transcript_download",
    ),
    path("verify/", public.verify_index, name="verify_index"),
    path("verify/<str:code>.json", public.verify_json, name="verify_json"),
    path("verify/<str:code>/", public.verify, name="verify"),
    path("issuer/", public.issuer, name="issuer"),
    path("issuer/jwks.json", public.jwks, name="jwks"),
    path("status/revocation/", public.revocation_list, name="revocation_list"),
]

# The coordinators' pages, in the Wagtail admin under /admin/certificates/
# (certificates/wagtail_hooks.py), namespace "certificates_admin".
manage_urlpatterns = [
    path("", manage.index, name="manage"),
    path("<uuid:uuid>/revoke/", manage.revoke, name="revoke"),
    path(
        "corrections/<uuid:uuid>/",
        manage.decide_correction,
        name="decide_correction",
    ),
    path(
        "activities/<uuid:uuid>/issue/",
        manage.issue_for_activity,
        name="issue_for_activity",
    ),
    path("runs/<uuid:uuid>/", manage.run, name="run"),
    path("runs/<uuid:uuid>.json", manage.run_json, name="run_json"),
]
