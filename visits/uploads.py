"""Checks every uploaded file by its content, never by its name or claimed type.

- Readings files: UTF-8 text that parses as JSON or CSV.
- Documents: PNG or JPEG images (re-encoded with Pillow, so metadata such as
  EXIF location is dropped) or PDF. SVG, HTML and anything else is refused.
Called by services.monitoring and services.referrals.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.services import Refusal


class UploadRefused(Refusal, ValueError):
    code = "upload_refused"


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str


def read_capped(upload) -> bytes:
    limit = settings.VISITS_UPLOAD_MAX_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(
            _("The file is too large. The largest accepted size is %(kb)d KB.")
            % {"kb": limit // 1024}
        )
    if not data:
        raise UploadRefused(_("The file is empty."))
    return data


def _looks_like_markup(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<", b"\xef\xbb\xbf<")) or b"<svg" in head


def clean_document(upload) -> CleanFile:
    data = read_capped(upload)
    if _looks_like_markup(data):
        raise UploadRefused(
            _("SVG and HTML files are not accepted. Please upload a PNG, JPEG or PDF.")
        )
    if data.startswith(b"%PDF-"):
        return CleanFile(data, "application/pdf")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in {"PNG", "JPEG"}:
                raise UploadRefused(_("Please upload a PNG, JPEG or PDF file."))
            # A few kilobytes of PNG can claim billions of pixels; Pillow only warns
            # below twice its own limit, so check the size before decoding.
            if image.width * image.height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
                raise UploadRefused(
                    _(
                        "This image is too large (%(width)d x %(height)d pixels). "
                        "Please upload a smaller photo or a PDF."
                    )
                    % {"width": image.width, "height": image.height}
                )
            image.load()
            image_format = image.format
            # A fresh image from the pixels alone leaves EXIF, GPS and comments behind.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P":
                clean.putpalette(image.getpalette())
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise UploadRefused(
            _("This file is not a PNG, JPEG or PDF we can read. Please try another.")
        ) from None
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.convert("RGB").save(out, "JPEG", quality=90)
        return CleanFile(out.getvalue(), "image/jpeg")
    clean.save(out, "PNG")
    return CleanFile(out.getvalue(), "image/png")


def read_text(upload) -> str:
    data = read_capped(upload)
    if _looks_like_markup(data):
        raise UploadRefused(
            _("This looks like a web page. Please upload a CSV or JSON readings file.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRefused(
            _("The readings file must be CSV or JSON text (UTF-8).")
        ) from None
