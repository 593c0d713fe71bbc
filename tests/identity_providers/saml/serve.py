"""A real SAML 2.0 identity provider for the single sign-on tests: pysaml2's IdP
(signing with the xmlsec1 binary) behind a tiny WSGI app with a sign-in form.

python -m tests.identity_providers.saml.serve PORT

Environment: IDP_DIRECTORY (JSON: people, and "saml_mode"), IDP_KEY/IDP_CERT (the
key and certificate the portal trusts), IDP_OTHER_KEY/IDP_OTHER_CERT (a key the
portal does not know), IDP_SP_METADATA_URL (the portal's SP metadata).

"saml_mode" switches what the provider sends, so tests can see the portal refuse
it: "normal", "unsigned", "wrong_key", "wrong_audience", "expired".
"""

import html
import json
import os
import sys
import urllib.request
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIServer, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

# The attribute names Entra ID sends, which the portal reads by default.
CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
EMAIL = CLAIMS + "emailaddress"
GIVEN_NAME = CLAIMS + "givenname"
SURNAME = CLAIMS + "surname"
DISPLAY_NAME = "http://schemas.microsoft.com/identity/claims/displayname"
GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
MFA_CONTEXT = "http://schemas.microsoft.com/claims/multipleauthn"
PASSWORD_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
ANOTHER_SP = "https://another-application.example/saml"


def _directory() -> dict:
    with open(os.environ["IDP_DIRECTORY"], encoding="utf-8") as file:
        return json.load(file)


class IdentityProvider:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._servers: dict[tuple, Server] = {}

    def server(self, *, key: str, cert: str, minutes: int) -> Server:
        """One pysaml2 Server per key and lifetime, built on first use (the
        portal's metadata is only reachable once the portal runs)."""
        cache_key = (key, minutes)
        if cache_key not in self._servers:
            with urllib.request.urlopen(os.environ["IDP_SP_METADATA_URL"]) as answer:  # noqa: S310
                sp_metadata = answer.read().decode()
            entity_id = sp_metadata.split('entityID="', 1)[1].split('"', 1)[0]
            another = sp_metadata.replace(entity_id, ANOTHER_SP)
            config = IdPConfig()
            config.load(
                {
                    "entityid": f"{self.base_url}/metadata",
                    "service": {
                        "idp": {
                            "endpoints": {
                                "single_sign_on_service": [
                                    (f"{self.base_url}/sso", BINDING_HTTP_REDIRECT)
                                ]
                            },
                            "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                            "policy": {
                                "default": {
                                    "lifetime": {"minutes": minutes},
                                    "attribute_restrictions": None,
                                    "name_form": NAME_FORMAT_URI,
                                }
                            },
                        }
                    },
                    "key_file": os.environ[key],
                    "cert_file": os.environ[cert],
                    "metadata": {"inline": [sp_metadata, another]},
                    "xmlsec_binary": "/usr/bin/xmlsec1",
                }
            )
            self._servers[cache_key] = Server(config=config)
        return self._servers[cache_key]

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/sso" and environ["REQUEST_METHOD"] == "GET":
            query = parse_qs(environ["QUERY_STRING"])
            return self._page(start_response, self._sign_in_form(query))
        if path == "/sso" and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = parse_qs(environ["wsgi.input"].read(length).decode())
            return self._answer(start_response, {k: v[0] for k, v in form.items()})
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _page(self, start_response, body: str, status: str = "200 OK"):
        start_response(status, [("Content-Type", "text/html; charset=utf-8")])
        return [body.encode()]

    def _sign_in_form(self, query: dict) -> str:
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(query[name][0])}">'
            for name in ("SAMLRequest", "RelayState")
            if name in query
        )
        return (
            "<!doctype html><html lang='en'><title>Test directory</title><main>"
            "<h1>Test directory sign-in (SAML)</h1>"
            f"<form method='post' action='/sso'>{hidden}"
            "<label>Directory username <input name='username'></label>"
            "<label>Directory password <input type='password' name='password'>"
            "</label><button type='submit'>Sign in to the directory</button>"
            "</form></main></html>"
        )

    def _answer(self, start_response, form: dict):
        directory = _directory()
        person = directory["people"].get(form.get("username", ""))
        if not person or person["password"] != form.get("password"):
            return self._page(start_response, "wrong password", "403 Forbidden")
        mode = directory.get("saml_mode", "normal")
        key, cert = (
            ("IDP_OTHER_KEY", "IDP_OTHER_CERT")
            if mode == "wrong_key"
            else ("IDP_KEY", "IDP_CERT")
        )
        server = self.server(
            key=key, cert=cert, minutes=-30 if mode == "expired" else 5
        )
        request = server.parse_authn_request(form["SAMLRequest"], BINDING_HTTP_REDIRECT)
        authn_request = request.message
        sp_entity_id = authn_request.issuer.text
        destination = authn_request.assertion_consumer_service_url
        identity = {
            EMAIL: [person["email"]],
            DISPLAY_NAME: [person.get("name", "")],
            GROUPS: person.get("groups", []),
        }
        for attribute in ("zoneinfo", "profession"):
            if person.get(attribute):
                identity[attribute] = [person[attribute]]
        response = server.create_authn_response(
            identity,
            in_response_to=authn_request.id,
            destination=destination,
            sp_entity_id=ANOTHER_SP if mode == "wrong_audience" else sp_entity_id,
            name_id=NameID(
                format=NAMEID_FORMAT_PERSISTENT, text=f"directory-{form['username']}"
            ),
            authn={
                "class_ref": MFA_CONTEXT if person.get("mfa") else PASSWORD_CONTEXT,
                "authn_auth": f"{self.base_url}/metadata",
            },
            sign_response=False,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            sign_assertion=mode != "unsigned",
        )
        http_args = server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            destination,
            relay_state=form.get("RelayState", ""),
            response=True,
        )
        return self._page(start_response, http_args["data"])


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


if __name__ == "__main__":
    port = int(sys.argv[1])
    app = IdentityProvider(f"http://127.0.0.1:{port}")
    make_server(
        "127.0.0.1", port, app, server_class=ThreadingWSGIServer
    ).serve_forever()
