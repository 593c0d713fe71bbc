"""PDF rendering: the only module that imports WeasyPrint.

Certificates are rendered in batches: many certificates become one WeasyPrint
document (fonts, stylesheets and images are loaded and laid out once), and each page
is then written out as its own PDF. Every asset comes through `AssetFetcher`, which
reads our static and media files from disk and refuses every other URL, so nothing a
learner typed can make the renderer fetch a URL or read a local file.
"""

import io
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.utils.html import escape
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# A host that can never resolve: templates point at assets relative to it, and the
# fetcher maps it to disk without any network access.
ASSET_ORIGIN = "https://assets.telecampus.invalid/"
STATIC_PREFIX = ASSET_ORIGIN + "static/"
MEDIA_PREFIX = ASSET_ORIGIN + "media/"
GENERATED_PREFIX = ASSET_ORIGIN + "generated/"

CONTENT_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}

DEFAULT_CHUNK_SIZE = 100
# Each batched page starts a new sheet, so "as many pages as certificates" proves
# that page n is certificate n.
PAGE_BREAKS = ".pdf-page + .pdf-page { break-before: page; }"


class AssetRefused(ValueError):
    """The renderer asked for something that is not one of our asset files."""


class PageOverflow(ValueError):
    """A certificate did not fit on exactly one page."""


def _safe_relative(path: str) -> str:
    parts = PurePosixPath(path).parts
    if not parts or any(part in ("..", "") or "\\" in part for part in parts):
        raise AssetRefused(path)
    if PurePosixPath(path).is_absolute():
        raise AssetRefused(path)
    return "/".join(parts)


class AssetFetcher(URLFetcher):
    """Serve static files, media files and images generated for this render only.

    Everything else (http, https elsewhere, file:, data:, ftp:) raises AssetRefused,
    which WeasyPrint turns into a missing resource, and is logged.
    """

    def __init__(self, generated: dict[str, bytes] | None = None):
        super().__init__(allowed_protocols=["https"], allow_redirects=False)
        self.generated = generated if generated is not None else {}

    def fetch(self, url, headers=None):
        try:
            return URLFetcherResponse(
                url, self._read(url), {"Content-Type": self._content_type(url)}
            )
        except AssetRefused:
            logger.warning("PDF renderer refused to fetch %.200s", url)
            raise

    @staticmethod
    def _content_type(url: str) -> str:
        return CONTENT_TYPES.get(PurePosixPath(url).suffix.lower(), "image/png")

    def _read(self, url: str) -> bytes:
        if "?" in url or "#" in url:
            raise AssetRefused(url)
        if url.startswith(GENERATED_PREFIX):
            name = url.removeprefix(GENERATED_PREFIX)
            if name not in self.generated:
                raise AssetRefused(url)
            return self.generated[name]
        if url.startswith(STATIC_PREFIX):
            return _read_static(_safe_relative(url.removeprefix(STATIC_PREFIX)))
        if url.startswith(MEDIA_PREFIX):
            name = _safe_relative(url.removeprefix(MEDIA_PREFIX))
            if not default_storage.exists(name):
                raise AssetRefused(url)
            with default_storage.open(name, "rb") as handle:
                return handle.read()
        raise AssetRefused(url)


def _read_static(relative: str) -> bytes:
    found = finders.find(relative)
    roots = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    candidate = Path(found) if found else None
    if candidate is None:
        for root in roots:
            if (root / relative).is_file():
                candidate = root / relative
    if candidate is None or not candidate.is_file():
        raise AssetRefused(relative)
    return candidate.read_bytes()


def static_url(relative: str) -> str:
    """The URL a PDF template uses for a static file."""
    return STATIC_PREFIX + relative


def media_url(name: str) -> str:
    """The URL a PDF template uses for a file in default storage (e.g. a logo)."""
    return MEDIA_PREFIX + name


def qr_png(data: str) -> bytes:
    """A QR code as a PNG, one pixel per module: the PDF scales it up sharply.

    A fixed mask skips segno's mask search, which costs more than laying out the
    certificate; any mask gives a valid, equally readable code.
    """
    buffer = io.BytesIO()
    segno.make(data, error="m", mask=0, boost_error=False).save(
        buffer, kind="png", scale=1, border=4
    )
    return buffer.getvalue()


@dataclass(frozen=True)
class PDFPage:
    """One certificate: its HTML body fragment, metadata and generated images."""

    body: str
    title: str
    generated: dict[str, bytes]


def document_html(*, bodies: Iterable[str], title: str, lang: str = "en") -> str:
    """Wrap already-escaped body fragments in one HTML document."""
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>{''.join(bodies)}</body></html>"
    )


def render_one_page_pdfs(
    pages: Sequence[PDFPage],
    *,
    stylesheet: str,
    author: str,
    lang: str = "en",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[bytes]:
    """Render each page as its own one-page, tagged PDF, `chunk_size` per layout.

    Bodies come from Django templates (auto-escaped); titles are plain text.
    Raises PageOverflow when a chunk does not come out as one page per certificate.
    """
    css = CSS(
        string=stylesheet + PAGE_BREAKS,
        url_fetcher=AssetFetcher(),
        base_url=ASSET_ORIGIN,
    )
    for start in range(0, len(pages), chunk_size):
        chunk = pages[start : start + chunk_size]
        generated: dict[str, bytes] = {}
        for page in chunk:
            generated.update(page.generated)
        document = HTML(
            string=document_html(
                bodies=(f'<div class="pdf-page">{page.body}</div>' for page in chunk),
                title="",
                lang=lang,
            ),
            base_url=ASSET_ORIGIN,
            url_fetcher=AssetFetcher(generated),
        ).render(stylesheets=[css], pdf_tags=True)
        if len(document.pages) != len(chunk):
            raise PageOverflow(
                f"{len(chunk)} certificates came out as {len(document.pages)} pages."
            )
        for page, laid_out in zip(chunk, document.pages, strict=True):
            single = document.copy(pages=[laid_out])
            single.metadata.title = page.title
            single.metadata.authors = [author]
            yield single.write_pdf(pdf_tags=True)


def render_pdf(
    *,
    body: str,
    title: str,
    stylesheet: str,
    lang: str = "en",
    generated: dict[str, bytes] | None = None,
) -> bytes:
    """Render one HTML body (any number of pages) as a tagged PDF: transcripts."""
    css = CSS(string=stylesheet, url_fetcher=AssetFetcher(), base_url=ASSET_ORIGIN)
    document = HTML(
        string=document_html(bodies=[body], title=title, lang=lang),
        base_url=ASSET_ORIGIN,
        url_fetcher=AssetFetcher(generated),
    ).render(stylesheets=[css], pdf_tags=True)
    return document.write_pdf(pdf_tags=True)
