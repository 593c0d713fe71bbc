from django.urls import reverse


def test_profile_saves_valid_changes(client, clinician):
    client.force_login(clinician)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Dana Q. Clinician, MD",
            "preferred_name": "Dana",
            "time_zone": "America/Denver",
            "profession": "physician",
            "npi": "1234567893",
        },
    )
    assert response.status_code == 302
    clinician.refresh_from_db()
    assert clinician.full_name == "Dana Q. Clinician, MD"
    assert clinician.time_zone == "America/Denver"


def test_profile_rejects_bad_npi_and_zone_without_losing_saved_data(client, clinician):
    client.force_login(clinician)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Changed Name",
            "time_zone": "Mars/Olympus",
            "profession": "physician",
            "npi": "1234567890",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "check digit" in body
    assert "IANA time zone" in body
    clinician.refresh_from_db()
    assert clinician.full_name == "Dana Clinician, MD"
    assert clinician.npi == "1234567893"
