"""The one templated-email helper (accounts.emails): templates by name, one outbox."""

from email import message_from_bytes

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation
from post_office.models import Email

from accounts.services import calendar_attachment, render_email, send_email

TEMPLATES = {
    "demo/email/hello_subject.txt": "{% load i18n %}\n  {% translate 'Yes' %},\n"
    "  {{ name }}\n",
    "demo/email/hello_body.txt": "Hello {{ name }}, see {{ url }}",
    "demo/email/hello_body.html": "<p>Hello {{ name }}</p>",
    "demo/email/plain_subject.txt": "Plain",
    "demo/email/plain_body.txt": "Only text.",
}
LOCMEM_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
    }
]
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"

pytestmark = pytest.mark.django_db


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_subject_text_and_html_are_rendered_from_the_templates_by_name():
    with translation.override("es"):
        message = render_email(
            "demo/email/hello",
            {"name": "Ana", "url": "https://example.test/x"},
            to=["ana@example.test"],
            attachments=[
                calendar_attachment(filename="a.ics", ical=ICS, method="REQUEST")
            ],
        )
    # One line, in the active language; the blank lines around it are gone.
    assert message.subject == "Sí, Ana"
    assert message.body == "Hello Ana, see https://example.test/x"
    assert message.alternatives[0][1] == "text/html"
    assert "<p>Hello Ana</p>" in message.alternatives[0][0]
    assert message.to == ["ana@example.test"]
    parsed = message_from_bytes(message.message().as_bytes())
    types = [part.get_content_type() for part in parsed.walk()]
    assert "text/calendar" in types and "text/html" in types
    assert mail.outbox == []  # rendering alone sends nothing


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_without_an_html_template_the_email_is_text_only():
    send_email("demo/email/plain", {}, bcc=["b@example.test", "a@example.test"])
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.alternatives) == ("Plain", "Only text.", [])
    assert sent.to == [] and sent.bcc == ["b@example.test", "a@example.test"]


@override_settings(TEMPLATES=LOCMEM_TEMPLATES, EMAIL_BACKEND="post_office.EmailBackend")
def test_send_email_queues_the_message_in_the_post_office_outbox():
    send_email("demo/email/hello", {"name": "Bo", "url": "u"}, to=["bo@example.test"])
    assert mail.outbox == []
    email = Email.objects.get()
    assert email.to == ["bo@example.test"]
    assert email.subject == "Yes, Bo"
    assert "<p>Hello Bo</p>" in email.html_message
