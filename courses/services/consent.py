"""Board-reporting consent and details, kept on the learner's accounts profile.

Called by courses' board-reporting view; export_pars reads what is stored here.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import ProfessionalIdentifier, User


@transaction.atomic
def update_board_reporting(
    *,
    user: User,
    consent: bool,
    board: str,
    board_id: str,
    birth_month: int | None,
    birth_day: int | None,
) -> User:
    """Give or withdraw consent and store the board ID and birth month and day."""
    if consent and not user.board_reporting_consent_at:
        user.board_reporting_consent_at = timezone.now()
    elif not consent:
        user.board_reporting_consent_at = None
    user.birth_month, user.birth_day = birth_month, birth_day
    user.full_clean()
    user.save(update_fields=["board_reporting_consent_at", "birth_month", "birth_day"])
    identifiers = ProfessionalIdentifier.objects.filter(
        user=user, kind=ProfessionalIdentifier.Kind.BOARD
    )
    if board and board_id:
        identifiers.exclude(issuer=board).delete()
        ProfessionalIdentifier.objects.update_or_create(
            user=user,
            kind=ProfessionalIdentifier.Kind.BOARD,
            issuer=board,
            defaults={"number": board_id},
        )
    elif not board_id:
        identifiers.delete()
    return user


def board_identifier(user: User) -> ProfessionalIdentifier | None:
    return (
        ProfessionalIdentifier.objects.filter(
            user=user, kind=ProfessionalIdentifier.Kind.BOARD
        )
        .order_by("issuer")
        .first()
    )
