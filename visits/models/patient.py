from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PatientProfile(models.Model):
    """Clinical facts about a patient that are not part of any one visit.

    The date of birth is PHI, so it lives here and not on accounts.User (which
    keeps only the birth month and day that CME board reporting needs).
    """

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="patient_profile",
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)

    def __str__(self) -> str:
        return f"PatientProfile {self.pk}"
