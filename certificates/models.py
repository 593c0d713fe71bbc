import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet

from certificates.codes import new_code


class PageSize(models.TextChoices):
    A4 = "A4", _("A4 landscape")
    LETTER = "letter", _("US Letter landscape")


@register_snippet
class CertificateTemplate(models.Model):
    """How certificates look and what they say, edited by CME coordinators.

    Every save bumps `version`; an issued certificate keeps the version it was
    printed with, and the bulk reissue dry run shows what a newer version would change.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(
        _("default template"),
        default=False,
        help_text=_("Used for activities that do not choose a template."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    page_size = models.CharField(
        _("page size"), max_length=8, choices=PageSize.choices, default=PageSize.A4
    )
    heading = models.CharField(
        _("heading"), max_length=120, default="Certificate of completion"
    )
    preamble = models.CharField(
        _("wording before the name"), max_length=200, default="This certifies that"
    )
    completion_wording = models.CharField(
        _("wording after the name"),
        max_length=200,
        default="has completed the activity",
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=120)
    signatory_title = models.CharField(_("signatory's title"), max_length=160)
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#1d4e89",
        help_text=_("A hex colour such as #1d4e89."),
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#c8a14a"
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("certificate template")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="one_default_certificate_template",
            ),
            models.CheckConstraint(
                condition=Q(primary_colour__regex=r"^#[0-9a-fA-F]{6}$")
                & Q(accent_colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="certificate_template_hex_colours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self.version += 1
        super().save(*args, **kwargs)


def _pdf_path(instance, filename: str) -> str:
    # Random, not the certificate's UUID: the UUID is in download URLs and emails,
    # and a stored path must not be derivable from anything a person has seen.
    # A bulk-issuing chunk's attempt starts every name with its own random key
    # (IssuingChunk.attempt), so that a retry finds the files of a crashed attempt.
    name = getattr(instance, "pdf_name_prefix", "") + secrets.token_hex(16)
    return f"certificates/{name[:2]}/{name}.pdf"


def _transcript_path(instance, filename: str) -> str:
    return f"transcripts/{secrets.token_hex(16)}.pdf"


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(status=Certificate.Status.VALID)


class Certificate(models.Model):
    """An issued certificate. What it prints lives in `snapshot` and never changes.

    Only the status moves: a valid certificate can be revoked, or superseded by a
    corrected one; either way the record and its PDF stay, and its code keeps
    verifying with the reason.
    """

    class Status(models.TextChoices):
        # Counts on the transcript and verifies as valid.
        VALID = "valid", _("Valid")
        # Replaced by a corrected certificate (see `superseded_by`).
        SUPERSEDED = "superseded", _("Superseded")
        # Withdrawn by an administrator; its credits leave the transcript.
        REVOKED = "revoked", _("Revoked")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("verification code"), max_length=14, unique=True, default=new_code
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    claim = models.ForeignKey(
        "courses.CreditClaim", on_delete=models.PROTECT, related_name="certificates"
    )
    activity = models.ForeignKey(
        "courses.ActivityPage", on_delete=models.PROTECT, related_name="certificates"
    )
    credit_type = models.CharField(_("credit type"), max_length=40)
    credit_amount = models.DecimalField(
        _("credits claimed"), max_digits=6, decimal_places=2
    )
    credit_date = models.DateField(_("credit date"))
    snapshot = models.JSONField(_("printed content"))
    snapshot_sha256 = models.CharField(max_length=64)
    template = models.ForeignKey(
        CertificateTemplate, on_delete=models.PROTECT, related_name="certificates"
    )
    template_version = models.PositiveIntegerField()
    pdf = models.FileField(upload_to=_pdf_path, max_length=200)
    pdf_sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.VALID
    )
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    # Random position in the Open Badges revocation status list (never sequential).
    status_list_index = models.PositiveIntegerField(unique=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "activity", "credit_type"],
                condition=Q(status="valid"),
                name="one_valid_certificate_per_learner_activity_credit",
            )
        ]
        permissions = [
            ("revoke_certificate", "Can revoke certificates"),
            ("issue_certificates", "Can issue and reissue certificates"),
        ]

    def __str__(self) -> str:
        return self.code


class Transcript(models.Model):
    """A learner's credits over a date range, frozen at the moment it was printed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=14, unique=True, default=new_code)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transcripts"
    )
    date_from = models.DateField()
    date_to = models.DateField()
    snapshot = models.JSONField()
    snapshot_sha256 = models.CharField(max_length=64)
    pdf = models.FileField(upload_to=_transcript_path, max_length=200)
    pdf_sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code


class NameCorrection(models.Model):
    """A learner asks for their name to print differently; a coordinator decides."""

    class Status(models.TextChoices):
        # Waiting for a CME coordinator.
        PENDING = "pending", _("Waiting for review")
        # Approved: a corrected certificate superseded the old one.
        APPROVED = "approved", _("Approved")
        # Declined, with the coordinator's reason.
        DECLINED = "declined", _("Declined")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="name_corrections"
    )
    requested_name = models.CharField(_("name as it should print"), max_length=200)
    reason = models.TextField(_("why the name should change"), blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(blank=True)
    replacement = models.OneToOneField(
        Certificate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="name_correction_source",
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"],
                condition=Q(status="pending"),
                name="one_pending_name_correction_per_certificate",
            )
        ]

    def __str__(self) -> str:
        return self.requested_name


class IssuingRun(models.Model):
    """Bulk issuing for one activity, done in chunks on the task queue."""

    class Status(models.TextChoices):
        # Chunks are queued or running.
        RUNNING = "running", _("Running")
        # Every claim has been looked at.
        FINISHED = "finished", _("Finished")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(
        "courses.ActivityPage", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    claim_uuids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    # One entry per refused claim, for the run page: who, why, and what fixes it
    # (certificates.services.issuing.Fix). Names only, never clinical data.
    refusals = models.JSONField(default=list, blank=True)
    # One entry per certificate issued from a whole layout because composing it
    # failed (certificates.pdf): claim, learner, code and the compositor's error,
    # for the run page to name and developers to look into.
    rendered_whole = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.activity} ({self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class IssuingChunk(models.Model):
    """One slice of a run's claims (claim_uuids[start:stop]), issued by one task.

    Tasks run at least once (docs/decisions/0019), and a run's chunks run on every
    worker at once. `finished_at` is set in the transaction that inserts the slice's
    certificates and adds its counts to the run, so a second delivery of a finished
    chunk does nothing and a crashed attempt left nothing behind but PDF files: those
    start with the attempt's key, and the next attempt deletes them.
    """

    run = models.ForeignKey(IssuingRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    stop = models.PositiveIntegerField()
    attempts = models.PositiveIntegerField(default=0)
    # The latest attempt: its PDF name prefix, and which worker process ran it
    # ("<node>:<pid>", for people looking at a stuck run, and the cluster tests).
    attempt = models.CharField(max_length=16, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "index"], name="one_chunk_per_run_index"
            )
        ]

    def __str__(self) -> str:
        return f"{self.run} chunk {self.index}"
