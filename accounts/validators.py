import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# CMS assigns NPIs as ISO 7812 card numbers under the health-care prefix 80840,
# so the tenth digit is the Luhn check digit of "80840" + the first nine.
NPI_LUHN_PREFIX = "80840"


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_npi(value: str) -> None:
    if len(value) != 10 or not value.isdigit():
        raise ValidationError(_("An NPI is exactly 10 digits."), code="npi_format")
    if not luhn_is_valid(NPI_LUHN_PREFIX + value):
        raise ValidationError(
            _("This NPI fails its check digit; please check it for typing errors."),
            code="npi_checksum",
        )


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(value)s is not an IANA time zone such as America/New_York."),
            params={"value": value},
            code="time_zone",
        ) from None
