"""The client's address, the same way everywhere that throttles by address.

Behind the TLS proxy every request's REMOTE_ADDR is the proxy's own, so throttling by
it would put every visitor in one bucket. allauth (sign-in) reads the address from
X-Forwarded-For with ALLAUTH_TRUSTED_PROXY_COUNT; django-ratelimit (certificate
verification) calls client_ip through RATELIMIT_IP_META_KEY, which does the same.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    trusted = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.headers.get("x-forwarded-for", "")
    if trusted and forwarded:
        # Each proxy appends the address it saw: the client's is `trusted` from
        # the end (anything before it was written by the client and is not trusted).
        entries = [entry.strip() for entry in forwarded.split(",")]
        if len(entries) >= trusted:
            candidate = entries[-trusted]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR", "")
