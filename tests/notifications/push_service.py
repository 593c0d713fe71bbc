"""A push-service stand-in on loopback, and a browser's side of a subscription.

The portal's pushes are real HTTP requests (pywebpush) to this server, which keeps
them; a test then decrypts each body with the browser's keys (http_ece, RFC 8291)
and checks the VAPID token, as a real push service and browser would.
"""

import base64
import json
import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


@dataclass
class PushService:
    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    # path -> status to answer (201 unless told otherwise)
    answers: dict[str, int] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"


def start_push_service() -> PushService:
    service: PushService

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            service.received.append(Received(self.path, headers, body))
            self.send_response(service.answers.get(self.path, 201))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service = PushService(server)
    # shutdown() waits for the loop's next poll: 0.5 s a test at the default.
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    ).start()
    return service


@dataclass
class BrowserKeys:
    """What a browser makes when it subscribes: a P-256 key pair and a secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @classmethod
    def new(cls) -> "BrowserKeys":
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962,
                serialization.PublicFormat.UncompressedPoint,
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body,
            private_key=self.private_key,
            auth_secret=self.auth_secret,
            version="aes128gcm",
        )
        return json.loads(plain)


def vapid_claims(request: Received, *, audience: str) -> tuple[dict, str]:
    """The VAPID token's claims, verified with the key it names (RFC 8292)."""
    scheme, _, params = request.headers["authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(part.strip().split("=", 1) for part in params.split(","))
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), unb64url(parts["k"])
    )
    claims = jwt.decode(
        parts["t"],
        public_key,
        algorithms=["ES256"],
        audience=audience,
        options={"require": ["aud", "exp", "sub"]},
    )
    return claims, parts["k"]
