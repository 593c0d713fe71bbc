import pytest
from django.core.exceptions import ValidationError

from accounts.validators import validate_npi, validate_time_zone


@pytest.mark.parametrize("npi", ["1234567893", "1987654328", "1543219871"])
def test_valid_npis_pass(npi):
    validate_npi(npi)


@pytest.mark.parametrize(
    ("npi", "code"),
    [
        ("1234567890", "npi_checksum"),  # wrong check digit
        ("1234567839", "npi_checksum"),  # transposed digits
        ("123456789", "npi_format"),
        ("12345678931", "npi_format"),
        ("12345abc93", "npi_format"),
    ],
)
def test_invalid_npis_are_refused_with_a_reason(npi, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_npi(npi)
    assert excinfo.value.code == code


def test_time_zone_must_be_iana():
    validate_time_zone("America/New_York")
    with pytest.raises(ValidationError):
        validate_time_zone("Eastern Standard Time")
    with pytest.raises(ValidationError):
        validate_time_zone("../../etc/passwd")
