"""Certificates demo: runs after courses' demo (INSTALLED_APPS order).

Issues a certificate for every completed claim, then shows the other two states:
the reviewer (the demo clinician who completed an activity) had their name
corrected, so their first certificate is superseded; the nurse's is revoked.
"""

from accounts.models import User
from certificates import services
from certificates.models import Certificate, NameCorrection
from courses.models import CreditClaim, Enrolment


def _certificate_of(username: str) -> Certificate | None:
    return (
        Certificate.objects.filter(learner__username=username)
        .order_by("issued_at")
        .first()
    )


def seed() -> list[str]:
    claims = CreditClaim.objects.filter(
        enrolment__status=Enrolment.Status.COMPLETE
    ).select_related("enrolment__learner", "enrolment__activity")
    outcome = services.issue_certificates(claims=list(claims))
    lines = [
        f"{len(outcome.issued)} certificates issued, "
        f"{len(outcome.existing)} already there"
    ]
    coordinator = User.objects.get(username="coordinator")

    first = _certificate_of("reviewer")
    if first and first.status == Certificate.Status.VALID:
        correction = services.request_name_correction(
            certificate=first,
            learner=first.learner,
            requested_name="Rosa M. Reviewer, MD",
            reason="My middle initial is on my licence.",
        )
        services.approve_name_correction(
            correction=correction,
            coordinator=coordinator,
            note="Matches the state licence.",
        )
    if first:
        first.refresh_from_db()
        replacement = getattr(first, "superseded_by", None)
        lines.append(
            f"reviewer: {first.code} {first.status}"
            + (f", replaced by {replacement.code} (valid)" if replacement else "")
        )

    nurse = _certificate_of("nurse")
    if nurse:
        services.revoke_certificate(
            certificate=nurse,
            actor=coordinator,
            reason="Attendance could not be confirmed.",
        )
        lines.append(f"nurse: {nurse.code} revoked")
    pending = NameCorrection.objects.filter(status=NameCorrection.Status.PENDING)
    lines.append(f"{pending.count()} name corrections waiting")
    lines.append("verify any code at /certificates/verify/")
    return lines
