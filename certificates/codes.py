"""Verification codes: 60 random bits in Crockford base32, printed as XXXX-XXXX-XXXX.

Crockford's alphabet leaves out I, L, O and U; when reading a code back, O is read as
zero and I or L as one, so a code copied by hand from paper still verifies.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
BITS = LENGTH * 5
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-‐-―]+")


def new_code() -> str:
    value = secrets.randbits(BITS)
    chars = [ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(LENGTH))]
    return format_code("".join(chars))


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise_code(text: str) -> str | None:
    """The canonical form of a typed or scanned code, or None if it cannot be one."""
    if len(text) > 40:
        return None
    raw = _SEPARATORS.sub("", text).upper().translate(_READ_AS)
    if len(raw) != LENGTH or any(char not in ALPHABET for char in raw):
        return None
    return format_code(raw)
