"""Turn snapshots into PDFs: fills the certificate and transcript templates.

The templates are Django templates (auto-escaped), so a learner's name is always
text; layout.py does the WeasyPrint work and compose.py the pikepdf work.
"""

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from certificates.models import CertificateTemplate, PageSize
from certificates.pdf import layout
from certificates.snapshots import CertificateSnapshot
from certificates.verification import verification_url

logger = logging.getLogger(__name__)

PAGE_DIMENSIONS = {PageSize.A4: ("297mm", "210mm"), PageSize.LETTER: ("11in", "8.5in")}
# Type sizes step down with the name's length so that even the widest letters
# (200 W's) fit the name slot's two to four lines (tests/certificates).
LONG_NAME = 48
LONGER_NAME = 80
VERY_LONG_NAME = 110
TEXT_SLOTS = ("name", "credits", "code")


@dataclass(frozen=True)
class RenderedCertificate:
    """One certificate's PDF. `composition_failure` says why the compositor could
    not make it, when it was laid out whole instead (the slow path)."""

    data: bytes
    composition_failure: str = ""


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
    return layout.media_url(image.file.name) if image else ""


def _name_size(name: str) -> str:
    if len(name) > VERY_LONG_NAME:
        return "name--very-long"
    if len(name) > LONGER_NAME:
        return "name--longer"
    return "name--long" if len(name) > LONG_NAME else ""


def certificate_fields(*, snapshot: CertificateSnapshot, code: str) -> dict[str, str]:
    """The learner's own lines, one HTML fragment per slot of the certificate:
    the snapshot's FILLED fields (certificates.snapshots), and the code."""
    name = snapshot.learner_name
    credits = _("%(amount)s %(label)s claimed on %(date)s") % {
        "amount": snapshot.credit_amount,
        "label": snapshot.credit_type_label,
        "date": snapshot.credit_date_display,
    }
    return {
        "name": format_html(
            '<p class="certificate__name {}"><bdi>{}</bdi></p>', _name_size(name), name
        ),
        "credits": format_html('<p class="certificate__credits">{}</p>', credits),
        "code": format_html(
            '<p class="certificate__code">{}</p>', _("Code %(code)s") % {"code": code}
        ),
    }


def _certificate_body(
    *, snapshot, template: CertificateTemplate, fields: dict, qr_src: str
) -> str:
    return render_to_string(
        "certificates/pdf/certificate.html",
        {
            "s": snapshot,
            "fields": fields,
            "qr_src": qr_src,
            "verify_index_url": settings.BASE_URL
            + reverse("certificates:verify_index"),
            "logo_url": _image_url(template.logo),
            "signature_url": _image_url(template.signature),
        },
    )


def full_certificate(
    *, snapshot: CertificateSnapshot, code: str, template: CertificateTemplate
) -> tuple[str, dict[str, bytes]]:
    """The whole certificate as one HTML body and its QR image, for a renderer
    that lays out everything each time: the slow path when composition fails,
    the benchmark's baseline, and the test that the composed PDF says the same."""
    qr_name = f"qr-{code}.png"
    body = _certificate_body(
        snapshot=snapshot,
        template=template,
        fields=certificate_fields(snapshot=snapshot, code=code),
        qr_src=layout.GENERATED_PREFIX + qr_name,
    )
    return body, {qr_name: layout.qr_png(verification_url(code))}


def sheet_order(snapshot: CertificateSnapshot) -> tuple:
    """A sort key that puts certificates sharing a sheet next to each other."""
    return tuple(sorted(snapshot.shared().items()))


def sheet_body(*, snapshot: CertificateSnapshot, template: CertificateTemplate) -> str:
    """The sheet's HTML: the certificate with the snapshot's shared fields only,
    its slots empty and a placeholder where the QR code goes."""
    return _certificate_body(
        snapshot=snapshot.shared(),
        template=template,
        fields={},
        qr_src=layout.PLACEHOLDER_IMAGE,
    )


def certificate_sheet(
    *, snapshot: CertificateSnapshot, template: CertificateTemplate
) -> layout.Sheet:
    """Everything the certificates of one activity and credit type share. Laid
    out without the learner's fields, so none of them can reach other learners;
    the layout is cached by its content (layout.cached_sheet), so single
    certificates of one activity lay it out once."""
    return layout.cached_sheet(
        body=sheet_body(snapshot=snapshot, template=template),
        stylesheet=certificate_stylesheet(template),
        text_slots=TEXT_SLOTS,
        lang=settings.LANGUAGE_CODE,
        file_versions=[
            image.get_file_hash()
            for image in (template.logo, template.signature)
            if image is not None
        ],
    )


def _title(snapshot: CertificateSnapshot) -> str:
    return f"{snapshot.heading}: {snapshot.activity_title}"


def _rendered_whole(
    *,
    snapshot: CertificateSnapshot,
    code: str,
    template: CertificateTemplate,
    stylesheet: str,
    failure: layout.CompositionFailed,
) -> RenderedCertificate | layout.PageOverflow:
    """The slow path: the whole certificate laid out by WeasyPrint at once."""
    body, generated = full_certificate(snapshot=snapshot, code=code, template=template)
    try:
        data = layout.render_pdf(
            body=body,
            title=_title(snapshot),
            author=settings.WAGTAIL_SITE_NAME,
            stylesheet=stylesheet,
            lang=settings.LANGUAGE_CODE,
            generated=generated,
            one_page=True,
        )
    except layout.PageOverflow as overflow:
        return overflow
    # The one log line per certificate, with the compositor's traceback.
    logger.error("Certificate %s was laid out whole", code, exc_info=failure.__cause__)
    return RenderedCertificate(data, composition_failure=str(failure))


def render_certificates(
    items: Sequence[tuple[CertificateSnapshot, str]], *, template: CertificateTemplate
) -> Iterator[RenderedCertificate | layout.PageOverflow]:
    """One PDF per (snapshot, code), in order, or a PageOverflow for a certificate
    whose lines do not fit (a name too long even in the smallest type).

    Consecutive items that share everything but the learner's own lines share one
    sheet, so callers sort by `sheet_order` to lay each sheet out only once. A
    certificate the compositor fails on, for whatever reason, is laid out whole
    instead and says so (docs/decisions/0026), so issuing never stops on it.
    """
    stylesheet = certificate_stylesheet(template)
    for _key, group in groupby(items, key=lambda item: sheet_order(item[0])):
        group = list(group)
        try:
            sheet = certificate_sheet(snapshot=group[0][0], template=template)
        except layout.PageOverflow as overflow:
            # What the activity prints does not fit one page: no certificate of
            # this group can be issued, and the others go on.
            yield from (overflow for _item in group)
            continue
        composed = layout.render_filled_sheets(
            sheet,
            [
                layout.Filling(
                    fields=certificate_fields(snapshot=snapshot, code=code),
                    qr_data=verification_url(code),
                    title=_title(snapshot),
                )
                for snapshot, code in group
            ],
            stylesheet=stylesheet,
            author=settings.WAGTAIL_SITE_NAME,
            lang=settings.LANGUAGE_CODE,
            chunk_size=settings.CERTIFICATES_RENDER_CHUNK,
        )
        for (snapshot, code), result in zip(group, composed, strict=True):
            if isinstance(result, layout.CompositionFailed):
                yield _rendered_whole(
                    snapshot=snapshot,
                    code=code,
                    template=template,
                    stylesheet=stylesheet,
                    failure=result,
                )
            elif isinstance(result, layout.PageOverflow):
                yield result
            else:
                yield RenderedCertificate(result)


def render_transcript(*, snapshot: dict, code: str) -> bytes:
    url = verification_url(code)
    qr_name = f"qr-{code}.png"
    body = render_to_string(
        "certificates/pdf/transcript.html",
        {
            "s": snapshot,
            "code": code,
            "verify_url": url,
            "qr_src": layout.GENERATED_PREFIX + qr_name,
        },
    )
    return layout.render_pdf(
        body=body,
        title=snapshot["title"],
        stylesheet=render_to_string("certificates/pdf/transcript.css"),
        lang=settings.LANGUAGE_CODE,
        generated={qr_name: layout.qr_png(url)},
    )
