"""django-oauth-toolkit's validator with the SMART additions: the id_token names
the signed-in patient as a FHIR resource (the `fhirUser` claim)."""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


def fhir_base_url() -> str:
    return f"{settings.BASE_URL}/fhir/r4"


class SmartValidator(OAuth2Validator):
    # A claim reaches the id_token only when its scope was granted.
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "fhirUser": "fhirUser"}

    def get_additional_claims(self, request):
        return {
            "fhirUser": f"{fhir_base_url()}/Patient/{request.user.uuid}",
            "name": request.user.full_name or request.user.username,
        }
