"""Run the test OpenID Connect provider: migrate its own database, create the
people in the directory file and the portal's client, then serve.

python -m tests.identity_providers.oidc.serve PORT REDIRECT_URI
(IDP_DATABASE, IDP_DIRECTORY and IDP_PRIVATE_KEY in the environment)."""

import json
import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.identity_providers.oidc.settings"

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from allauth.idp.oidc.models import Client  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import run  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

CLIENT_ID = "telecampus"
CLIENT_SECRET = "telecampus-test-client-secret"  # noqa: S105 - a test process


def main(port: int, redirect_uri: str) -> None:
    call_command("migrate", verbosity=0)
    with open(os.environ["IDP_DIRECTORY"], encoding="utf-8") as file:
        people = json.load(file)["people"]
    for username, entry in people.items():
        user = User.objects.create_user(
            username=username, email=entry["email"], password=entry["password"]
        )
        EmailAddress.objects.create(
            user=user, email=entry["email"], primary=True, verified=True
        )
    client = Client(
        id=CLIENT_ID,
        name="TeleCampus",
        scopes="openid\nprofile\nemail",
        skip_consent=True,
    )
    client.set_secret(CLIENT_SECRET)
    client.set_redirect_uris([redirect_uri])
    client.save()
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
