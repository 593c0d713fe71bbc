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
        return (
            self.is_superuser
            or bool(self.role_names & {r.value for r in STAFF_ROLES})
            or self.is_directory_person
        )

    @cached_property
    def is_directory_person(self) -> bool:
        """Provisioned by the hospital's directory (SCIM): staff, whatever their
        roles, since patients keep local accounts (#14)."""
        return DirectoryAccount.objects.filter(user_id=self.pk).exists()


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


class DirectoryClient(models.Model):
    """An identity provider (Entra ID, Okta, Keycloak) allowed to call /scim/v2/.

    Only a SHA-256 of its bearer token is kept: `manage.py scim_token NAME` prints
    the token once. A revoked client's token is refused (401) from that moment.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("SCIM directory client")

    def __str__(self) -> str:
        return self.name


class DirectoryAccount(models.Model):
    """The SCIM side of a person a directory provisioned: their last SCIM document.

    The document is what the directory sent (minus what we compute: id, meta,
    groups); the person's username, email, name and active flag are projected
    from it onto User, which stays the one place the rest of the portal reads.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="directory_account"
    )
    client = models.ForeignKey(
        DirectoryClient, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    document = models.JSONField(default=dict)
    # Raised on every change: the ETag (W/"version") and meta.version.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Directory account of {self.user}"


class DirectoryGroup(models.Model):
    """A group as the directory pushes it through SCIM Groups.

    Its members' roles follow DirectoryGroupRole (apply_directory_groups): this
    table holds only who is in which directory group, never roles.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(max_length=255)
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    members = models.ManyToManyField(User, blank=True, related_name="directory_groups")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class AccountEvent(models.Model):
    """The audit trail of account-level actions (no health information here).

    Deactivation writes one entry per door it closed plus one holding the whole
    report the administrator sees; SCIM token issue and revocation are here too.
    """

    class Action(models.TextChoices):
        DEACTIVATED = "deactivated", _("Deactivated")
        DOOR_CLOSED = "door_closed", _("Closed a door")
        REACTIVATED = "reactivated", _("Reactivated")
        PROVISIONED = "provisioned", _("Provisioned by the directory")
        TOKEN_ISSUED = "token_issued", _("Issued a SCIM token")
        TOKEN_REVOKED = "token_revoked", _("Revoked a SCIM token")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The directory client when the directory acted (SCIM), else blank.
    actor_client = models.CharField(max_length=100, blank=True)
    subject = models.ForeignKey(
        User, null=True, on_delete=models.PROTECT, related_name="account_events"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    step = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]
        permissions = [
            ("deactivate_person", _("Can deactivate a person (leaving)")),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.step}".strip()


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
