"""The learner's pages: their certificates, downloads, name corrections, transcript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from certificates import badges, services
from certificates.forms import NameCorrectionForm, TranscriptRangeForm
from certificates.models import Certificate, NameCorrection, Transcript


def _own_certificate(request, uuid) -> Certificate:
    return get_object_or_404(Certificate, uuid=uuid, learner=request.user)


@login_required
def mine(request):
    certificates = Certificate.objects.filter(learner=request.user).select_related(
        "superseded_by"
    )
    pending = set(
        NameCorrection.objects.filter(
            certificate__learner=request.user, status=NameCorrection.Status.PENDING
        ).values_list("certificate_id", flat=True)
    )
    return render(
        request,
        "certificates/mine.html",
        {"certificates": certificates, "pending": pending},
    )


@login_required
def download(request, uuid):
    certificate = get_object_or_404(Certificate, uuid=uuid)
    if certificate.learner_id != request.user.pk and not request.user.has_perm(
        "certificates.view_certificate"
    ):
        raise Http404
    # The stored file as issued: never rendered again.
    return FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"certificate-{certificate.code}.pdf",
    )


@login_required
def badge(request, uuid):
    certificate = _own_certificate(request, uuid)
    response = HttpResponse(
        badges.credential_jwt(certificate), content_type="application/vc+jwt"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="open-badge-{certificate.code}.jwt"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def request_correction(request, uuid):
    certificate = _own_certificate(request, uuid)
    form = NameCorrectionForm(
        request.POST or None,
        initial={"requested_name": certificate.snapshot["learner_name"]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_name_correction(
                certificate=certificate,
                learner=request.user,
                requested_name=form.cleaned_data["requested_name"],
                reason=form.cleaned_data["reason"],
            )
        except services.CertificateStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your request was sent. A coordinator will review it."),
            )
            return redirect("certificates:mine")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "certificates/name_correction.html",
        {"certificate": certificate, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def transcript(request):
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = TranscriptRangeForm(data, initial=TranscriptRangeForm.initial_range())
    summary = None
    status = 200
    if form.is_bound and form.is_valid():
        dates = {
            "date_from": form.cleaned_data["date_from"],
            "date_to": form.cleaned_data["date_to"],
        }
        if request.method == "POST":
            issued = services.issue_transcript(learner=request.user, **dates)
            return redirect("certificates:transcript_download", uuid=issued.uuid)
        summary = services.transcript_summary(learner=request.user, **dates)
    elif form.is_bound:
        status = 400
    else:
        summary = services.transcript_summary(
            learner=request.user, **TranscriptRangeForm.initial_range()
        )
    return render(
        request,
        "certificates/transcript.html",
        {"form": form, "summary": summary},
        status=status,
    )


@login_required
def transcript_download(request, uuid):
    issued = get_object_or_404(Transcript, uuid=uuid, learner=request.user)
    return FileResponse(
        issued.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"transcript-{issued.code}.pdf",
    )
