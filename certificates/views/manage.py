"""Coordinators' pages in the Wagtail admin (/admin/certificates/, behind TOTP):
find and revoke certificates, decide name corrections, issue certificates for an
activity in bulk and watch the progress. Times are shown in the zone of the
person's TeleCampus profile (Wagtail's admin switches to its own profile zone)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.services import require_permission
from certificates import services
from certificates.forms import DecisionForm, RevokeForm, VerifyCodeForm
from certificates.models import Certificate, IssuingRun, NameCorrection
from courses.models import ActivityPage, CreditClaim


@require_permission("certificates.view_certificate")
def index(request):
    form = VerifyCodeForm(request.GET or None)
    certificate = None
    if form.is_valid():
        certificate = Certificate.objects.filter(code=form.cleaned_data["code"]).first()
        if certificate is None:
            form.add_error("code", _("No certificate has this code."))
    corrections = NameCorrection.objects.filter(
        status=NameCorrection.Status.PENDING
    ).select_related("certificate")
    return render(
        request,
        "certificates/manage/index.html",
        _admin_page(
            request,
            _("Manage certificates"),
            form=form,
            certificate=certificate,
            corrections=corrections,
            runs=IssuingRun.objects.select_related("activity")[:10],
        ),
    )


@require_permission("certificates.revoke_certificate")
@require_http_methods(["GET", "POST"])
def revoke(request, uuid):
    certificate = get_object_or_404(Certificate, uuid=uuid)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_certificate(
                certificate=certificate,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.CertificateStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Certificate %(code)s is revoked.") % {"code": certificate}
            )
            return redirect("certificates_admin:manage")
    return render(
        request,
        "certificates/manage/revoke.html",
        _admin_page(
            request,
            _("Revoke certificate %(code)s") % {"code": certificate.code},
            certificate=certificate,
            form=form,
        ),
        status=400 if form.is_bound and form.errors else 200,
    )


@require_permission("certificates.change_namecorrection")
@require_http_methods(["GET", "POST"])
def decide_correction(request, uuid):
    correction = get_object_or_404(
        NameCorrection.objects.select_related("certificate"), uuid=uuid
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == "approve":
                new = services.approve_name_correction(
                    correction=correction, coordinator=request.user, note=note
                )
                messages.success(
                    request,
                    _("Approved: certificate %(new)s replaces %(old)s.")
                    % {"new": new.code, "old": correction.certificate.code},
                )
            else:
                services.decline_name_correction(
                    correction=correction, coordinator=request.user, note=note
                )
                messages.success(request, _("The request was declined."))
        except services.CertificateStateError as error:
            form.add_error(None, str(error))
        else:
            return redirect("certificates_admin:manage")
    return render(
        request,
        "certificates/manage/correction.html",
        _admin_page(
            request,
            _("Name correction request"),
            correction=correction,
            form=form,
        ),
        status=400 if form.is_bound and form.errors else 200,
    )


@require_permission("certificates.issue_certificates")
@require_http_methods(["GET", "POST"])
def issue_for_activity(request, uuid):
    activity = get_object_or_404(ActivityPage, uuid=uuid)
    claims = CreditClaim.objects.filter(enrolment__activity=activity)
    if request.method == "POST":
        run = services.start_issuing_run(
            activity=activity, claims=claims, requested_by=request.user
        )
        return redirect("certificates_admin:run", uuid=run.uuid)
    return render(
        request,
        "certificates/manage/issue.html",
        _admin_page(
            request,
            _("Issue certificates for “%(title)s”") % {"title": activity.title},
            activity=activity,
            claim_count=claims.count(),
        ),
    )


def _admin_page(request, title: str, **context) -> dict:
    """What wagtailadmin/generic/base.html reads for the header and the tab."""
    return {
        **context,
        "page_title": title,
        "header_title": title,
        "header_icon": "doc-full",
        "zone": request.user.time_zone,
    }


def _fix_link(issuing_run: IssuingRun, refusal: dict, revoked_codes: dict) -> dict:
    """Where a coordinator goes to fix one refusal (services.Fix says which)."""
    activity = issuing_run.activity
    learner = refusal["learner"]
    match refusal.get("fix"):
        case services.Fix.ENROLMENT:
            url = reverse("courses_report", args=[activity.uuid])
            url += f"#enrolment-{refusal['enrolment']}"
            label = _("See how far %(learner)s got in the activity report") % {
                "learner": learner
            }
        case services.Fix.REVOKED:
            code = revoked_codes.get(refusal["claim"], "")
            url = f"{reverse('certificates_admin:manage')}?{urlencode({'code': code})}"
            label = _("See the revoked certificate %(code)s") % {"code": code}
        case services.Fix.LEARNER:
            subject = _("Please add your name to your TeleCampus profile")
            url = f"mailto:{refusal['learner_email']}?{urlencode({'subject': subject})}"
            label = _("Ask %(learner)s by email to add their name to their profile") % {
                "learner": learner
            }
        case services.Fix.TEMPLATE:
            url = reverse("wagtailsnippets_certificates_certificatetemplate:list")
            label = _("Shorten the text of the certificate template")
        case _other:
            url = reverse("wagtailadmin_pages:edit", args=[activity.pk])
            label = _("Edit the activity “%(title)s”") % {"title": activity.title}
    return {**refusal, "fix_url": url, "fix_label": label}


def _run_summary(issuing_run: IssuingRun) -> str:
    if issuing_run.status == IssuingRun.Status.RUNNING:
        return _(
            "%(done)d of %(total)d claims looked at so far: %(issued)d issued, "
            "%(refused)d refused."
        ) % vars(issuing_run)
    return ngettext(
        "Finished. %(issued)d certificate issued from %(total)d claims; "
        "%(refused)d refused.",
        "Finished. %(issued)d certificates issued from %(total)d claims; "
        "%(refused)d refused.",
        issuing_run.issued,
    ) % vars(issuing_run)


@require_permission("certificates.issue_certificates")
def run(request, uuid):
    issuing_run = get_object_or_404(
        IssuingRun.objects.select_related("activity"), uuid=uuid
    )
    revoked_codes = dict(
        Certificate.objects.filter(
            claim__uuid__in=[
                r["claim"]
                for r in issuing_run.refusals
                if r.get("fix") == services.Fix.REVOKED
            ],
            status=Certificate.Status.REVOKED,
        ).values_list("claim__uuid", "code")
    )
    revoked_codes = {str(key): code for key, code in revoked_codes.items()}
    return render(
        request,
        "certificates/manage/run.html",
        _admin_page(
            request,
            _("Issuing certificates for “%(title)s”")
            % {"title": issuing_run.activity.title},
            run=issuing_run,
            summary=_run_summary(issuing_run),
            refusals=[
                _fix_link(issuing_run, refusal, revoked_codes)
                for refusal in issuing_run.refusals
            ],
            rendered_whole=issuing_run.rendered_whole,
        ),
    )


@require_permission("certificates.issue_certificates")
def run_json(request, uuid):
    issuing_run = get_object_or_404(IssuingRun, uuid=uuid)
    return JsonResponse(
        {
            "status": issuing_run.status,
            "done": issuing_run.done,
            "total": issuing_run.total,
            "issued": issuing_run.issued,
            "refused": issuing_run.refused,
            "percent": issuing_run.percent,
            "summary": _run_summary(issuing_run),
            # Issued, but laid out whole because composing them failed.
            "rendered_whole": [
                {"learner": entry["learner"], "code": entry["code"]}
                for entry in issuing_run.rendered_whole
            ],
        }
    )
