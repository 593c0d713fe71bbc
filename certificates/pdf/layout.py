"""PDF layout: the only module that imports WeasyPrint.

Many documents that differ in a few lines (certificates of one activity) are made
from one *sheet*: the shared page, laid out once with empty slots. Each document's
own lines are laid out by WeasyPrint in bulk, then compose.py (pikepdf) puts each
one's text over a copy of the sheet and joins the two structure trees, so every PDF
is tagged and carries nothing of any other document (docs/decisions/0007).
WeasyPrint's cost is per laid-out box and page, so this is many times faster than
one full layout per document. Transcripts, which differ throughout, are rendered
whole (`render_pdf`).

Every asset comes through `AssetFetcher`, which reads our static and media files
from disk and refuses every other URL, so nothing a learner typed can make the
renderer fetch a URL or read a local file.
"""

import gc
import hashlib
import io
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.utils.html import escape
from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from certificates.pdf.compose import FillLayer, Placement, PreparedSheet

logger = logging.getLogger(__name__)

# A host that can never resolve: templates point at assets relative to it, and the
# fetcher maps it to disk without any network access.
ASSET_ORIGIN = "https://assets.telecampus.invalid/"
STATIC_PREFIX = ASSET_ORIGIN + "static/"
MEDIA_PREFIX = ASSET_ORIGIN + "media/"
GENERATED_PREFIX = ASSET_ORIGIN + "generated/"
# Where a sheet's QR code goes: a blank one-pixel image that holds the place and
# the alt text; each filling swaps in its own QR code.
PLACEHOLDER_IMAGE = GENERATED_PREFIX + "placeholder.png"

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
# Fill layers use tall pages so that dozens of fillings share one page.
FILL_LAYER_PAGE_HEIGHT = "2000mm"


class AssetRefused(ValueError):
    """The renderer asked for something that is not one of our asset files."""


class PageOverflow(ValueError):
    """A certificate did not fit on exactly one page."""


class CompositionFailed(Exception):
    """The compositor could not make this PDF; yielded, not raised, in its place."""

    @classmethod
    def because(cls, error: Exception) -> "CompositionFailed":
        failure = cls(f"{type(error).__name__}: {error}")
        failure.__cause__ = error
        return failure


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
            data = self._read(url)
        except AssetRefused:
            logger.warning("PDF renderer refused to fetch %.200s", url)
            raise
        return URLFetcherResponse(url, data, {"Content-Type": self._content_type(url)})

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


def document_html(
    *, bodies: Iterable[str], title: str, lang: str = "en", author: str = ""
) -> str:
    """Wrap already-escaped body fragments in one HTML document."""
    meta = f'<meta name="author" content="{escape(author)}">' if author else ""
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"{meta}<title>{escape(title)}</title></head>"
        f"<body>{''.join(bodies)}</body></html>"
    )


@dataclass(frozen=True)
class Slot:
    """A rectangle of a sheet, in CSS pixels from the top left of the page."""

    name: str
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Sheet:
    """A one-page tagged PDF with empty slots, laid out once for many fillings.

    `text_slots` are empty blocks (`<div id="slot-NAME">`, the only empty blocks
    of the page) that each filling fills with text, in document order, centred
    vertically (a full layout of the same page should centre them too). The image
    at PLACEHOLDER_IMAGE (with its alt text) becomes each filling's QR code.
    """

    pdf: bytes
    text_slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Filling:
    """What one copy of a sheet adds: escaped HTML per text slot, and a QR code."""

    fields: dict[str, str]
    qr_data: str
    title: str


def _blank_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (1, 1), 1).save(buffer, "PNG")
    return buffer.getvalue()


def _slot(anchors: dict, name: str) -> Slot:
    if f"slot-{name}" not in anchors:
        raise ValueError(f"The sheet has no element with id slot-{name}.")
    left, top, right, bottom = anchors[f"slot-{name}"]
    return Slot(name, left, top, right - left, bottom - top)


def render_sheet(
    *,
    body: str,
    stylesheet: str,
    text_slots: Sequence[str],
    lang: str = "en",
    generated: dict[str, bytes] | None = None,
) -> Sheet:
    """Lay out the parts shared by many documents once, leaving slots empty."""
    css_fetcher = AssetFetcher()
    css = CSS(string=stylesheet, url_fetcher=css_fetcher, base_url=ASSET_ORIGIN)
    generated = {**(generated or {}), "placeholder.png": _blank_png()}
    fetcher = AssetFetcher(generated)
    document = HTML(
        string=document_html(bodies=[body], title="", lang=lang),
        base_url=ASSET_ORIGIN,
        url_fetcher=fetcher,
    ).render(stylesheets=[css], pdf_tags=True)
    if len(document.pages) != 1:
        raise PageOverflow(f"The sheet came out as {len(document.pages)} pages.")
    anchors = document.pages[0].anchors
    return Sheet(
        pdf=document.write_pdf(pdf_tags=True),
        text_slots=tuple(_slot(anchors, name) for name in text_slots),
    )


SHEET_CACHE_SIZE = 16
_sheets: OrderedDict[str, Sheet] = OrderedDict()
_sheets_lock = threading.Lock()


def cached_sheet(
    *,
    body: str,
    stylesheet: str,
    text_slots: Sequence[str],
    lang: str = "en",
    file_versions: Sequence[str] = (),
) -> Sheet:
    """`render_sheet`, remembered: single certificates of one activity, and the
    chunks of a run, lay its sheet out once per process.

    Keyed by a digest of everything laid out (body, stylesheet, slots, language)
    and of `file_versions`, which say what the media files the body names hold
    (the images' own content hashes), so any change to what the sheet prints makes
    a new entry and a hit reads no file. Static files change only with a deploy,
    which starts new processes. At most SHEET_CACHE_SIZE sheets, the least recently used
    dropped first. Shared by threads: a Sheet is immutable, the lock guards the
    dict only, and two threads missing at once both lay out the same sheet."""
    key = hashlib.sha256(
        json.dumps(
            [body, stylesheet, list(text_slots), lang, list(file_versions)]
        ).encode()
    ).hexdigest()
    with _sheets_lock:
        sheet = _sheets.get(key)
        if sheet is not None:
            _sheets.move_to_end(key)
    if sheet is not None:
        return sheet
    sheet = render_sheet(
        body=body, stylesheet=stylesheet, text_slots=text_slots, lang=lang
    )
    with _sheets_lock:
        _sheets[key] = sheet
        _sheets.move_to_end(key)
        while len(_sheets) > SHEET_CACHE_SIZE:
            _sheets.popitem(last=False)
    return sheet


def render_filled_sheets(
    sheet: Sheet,
    fillings: Sequence[Filling],
    *,
    stylesheet: str,
    author: str,
    lang: str = "en",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[bytes | PageOverflow | CompositionFailed]:
    """One tagged one-page PDF per filling, in order: the sheet with the filling's
    text in its slots and its QR code in place of the placeholder image. A filling
    whose text does not fit a slot yields a PageOverflow instead, so one long name
    does not stop the others; one the compositor fails on, for any reason (the
    sheet breaks a designer's rule, a WeasyPrint release writes what compose.py
    does not expect, a pikepdf error), yields a CompositionFailed, for the caller
    to lay that one out whole (`render_pdf(one_page=True)`).

    A chunk of fillings is laid out as one WeasyPrint document of tall pages, a
    band of slots per filling (WeasyPrint's cost is mostly per page and box, so
    dozens of bands share a page), and written once; compose.py then cuts each
    band out and puts it over a copy of the sheet.
    """
    try:
        prepared = PreparedSheet(sheet.pdf, len(sheet.text_slots))
    except Exception as error:  # noqa: BLE001 - any failure: the slow path takes over
        failure = CompositionFailed.because(error)
        yield from (failure for _filling in fillings)
        return
    css = CSS(
        string=stylesheet + _fill_layer_css(sheet),
        url_fetcher=AssetFetcher(),
        base_url=ASSET_ORIGIN,
    )
    for start in range(0, len(fillings), chunk_size):
        chunk = fillings[start : start + chunk_size]
        try:
            placements, layer = _fill_layer(sheet, chunk, css=css, lang=lang)
        except Exception as error:  # noqa: BLE001 - any failure: the slow path
            failure = CompositionFailed.because(error)
            yield from (failure for _filling in chunk)
            continue
        for index, (filling, placement) in enumerate(
            zip(chunk, placements, strict=True)
        ):
            if isinstance(placement, PageOverflow):
                yield placement
                continue
            try:
                composed = prepared.compose(
                    layer,
                    index,
                    qr_data=filling.qr_data,
                    title=filling.title,
                    author=author,
                    lang=lang,
                )
            except Exception as error:  # noqa: BLE001 - any failure: the slow path
                composed = CompositionFailed.because(error)
            yield composed


def _fill_layer(
    sheet: Sheet, chunk: Sequence[Filling], *, css: CSS, lang: str
) -> tuple[list[Placement | PageOverflow], FillLayer]:
    """A chunk's fillings laid out as one document, and where each band landed."""
    document = HTML(
        string=document_html(
            bodies=(_fill_layer_band(sheet, filling) for filling in chunk),
            title="",
            lang=lang,
        ),
        base_url=ASSET_ORIGIN,
        url_fetcher=AssetFetcher(),
    ).render(stylesheets=[css], pdf_tags=True)
    placements = _placements(sheet, document.pages, len(chunk))
    layer = FillLayer(
        document.write_pdf(pdf_tags=True),
        [None if isinstance(p, PageOverflow) else p for p in placements],
    )
    return placements, layer


@contextmanager
def fewer_full_collections():
    """Keep the garbage collector from walking every long-lived object (Django,
    Wagtail, fonts) again and again while bulk rendering makes and drops
    thousands of layout boxes; new objects are still collected as usual. Used
    around a whole issuing call, not inside a generator, so it always ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# Each slot (and the end of each band) is a bookmark, so WeasyPrint reports where
# it landed: its height is where the next one starts. Bookmarks rather than ids,
# because an id gives every element its own style and makes layout twice as slow.
_MARK_PREFIX = "pdf-slot:"
_BAND_END = "pdf-slot-end"


def _fill_layer_css(sheet: Sheet) -> str:
    width = max(slot.left + slot.width for slot in sheet.text_slots)
    rules = [
        f"@page {{ size: {width + 1:.3f}px {FILL_LAYER_PAGE_HEIGHT}; margin: 0; }}",
        ".pdf-fill { break-inside: avoid; margin: 0; padding: 0; }",
        ".pdf-slot { display: flow-root; margin: 0; padding: 0; border: 0; }",
        f'.pdf-fill-end {{ bookmark-level: 1; bookmark-label: "{_BAND_END}"; }}',
    ]
    rules.extend(
        f".pdf-slot--{slot.name} {{ margin-left: {slot.left:.3f}px;"
        f" width: {slot.width:.3f}px; bookmark-level: 1;"
        f' bookmark-label: "{_MARK_PREFIX}{slot.name}"; }}'
        for slot in sheet.text_slots
    )
    return "\n".join(rules)


def _fill_layer_band(sheet: Sheet, filling: Filling) -> str:
    slots = "".join(
        f'<div class="pdf-slot pdf-slot--{slot.name}">{filling.fields[slot.name]}</div>'
        for slot in sheet.text_slots
    )
    return f'<div class="pdf-fill">{slots}<div class="pdf-fill-end"></div></div>'


def _placements(sheet: Sheet, pages, count: int) -> list[Placement | PageOverflow]:
    """Per filling, where its slots landed and how far each must move to reach the
    sheet's slot (text centred vertically), or PageOverflow if one is too tall."""
    placements = []
    marks_per_band = len(sheet.text_slots) + 1
    expected = [_MARK_PREFIX + slot.name for slot in sheet.text_slots] + [_BAND_END]
    for page_index, page in enumerate(pages):
        marks = [
            (label, position)
            for _level, label, position, _state in page.bookmarks
            if label.startswith(_MARK_PREFIX) or label == _BAND_END
        ]
        for start in range(0, len(marks), marks_per_band):
            band = marks[start : start + marks_per_band]
            if [label for label, _position in band] != expected:
                raise ValueError(f"Filling {len(placements) + 1} was split up.")
            placements.append(_placement(sheet, page_index, band))
    if len(placements) != count:
        raise ValueError(f"{count} fillings came out as {len(placements)}.")
    return placements


def _placement(sheet: Sheet, page_index: int, band: list) -> Placement | PageOverflow:
    moves = []
    for slot, (_label, (left, top)), (_next, (_x, bottom)) in zip(
        sheet.text_slots, band, band[1:], strict=False
    ):
        spare = slot.height - (bottom - top)
        if spare < -0.5:
            return PageOverflow(f"The {slot.name} does not fit its space.")
        moves.append((slot.left - left, slot.top - top + max(spare, 0) / 2))
    return Placement(page_index, tuple(moves))


def render_pdf(
    *,
    body: str,
    title: str,
    stylesheet: str,
    lang: str = "en",
    author: str = "",
    generated: dict[str, bytes] | None = None,
    one_page: bool = False,
) -> bytes:
    """Render one HTML body as a tagged PDF: a transcript (any number of pages),
    or with `one_page` a certificate laid out whole (the slow path), which raises
    PageOverflow if it does not fit on one page."""
    css = CSS(string=stylesheet, url_fetcher=AssetFetcher(), base_url=ASSET_ORIGIN)
    document = HTML(
        string=document_html(bodies=[body], title=title, lang=lang, author=author),
        base_url=ASSET_ORIGIN,
        url_fetcher=AssetFetcher(generated),
    ).render(stylesheets=[css], pdf_tags=True)
    if one_page and len(document.pages) != 1:
        raise PageOverflow(f"The certificate came out as {len(document.pages)} pages.")
    return document.write_pdf(pdf_tags=True)
