"""Helpers for SCIM tests: a token from the real command, JSON requests."""

import io
import json

from django.core.management import call_command

SCIM_JSON = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def issue_token(name: str = "entra-id") -> str:
    out = io.StringIO()
    call_command("scim_token", name, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


class Scim:
    """A directory calling /scim/v2/ with its bearer token through Django's client."""

    def __init__(self, client, token: str) -> None:
        self.client = client
        self.token = token

    def call(self, method: str, path: str, body=None, **headers):
        data = json.dumps(body) if body is not None else None
        return getattr(self.client, method)(
            f"/scim/v2/{path}",
            data=data,
            content_type=SCIM_JSON,
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
            **headers,
        )

    def create_user(self, user_name: str, email: str, **extra) -> dict:
        body = {
            "schemas": [USER_SCHEMA],
            "userName": user_name,
            "name": {"givenName": "Dana", "familyName": "Leaver"},
            "emails": [{"value": email, "type": "work", "primary": True}],
            "active": True,
            **extra,
        }
        response = self.call("post", "Users", body)
        assert response.status_code == 201, response.content
        return response.json()

    def create_group(self, name: str, member_ids: list[str]) -> dict:
        body = {
            "schemas": [GROUP_SCHEMA],
            "displayName": name,
            "members": [{"value": member} for member in member_ids],
        }
        response = self.call("post", "Groups", body)
        assert response.status_code == 201, response.content
        return response.json()

    def patch(self, path: str, operations: list[dict], **headers):
        return self.call(
            "patch",
            path,
            {"schemas": [PATCH_SCHEMA], "Operations": operations},
            **headers,
        )
