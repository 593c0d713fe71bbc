"""SCIM error responses (RFC 7644 §3.12): every refusal is one of these, never a 500."""

import json

from django.http import HttpResponse

from accounts.refusals import Refusal

SCIM_CONTENT_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(Refusal):
    """`detail` is the Refusal's `message`, `scim_type` its `code` when given."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail, code=scim_type or "scim", status=status)
        self.scim_type = scim_type

    def response(self) -> HttpResponse:
        body = {"schemas": [ERROR_SCHEMA], "status": str(self.status)}
        if self.scim_type:
            body["scimType"] = self.scim_type
        body["detail"] = self.message
        response = HttpResponse(
            json.dumps(body), status=self.status, content_type=SCIM_CONTENT_TYPE
        )
        if self.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="scim"'
        return response


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def invalid_syntax(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidSyntax")


def invalid_filter(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def invalid_path(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidPath")


def not_found(detail: str = "No such resource.") -> ScimError:
    return ScimError(404, detail)
