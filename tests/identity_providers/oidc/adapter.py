"""The provider's directory: each person's groups, second factor, zone and
profession come from a JSON file the test rewrites between sign-ins, the way an
administrator would change them in Entra ID or Okta."""

import json
import os

from allauth.idp.oidc.adapter import DefaultOIDCAdapter


def directory_entry(username: str) -> dict:
    with open(os.environ["IDP_DIRECTORY"], encoding="utf-8") as file:
        return json.load(file)["people"].get(username, {})


class DirectoryAdapter(DefaultOIDCAdapter):
    def get_claims(self, purpose, user, client, scopes, email=None, **kwargs):
        claims = super().get_claims(purpose, user, client, scopes, email, **kwargs)
        entry = directory_entry(user.username)
        claims["groups"] = entry.get("groups", [])
        for claim in ("zoneinfo", "profession", "name"):
            if entry.get(claim):
                claims[claim] = entry[claim]
        if purpose == "id_token":
            # RFC 8176: "pwd" alone, or "pwd" and "otp" after a second factor.
            claims["amr"] = ["pwd", "otp"] if entry.get("mfa") else ["pwd"]
        return claims
