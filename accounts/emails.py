"""The one way to send an email: templates by name, queued in the mail outbox.

An email named "visits/email/booked" is three templates: `booked_subject.txt`
(one line; whitespace and line breaks collapse to single spaces), `booked_body.txt`
and, when it exists, `booked_body.html` (sent as the HTML alternative).

Rendered in the active language: a caller writing to a person in their language
wraps the call, the building of its context included, in translation.override
(links reversed there carry the language's prefix). Times in the context are
formatted by the caller in the recipient's zone (format_time), because only the
caller knows whose zone it is.

`send_email` hands the message to Django's mail API, whose backend
(settings.EMAIL_BACKEND, django-post-office) only stores it in the outbox in the
current transaction; ops.outbox delivers it and retries a failing server. What
goes into the context is the caller's responsibility: no clinical details outside
visits/, and visits' own emails carry only times and links.

Used by cms (alerts, review reminders), meetings (invitations, reminders),
certificates (certificate ready) and visits (notices); re-exported from
accounts.services.
"""

from collections.abc import Iterable
from email.mime.base import MIMEBase
from typing import TypedDict, Unpack

from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string


class Addressing(TypedDict, total=False):
    to: Iterable[str]
    bcc: Iterable[str]
    attachments: Iterable[MIMEBase]  # MIME parts, such as calendar_attachment's


def _optional(template_name: str, context: dict) -> str | None:
    try:
        template = get_template(template_name)
    except TemplateDoesNotExist:
        return None
    return template.render(context)


def render_email(
    name: str, context: dict, **addressing: Unpack[Addressing]
) -> EmailMultiAlternatives:
    """The message for template `name`, ready to send."""
    subject = render_to_string(f"{name}_subject.txt", context)
    body = render_to_string(f"{name}_body.txt", context)
    html = _optional(f"{name}_body.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),
        body,
        to=list(addressing.get("to", ())),
        bcc=list(addressing.get("bcc", ())),
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    for part in addressing.get("attachments", ()):
        message.attach(part)
    return message


def send_email(
    name: str, context: dict, **addressing: Unpack[Addressing]
) -> EmailMultiAlternatives:
    """Render template `name` (see render_email) and queue it in the mail outbox,
    in the caller's transaction; returns the message (its subject, for a push)."""
    message = render_email(name, context, **addressing)
    message.send()
    return message
