"""manage.py scim_token CLIENT_NAME: a bearer token for a directory's SCIM client.

The token is printed once; only its hash is kept. Running it again for the same
name replaces the token. --revoke NAME refuses the client's token from now on."""

from django.core.management.base import BaseCommand, CommandError

from accounts.scim.tokens import issue_token, revoke_token


class Command(BaseCommand):
    help = "Issue (or with --revoke, revoke) the SCIM bearer token of a directory."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The directory client, e.g. entra-id.")
        parser.add_argument(
            "--revoke", action="store_true", help="Revoke this client's token."
        )

    def handle(self, *args, name: str, revoke: bool, **options):
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("The client name must be 1 to 100 characters.")
        if revoke:
            if revoke_token(name=name) is None:
                raise CommandError(f"No active SCIM client named {name!r}.")
            self.stdout.write(f"Revoked the SCIM token of {name}.")
            return
        _client, token = issue_token(name=name)
        self.stderr.write(
            f"SCIM token for {name} (shown once; store it in the directory now):"
        )
        self.stdout.write(token)
