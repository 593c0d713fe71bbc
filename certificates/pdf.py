"""PDF rendering: the only module that imports WeasyPrint (and pikepdf).

Many documents that differ in a few lines (certificates of one activity) are made
from one *sheet*: the shared page, laid out once with empty slots. Each document's
own lines are laid out by WeasyPrint in bulk, then pikepdf puts each one's text over
a copy of the sheet and joins the two structure trees, so every PDF is tagged and
carries nothing of any other document (see docs/decisions/0007). WeasyPrint's cost
is per laid-out box and page, so this is many times faster than one full layout per
document. Transcripts, which differ throughout, are rendered whole (`render_pdf`).

Every asset comes through `AssetFetcher`, which reads our static and media files
from disk and refuses every other URL, so nothing a learner typed can make the
renderer fetch a URL or read a local file.
"""

import gc
import io
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pikepdf
import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.utils.html import escape
from pikepdf import Name
from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

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
POINTS_PER_PX = 0.75
# Fill layers use tall pages so that dozens of fillings share one page.
FILL_LAYER_PAGE_HEIGHT = "2000mm"


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


def document_html(*, bodies: Iterable[str], title: str, lang: str = "en") -> str:
    """Wrap already-escaped body fragments in one HTML document."""
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>{''.join(bodies)}</body></html>"
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
    css = CSS(string=stylesheet, url_fetcher=AssetFetcher(), base_url=ASSET_ORIGIN)
    generated = {**(generated or {}), "placeholder.png": _blank_png()}
    document = HTML(
        string=document_html(bodies=[body], title="", lang=lang),
        base_url=ASSET_ORIGIN,
        url_fetcher=AssetFetcher(generated),
    ).render(stylesheets=[css], pdf_tags=True)
    if len(document.pages) != 1:
        raise PageOverflow(f"The sheet came out as {len(document.pages)} pages.")
    anchors = document.pages[0].anchors
    return Sheet(
        pdf=document.write_pdf(pdf_tags=True),
        text_slots=tuple(_slot(anchors, name) for name in text_slots),
    )


def render_filled_sheets(
    sheet: Sheet,
    fillings: Sequence[Filling],
    *,
    stylesheet: str,
    author: str,
    lang: str = "en",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[bytes]:
    """One tagged one-page PDF per filling: the sheet with the filling on top.

    A chunk of fillings is laid out as one WeasyPrint document of tall pages, each
    filling a band holding its slots' text (WeasyPrint's cost is mostly per page,
    so dozens of bands share a page), and written once. pikepdf then cuts each
    band's marked text out of its page, moves it to the slots' places on a copy of
    the sheet and grafts its structure elements into the sheet's empty slots, so
    every PDF is tagged in reading order and holds no other learner's text.
    Raises PageOverflow when a filling's text does not fit its slot.
    """
    background = _Background(sheet)
    css = CSS(
        string=stylesheet + _fill_layer_css(sheet),
        url_fetcher=AssetFetcher(),
        base_url=ASSET_ORIGIN,
    )
    with _fewer_full_collections():
        for start in range(0, len(fillings), chunk_size):
            chunk = fillings[start : start + chunk_size]
            document = HTML(
                string=document_html(
                    bodies=(_fill_layer_band(sheet, filling) for filling in chunk),
                    title="",
                    lang=lang,
                ),
                base_url=ASSET_ORIGIN,
                url_fetcher=AssetFetcher(),
            ).render(stylesheets=[css], pdf_tags=True)
            layer = _FillLayer(
                document.write_pdf(pdf_tags=True),
                _placements(sheet, document.pages, len(chunk)),
            )
            for number, filling in enumerate(chunk):
                yield background.compose(layer, number, filling, author, lang)


@contextmanager
def _fewer_full_collections():
    """Keep the garbage collector from walking every long-lived object (Django,
    Wagtail, fonts) again and again while thousands of short-lived layout boxes
    come and go; new objects are still collected as usual."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


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


# Each slot (and the end of each band) is a bookmark, so WeasyPrint reports where
# it landed: its height is where the next one starts. Bookmarks rather than ids,
# because an id gives every element its own style and makes layout twice as slow.
_MARK_PREFIX = "pdf-slot:"
_BAND_END = "pdf-slot-end"


def _fill_layer_band(sheet: Sheet, filling: Filling) -> str:
    slots = "".join(
        f'<div class="pdf-slot pdf-slot--{slot.name}">{filling.fields[slot.name]}</div>'
        for slot in sheet.text_slots
    )
    return f'<div class="pdf-fill">{slots}<div class="pdf-fill-end"></div></div>'


@dataclass(frozen=True)
class _Placement:
    """Where a filling's band landed: its page, and per slot the move (in CSS
    pixels) that takes the slot's text to the slot's place on the sheet."""

    page_index: int
    moves: tuple[tuple[float, float], ...]


def _placements(sheet: Sheet, pages, count: int) -> list[_Placement]:
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
                raise PageOverflow(f"Document {len(placements) + 1} was split up.")
            moves = []
            for slot, (_label, (left, top)), (_next, (_x, bottom)) in zip(
                sheet.text_slots, band, band[1:], strict=False
            ):
                spare = slot.height - (bottom - top)
                if spare < -0.5:
                    raise PageOverflow(
                        f"The {slot.name} of document {len(placements) + 1} "
                        "does not fit its space."
                    )
                # Text sits in the middle of its slot, as the sheet's CSS says.
                moves.append((slot.left - left, slot.top - top + max(spare, 0) / 2))
            placements.append(_Placement(page_index, tuple(moves)))
    if len(placements) != count:
        raise PageOverflow(f"{count} documents came out as {len(placements)}.")
    return placements


def _placeholder_image(form: pikepdf.Stream) -> pikepdf.Name:
    names = [
        name
        for name, image in form.Resources.get("/XObject", {}).items()
        if image.get("/Subtype") == "/Image" and image.Width == image.Height == 1
    ]
    if len(names) != 1:
        raise ValueError("The sheet needs exactly one placeholder image.")
    return names[0]


def _struct_elements(element) -> Iterator[pikepdf.Dictionary]:
    """Depth-first, in reading order: the element and its structure descendants."""
    yield element
    for kid in element.get("/K", []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield from _struct_elements(kid)


@dataclass(frozen=True)
class _MarkedText:
    """One marked-content sequence of the fill layer (a line of text), and the
    page resources it names, as (kind, name) pairs such as ("/Font", "/F1")."""

    tag: bytes
    body: bytes
    resources: frozenset


# What text may name on its page: fonts, graphics states and images (a colour emoji
# can be one). Anything else in the fill layer means it is not what we think.
_RESOURCE_OPERATORS = {"Tf": "/Font", "gs": "/ExtGState", "Do": "/XObject"}
_FOREIGN_OPERATORS = {"sh", "BI", "INLINE IMAGE", "cs", "CS", "scn", "SCN"}


def _marked_texts(page: pikepdf.Page) -> dict[int, _MarkedText]:
    texts, current, depth = {}, None, 0
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if current is None:
            if name == "BDC" and "/MCID" in operands[1]:
                current, depth = (operands[0], int(operands[1].MCID), [], set()), 0
            elif name not in ("q", "Q", "cm"):
                raise ValueError(f"The fill layer draws {name} outside its text.")
            continue
        tag, mcid, body, resources = current
        if name in ("BDC", "BMC"):
            depth += 1
        elif name == "EMC":
            if depth == 0:
                texts[mcid] = _MarkedText(
                    tag=bytes(tag),
                    body=pikepdf.unparse_content_stream(body),
                    resources=frozenset(resources),
                )
                current = None
                continue
            depth -= 1
        elif name in _RESOURCE_OPERATORS:
            resources.add((_RESOURCE_OPERATORS[name], str(operands[0])))
        elif name in _FOREIGN_OPERATORS:
            raise ValueError(f"The fill layer draws {name} inside its text.")
        body.append(pikepdf.ContentStreamInstruction(operands, operator))
    return texts


def _mcids(kids: pikepdf.Array) -> list[int]:
    return [
        int(kid)
        for element in kids
        for inner in _struct_elements(element)
        for kid in inner.K
        if isinstance(kid, int)
    ]


class _FillLayer:
    """A chunk of fillings written once by WeasyPrint, ready to be cut apart.

    Its structure is Document > Div (one band per filling) > Div (slot) > the
    slot's elements. Those elements lose their parent link and page here, so that
    copying them into an output copies their own subtree and nothing else.
    """

    def __init__(self, data: bytes, placements: list[_Placement]):
        self.source = pikepdf.open(io.BytesIO(data))
        self.placements = placements
        self.texts = [_marked_texts(page) for page in self.source.pages]
        self.resources = [page.obj.Resources for page in self.source.pages]
        for resources in self.resources:
            # Only indirect objects can be copied into another PDF on their own.
            for kind in _RESOURCE_OPERATORS.values():
                for name, value in resources.get(kind, {}).items():
                    if not value.is_indirect:
                        resources[kind][name] = self.source.make_indirect(value)
        bands = list(self.source.Root.StructTreeRoot.K[0].K)
        self.slots = []
        for band, placement in zip(bands, placements, strict=True):
            slots = []
            # The band's last block only marks where it ends.
            for slot in list(band.K)[: len(placement.moves)]:
                for element in _struct_elements(slot):
                    if "/Pg" in element:
                        del element["/Pg"]
                kids = self.source.make_indirect(pikepdf.Array(slot.K))
                for kid in kids:
                    del kid["/P"]
                slots.append((kids, _mcids(kids)))
            self.slots.append(slots)

    def copy_into(self, out: pikepdf.Pdf, number: int):
        """The filling's drawing (CSS pixels, y down, MCIDs from 0), the resources
        it uses, its structure elements per slot and the MCID-to-element array."""
        placement = self.placements[number]
        texts = self.texts[placement.page_index]
        renumbered, parts, used = {}, [], set()
        for (dx, dy), (_kids, mcids) in zip(
            placement.moves, self.slots[number], strict=True
        ):
            parts.append(b"q 1 0 0 1 %.3f %.3f cm\n" % (dx, dy))
            for mcid in mcids:
                text = texts[mcid]
                renumbered[mcid] = len(renumbered)
                parts.append(
                    b"%s <</MCID %d>> BDC\n%s\nEMC\n"
                    % (text.tag, renumbered[mcid], text.body)
                )
                used |= text.resources
            parts.append(b"Q\n")
        source = self.resources[placement.page_index]
        resources = pikepdf.Dictionary()
        for kind, name in used:
            if kind not in resources:
                resources[kind] = pikepdf.Dictionary()
            resources[kind][name] = out.copy_foreign(source[kind][name])
        owners = [None] * len(renumbered)
        slot_kids = []
        for kids, _mcids_of_slot in self.slots[number]:
            copied = out.copy_foreign(kids)
            for element in copied:
                for inner in _struct_elements(element):
                    new_kids = pikepdf.Array()
                    for kid in inner.K:
                        if isinstance(kid, int):
                            kid = renumbered[int(kid)]
                            owners[kid] = inner
                        new_kids.append(kid)
                    inner.K = new_kids
            slot_kids.append(copied)
        return b"".join(parts), resources, slot_kids, pikepdf.Array(owners)


class _Background:
    """The sheet as a form XObject whose structure tree every copy reuses.

    Each output copies one prepared bundle (the sheet's structure elements, its
    MCID map and the form with its fonts and images) in a single qpdf call. The
    sheet's marked content lives in the form, so its elements point at it with
    marked-content references (/MCR with /Stm), and no element names a page: the
    Document element carries each output's page and the others inherit it.
    """

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.source = pikepdf.open(io.BytesIO(sheet.pdf))
        page = self.source.pages[0]
        self.mediabox = [float(value) for value in page.mediabox]
        form = self.source.make_indirect(page.as_form_xobject())
        form.StructParents = 1
        self.qr_name = _placeholder_image(form)
        del form.Resources.XObject[self.qr_name]
        root = self.source.Root.StructTreeRoot
        document = root.K[0]
        del document["/P"]
        placeholders = []
        for element in _struct_elements(document):
            if "/Pg" in element:
                del element["/Pg"]
            kids = pikepdf.Array()
            for kid in element.K:
                if isinstance(kid, int):
                    kid = pikepdf.Dictionary(Type=Name.MCR, MCID=kid, Stm=form)
                kids.append(kid)
            element.K = kids
            if element.S == "/Div" and len(kids) == 0:
                placeholders.append(element)
        if len(placeholders) != len(sheet.text_slots):
            raise ValueError(
                f"The sheet has {len(placeholders)} empty blocks for "
                f"{len(sheet.text_slots)} text slots."
            )
        self.bundle = self.source.make_indirect(
            pikepdf.Dictionary(
                Document=document,
                ParentArray=root.ParentTree.Nums[1],
                Form=form,
                Placeholders=pikepdf.Array(placeholders),
            )
        )

    def compose(
        self, layer: _FillLayer, number: int, filling: Filling, author: str, lang: str
    ) -> bytes:
        out = pikepdf.new()
        bundle = out.copy_foreign(self.bundle)
        drawing, resources, slot_kids, owners = layer.copy_into(out, number)
        bundle.Form.Resources.XObject[self.qr_name] = _qr_image(out, filling.qr_data)
        if "/XObject" not in resources:
            resources.XObject = pikepdf.Dictionary()
        resources.XObject.Sheet = bundle.Form
        page_height = self.mediabox[3] - self.mediabox[1]
        page = out.add_blank_page()
        page.obj.MediaBox = pikepdf.Array(self.mediabox)
        page.obj.Resources = resources
        page.obj.StructParents = 0
        # The filling was drawn by WeasyPrint in CSS pixels from the top left.
        page.obj.Contents = out.make_stream(
            b"q /Sheet Do Q\n"
            b"q 1 0 0 -1 0 %.6f cm %.2f 0 0 %.2f 0 0 cm\n%sQ\n"
            % (page_height, POINTS_PER_PX, POINTS_PER_PX, drawing)
        )
        for placeholder, kids in zip(bundle.Placeholders, slot_kids, strict=True):
            for kid in kids:
                kid.P = placeholder
            placeholder.K = pikepdf.Array(list(kids))
        document = bundle.Document
        out.Root.StructTreeRoot = out.make_indirect(
            pikepdf.Dictionary(
                Type=Name.StructTreeRoot,
                K=pikepdf.Array([document]),
                ParentTree=pikepdf.Dictionary(
                    Nums=pikepdf.Array([0, owners, 1, bundle.ParentArray])
                ),
                ParentTreeNextKey=2,
            )
        )
        document.P = out.Root.StructTreeRoot
        document.Pg = page.obj
        out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        out.Root.Lang = pikepdf.String(lang)
        out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        out.docinfo.Title = filling.title
        out.docinfo.Author = author
        buffer = io.BytesIO()
        # Object streams make the file about a fifth smaller and quicker to write.
        out.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()


_QR_SHADES = bytes.maketrans(b"\x00\x01", b"\xff\x00")


def _qr_image(out: pikepdf.Pdf, data: str) -> pikepdf.Stream:
    """A QR code as a greyscale image with a four-module quiet zone, one sample
    per module; the PDF scales it up without smoothing."""
    matrix = segno.make(data, error="m", mask=0, boost_error=False).matrix
    size = len(matrix) + 8
    quiet_row = b"\xff" * size
    rows = [quiet_row] * 4
    rows.extend(
        b"\xff" * 4 + bytes(row).translate(_QR_SHADES) + b"\xff" * 4 for row in matrix
    )
    rows.extend([quiet_row] * 4)
    return pikepdf.Stream(
        out,
        b"".join(rows),
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=size,
        Height=size,
        ColorSpace=Name.DeviceGray,
        BitsPerComponent=8,
        Interpolate=False,
    )


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
