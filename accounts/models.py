import uuid

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.roles import STAFF_ROLES, Role
from accounts.validators import validate_npi, validate_time_zone


class Profession(models.TextChoices):
    PHYSICIAN = "physician", _("Physician (MD/DO)")
    NURSE = "nurse", _("Nurse")
    NURSE_PRACTITIONER = "nurse_practitioner", _("Nurse practitioner")
    PHYSICIAN_ASSISTANT = "physician_assistant", _("Physician assistant")
    PHARMACIST = "pharmacist", _("Pharmacist")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    DIETITIAN = "dietitian", _("Dietitian")
    OTHER = "other", _("Other")


class User(AbstractUser):
    """A person who signs in: patient, clinician or staff.

    `uuid` is the identifier used in URLs, emails and exports; the sequential id
    never leaves the database.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(
        _("full name"),
        max_length=200,
        blank=True,
        help_text=_("Your name exactly as it should print on a certificate."),
    )
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    profession = models.CharField(
        _("profession"), max_length=32, choices=Profession.choices, blank=True
    )
    npi = models.CharField(
        _("NPI"),
        max_length=10,
        blank=True,
        validators=[validate_npi],
        help_text=_("National Provider Identifier: 10 digits."),
    )
    # Board reporting (CME) needs birth month and day, never the year.
    birth_month = models.PositiveSmallIntegerField(
        _("birth month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    birth_day = models.PositiveSmallIntegerField(
        _("birth day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    board_reporting_consent_at = models.DateTimeField(
        _("consented to board reporting at"), null=True, blank=True
    )

    class Meta:
        ordering = ["full_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return (
            self.preferred_name
            or self.full_name
            or self.get_full_name()
            or self.username
        )

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: Role) -> bool:
        return role.value in self.role_names

    @property
    def is_staff_role(self) -> bool:
        """Staff roles must use TOTP and get short idle sessions."""
        return self.is_superuser or bool(
            self.role_names & {r.value for r in STAFF_ROLES}
        )


class ProfessionalIdentifier(models.Model):
    """A board or licence number, e.g. ABIM ID or a state medical licence."""

    class Kind(models.TextChoices):
        BOARD = "board", _("Certifying board ID")
        LICENCE = "licence", _("Licence number")
        OTHER = "other", _("Other identifier")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    issuer = models.CharField(
        _("issuer"),
        max_length=120,
        help_text=_("For example ABIM or Texas Medical Board."),
    )
    number = models.CharField(_("number"), max_length=64)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "issuer"], name="one_identifier_per_issuer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.number}"


class DirectoryGroupRole(models.Model):
    """One group of the hospital's directory granting one TeleCampus role (#14).

    Single sign-on (a groups claim or attribute) and SCIM (Groups) both name groups;
    accounts.services.apply_directory_groups turns them into roles through this one
    table. The directory governs only the roles that appear here: a role no row
    names stays as an administrator set it.
    """

    group = models.CharField(
        _("directory group"),
        max_length=255,
        help_text=_(
            "The group exactly as the identity provider sends it: a name (Okta, "
            "Keycloak) or an object ID (Entra ID). Letter case is ignored."
        ),
    )
    role = models.CharField(
        _("role"),
        max_length=32,
        choices=[(role.value, role.label) for role in Role if role in STAFF_ROLES],
        help_text=_("Patients keep local accounts, so no group grants that role."),
    )

    class Meta:
        ordering = ["group", "role"]
        verbose_name = _("directory group mapping")
        constraints = [
            models.UniqueConstraint(fields=["group", "role"], name="one_row_per_grant")
        ]

    def __str__(self) -> str:
        return f"{self.group} → {Role(self.role).label}"


class UsedSingleSignOnAssertion(models.Model):
    """A SAML assertion already turned into a sign-in (#14).

    The unique constraint makes a replayed assertion fail even when two workers
    receive it at once; rows past `expires_at` can never be accepted again anyway
    (python3-saml refuses them) and may be deleted.
    """

    provider = models.CharField(max_length=40)
    assertion_id = models.CharField(max_length=255)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "assertion_id"], name="one_use_per_assertion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.assertion_id}"
