"""The learner's board-reporting consent and details (used by export_pars)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from courses import services
from courses.forms import BoardReportingForm
from courses.services.consent import board_identifier


@login_required
def board_reporting(request):
    user = request.user
    identifier = board_identifier(user)
    initial = {
        "consent": bool(user.board_reporting_consent_at),
        "board": identifier.issuer if identifier else "",
        "board_id": identifier.number if identifier else "",
        "birth_month": user.birth_month,
        "birth_day": user.birth_day,
    }
    form = BoardReportingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_board_reporting(user=user, **form.cleaned_data)
        if form.cleaned_data["consent"]:
            messages.success(
                request, _("Your completed CME will be reported to your board.")
            )
        else:
            messages.success(
                request,
                _("Your completed CME will not be reported to your board."),
            )
        return redirect("courses:board_reporting")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "courses/board_reporting.html",
        {"form": form, "consented_at": user.board_reporting_consent_at},
        status=status,
    )
