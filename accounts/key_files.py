"""Development keys kept in var/: made once, whoever asks first.

Production passes keys in the environment (ops checks refuse to start without them);
on a developer's machine, tests and `make run` make one on first use and keep it, so
that what it signed survives a restart. No Django imports: settings use this.
"""

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes


def key_file_once(path: Path, make_key: Callable[[], PrivateKeyTypes]) -> str:
    """The PEM at `path`, made with `make_key()` if there is none yet.

    Several processes may start at once on a fresh var/ (pytest-xdist workers,
    make run's web and worker): each writes a whole key aside (mode 0600, as
    NamedTemporaryFile makes it) and links it in; the first link wins and everyone
    reads that one, never a half-written file."""
    if not path.exists():
        pem = make_key().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".pem") as aside:
            aside.write(pem)
            aside.flush()
            with contextlib.suppress(FileExistsError):
                os.link(aside.name, path)
    return path.read_text()
