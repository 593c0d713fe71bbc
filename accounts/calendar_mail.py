"""Calendar files attached to email, shaped so mail clients offer them as events.

Used by meetings (invitations, cancellations) and visits (booking notices). A plain
(filename, data, mimetype) attachment loses its content type in the mail outbox
(django-post-office stores such attachments without one), and a calendar part
without `method=` is shown as a file, not as a meeting request. A MIME part keeps
its own headers through the outbox, so the part is built here, once.
"""

from email.mime.text import MIMEText


def calendar_attachment(*, filename: str, ical: bytes | str, method: str) -> MIMEText:
    """A text/calendar part whose `method` matches the file's METHOD (RFC 6047)."""
    text = ical.decode("utf-8") if isinstance(ical, bytes) else ical
    part = MIMEText(text, "calendar", "utf-8")
    part.replace_header(
        "Content-Type", f'text/calendar; charset="utf-8"; method={method}'
    )
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
