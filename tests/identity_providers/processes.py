"""Start the test identity providers as real processes on loopback, once per test
module, and stop them afterwards. Ports come from this helper's range (9150-9199),
split between pytest-xdist workers."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

REPO = Path(__file__).resolve().parents[2]
PORTS = range(9150, 9200)


def worker_ports() -> range:
    """This worker's share of PORTS. The probe below frees its port before the
    provider binds it, so two workers probing the same range at once would both
    pick 9150; a slice each (gw0 the first, gw1 the next...) cannot collide."""
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    size = len(PORTS) // count
    return PORTS[index * size : (index + 1) * size]


def free_port() -> int:
    ports = worker_ports()
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def key_and_certificate(folder: Path, name: str) -> tuple[Path, Path, str]:
    """An RSA key and a self-signed certificate; returns (key, cert, cert PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(tz=UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    cert_path.write_text(cert_pem)
    return key_path, cert_path, cert_pem


def write_directory(path: Path, directory: dict) -> None:
    path.write_text(json.dumps(directory), encoding="utf-8")


def start(module: str, args: list[str], env: dict, ready_url: str, log: Path):
    """Run `python -m module args` and wait until ready_url answers at all."""
    with log.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 - our own test programs
            [sys.executable, "-m", module, *args],
            cwd=REPO,
            env={**os.environ, **env},
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{module} stopped: {log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(ready_url, timeout=2)  # noqa: S310
            return process
        except urllib.error.HTTPError:
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{module} did not answer at {ready_url}")


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
