"""Turn snapshots into PDFs: fills the certificate and transcript templates.

The templates are Django templates (auto-escaped), so a learner's name is always
text; pdf.py does the WeasyPrint work.
"""

from collections.abc import Iterator, Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from certificates import pdf
from certificates.models import CertificateTemplate, PageSize

PAGE_DIMENSIONS = {PageSize.A4: ("297mm", "210mm"), PageSize.LETTER: ("11in", "8.5in")}
LONG_NAME = 48
VERY_LONG_NAME = 110


def verification_url(code: str) -> str:
    return settings.BASE_URL + reverse("certificates:verify", args=[code])


def certificate_stylesheet(template: CertificateTemplate) -> str:
    width, height = PAGE_DIMENSIONS[PageSize(template.page_size)]
    return render_to_string(
        "certificates/pdf/certificate.css",
        {
            "page_size": "A4" if template.page_size == PageSize.A4 else "letter",
            "page_width": width,
            "page_height": height,
            "primary": template.primary_colour,
            "accent": template.accent_colour,
        },
    )


def _image_url(image) -> str:
    return pdf.media_url(image.file.name) if image else ""


def _name_size(name: str) -> str:
    if len(name) > VERY_LONG_NAME:
        return "name--very-long"
    return "name--long" if len(name) > LONG_NAME else ""


def certificate_page(
    *, snapshot: dict, code: str, template: CertificateTemplate
) -> pdf.PDFPage:
    url = verification_url(code)
    qr_name = f"qr-{code}.png"
    body = render_to_string(
        "certificates/pdf/certificate.html",
        {
            "s": snapshot,
            "code": code,
            "verify_url": url,
            "qr_src": pdf.GENERATED_PREFIX + qr_name,
            "name_size": _name_size(snapshot["learner_name"]),
            "logo_url": _image_url(template.logo),
            "signature_url": _image_url(template.signature),
        },
    )
    return pdf.PDFPage(
        body=body,
        title=f"{snapshot['heading']}: {snapshot['activity_title']}",
        generated={qr_name: pdf.qr_png(url)},
    )


def render_certificates(
    items: Sequence[tuple[dict, str]], *, template: CertificateTemplate
) -> Iterator[bytes]:
    """One PDF per (snapshot, code), in order, rendered in batches."""
    pages = [
        certificate_page(snapshot=snapshot, code=code, template=template)
        for snapshot, code in items
    ]
    return pdf.render_one_page_pdfs(
        pages,
        stylesheet=certificate_stylesheet(template),
        author=settings.WAGTAIL_SITE_NAME,
        lang=settings.LANGUAGE_CODE,
        chunk_size=settings.CERTIFICATES_RENDER_CHUNK,
    )


def render_transcript(*, snapshot: dict, code: str) -> bytes:
    url = verification_url(code)
    qr_name = f"qr-{code}.png"
    body = render_to_string(
        "certificates/pdf/transcript.html",
        {
            "s": snapshot,
            "code": code,
            "verify_url": url,
            "qr_src": pdf.GENERATED_PREFIX + qr_name,
        },
    )
    return pdf.render_pdf(
        body=body,
        title=snapshot["title"],
        stylesheet=render_to_string("certificates/pdf/transcript.css"),
        lang=settings.LANGUAGE_CODE,
        generated={qr_name: pdf.qr_png(url)},
    )
