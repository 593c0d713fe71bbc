"""Certificate records in the Wagtail admin: listed and inspected, never added,
edited or deleted there, by anyone (every change goes through the services).
And the SCIM directory clients, read-only, for site administrators."""

from django.urls import reverse

from accounts.models import DirectoryClient
from accounts.roles import Role
from accounts.scim.tokens import issue_token
from accounts.services import format_time
from certificates import services
from certificates.models import Certificate, NameCorrection
from tests.conftest import make_person

CHANGES = ("edit", "delete")


def test_coordinators_list_and_inspect_certificates(
    client, coordinator, clinician_claim
):
    certificate = services.issue_certificate(claim=clinician_claim)
    coordinator.time_zone = "Asia/Kolkata"
    coordinator.save()
    client.force_login(coordinator)
    listing = client.get(reverse("certificate_records:index")).content.decode()
    assert certificate.code in listing
    # Issued at, in the coordinator's zone and named (LocalTimeColumn).
    assert format_time(certificate.issued_at, "Asia/Kolkata") in listing
    assert reverse("certificate_records:add") not in listing
    assert reverse("certificate_records:edit", args=[certificate.pk]) not in listing
    inspect = client.get(reverse("certificate_records:inspect", args=[certificate.pk]))
    assert inspect.status_code == 200
    html = inspect.content.decode()
    assert certificate.code in html
    assert certificate.pdf.name not in html  # private media stays out of sight
    for name in ("name_corrections", "issuing_runs", "transcript_records"):
        assert client.get(reverse(f"{name}:index")).status_code == 200, name


def test_nobody_changes_a_record_here_not_even_a_superuser(
    client, coordinator, site_admin, clinician_claim
):
    certificate = services.issue_certificate(claim=clinician_claim)
    correction = services.request_name_correction(
        certificate=certificate,
        learner=clinician_claim.learner,
        requested_name="Dana Q. Clinician, MD",
    )
    # The coordinator holds certificates.change_namecorrection for the decision
    # page; it opens no edit form here.
    assert coordinator.has_perm("certificates.change_namecorrection")
    for person in (coordinator, site_admin):
        client.force_login(person)
        assert client.get(reverse("certificate_records:add")).status_code == 302
        for action in CHANGES:
            for name, pk in (
                ("certificate_records", certificate.pk),
                ("name_corrections", correction.pk),
            ):
                url = reverse(f"{name}:{action}", args=[pk])
                refused = client.post(url, {"status": "revoked", "requested_name": "X"})
                assert (refused.status_code, refused.url) == (302, "/admin/"), url
    certificate.refresh_from_db()
    correction.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert correction.status == NameCorrection.Status.PENDING
    assert correction.requested_name == "Dana Q. Clinician, MD"


def test_editors_get_no_certificate_records(client, editor):
    client.force_login(editor)
    refused = client.get(reverse("certificate_records:index"))
    assert (refused.status_code, refused.url) == (302, "/admin/")


def test_directory_clients_are_listed_without_their_token(client, db):
    directory, token = issue_token(name="entra-id")
    administrator = make_person("directory_admin", [Role.SITE_ADMINISTRATOR], totp=True)
    client.force_login(administrator)
    listing = client.get(reverse("directory_clients:index")).content.decode()
    assert "entra-id" in listing
    assert reverse("directory_clients:add") not in listing
    inspect = client.get(reverse("directory_clients:inspect", args=[directory.pk]))
    html = inspect.content.decode()
    assert inspect.status_code == 200 and "entra-id" in html
    assert directory.token_hash not in html and token not in html
    client.post(reverse("directory_clients:delete", args=[directory.pk]))
    assert DirectoryClient.objects.filter(pk=directory.pk).exists()
