"""Reading PDFs back with independent parsers: pypdf for text and structure,
pypdfium2 to rasterise and zxing-cpp to decode QR codes."""

import ctypes
import io
import re

import pypdfium2
import pypdfium2.raw as pypdfium2_raw
import zxingcpp
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_text_pdfium(data: bytes) -> str:
    """A second reader: pypdf mis-decodes the whole font's ToUnicode map once it
    maps a glyph to a character beyond U+FFFF (emoji); PDFium reads it correctly."""
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def raster(data: bytes, scale: float = 1.5):
    """The first page as a PIL image, drawn by PDFium."""
    document = pypdfium2.PdfDocument(data)
    try:
        return document[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()


def qr_codes(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    try:
        texts = []
        for page in document:
            image = page.render(scale=3).to_pil()
            texts.extend(result.text for result in zxingcpp.read_barcodes(image))
        return texts
    finally:
        document.close()


def one_line(text: str) -> str:
    """pypdf breaks wrapped lines; compare text with whitespace collapsed."""
    return " ".join(text.split())


def structure_problems(data: bytes) -> list[str]:
    """Check a one-page tagged PDF as ISO 32000 asks: every marked-content
    sequence of the page belongs to exactly one structure element, every element's
    content reference exists, elements that own content name the page (/Pg), the
    parent tree maps each MCID back to the very element that owns it, and no
    element is left empty."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    problems = []
    if not root.get("/MarkInfo", {}).get("/Marked"):
        problems.append("MarkInfo /Marked is not true")
    if not root.get("/Lang"):
        problems.append("no document language")
    [page] = reader.pages
    page_number = page.indirect_reference.idnum
    marked = _marked_mcids(page, reader)
    owners_found: dict[int, int] = {}
    tree = root["/StructTreeRoot"].get_object()

    def walk(reference):
        element = reference.get_object()
        kids = element["/K"].get_object() if "/K" in element else []
        kids = kids if isinstance(kids, list) else [kids]
        if not kids:
            problems.append(f"empty {element['/S']} element")
        for kid in kids:
            mcr = None if isinstance(kid, int) else kid.get_object()
            if mcr is None or mcr.get("/Type") == "/MCR":
                mcid = kid if mcr is None else mcr["/MCID"]
                if _page_of(element, mcr) != page_number:
                    problems.append(f"{element['/S']} owns MCID {mcid} without /Pg")
                if mcid in owners_found:
                    problems.append(f"MCID {mcid} is owned twice")
                owners_found[mcid] = reference.idnum
            elif kid.get_object().get("/Type") != "/OBJR":
                walk(kid)

    top = tree.raw_get("/K")
    for kid in tree["/K"] if isinstance(tree["/K"], list) else [top]:
        walk(kid)
    if set(owners_found) != marked:
        problems.append(f"marked {sorted(marked)}, referenced {sorted(owners_found)}")
    nums = tree["/ParentTree"]["/Nums"]
    parent_tree = dict(zip(nums[::2], nums[1::2], strict=True))
    owners = parent_tree.get(page.get("/StructParents"))
    owners = owners.get_object() if owners is not None else []
    for mcid, owner in owners_found.items():
        if mcid >= len(owners) or owners[mcid].idnum != owner:
            problems.append(f"the parent tree does not map MCID {mcid} to its owner")
    return problems


def _page_of(element, mcr) -> int | None:
    """The page an element's content item is on: the marked-content reference's
    own /Pg, else the element's (ISO 32000-1, 14.7.4)."""
    for holder in (mcr, element):
        if holder is not None and "/Pg" in holder:
            return holder.raw_get("/Pg").idnum
    return None


def _marked_mcids(stream, reader) -> set[int]:
    if hasattr(stream, "get_contents"):  # a page rather than a form XObject
        stream = stream.get_contents()
    content = ContentStream(stream, reader)
    return {
        operands[1]["/MCID"]
        for operands, operator in content.operations
        if operator == b"BDC"
        and isinstance(operands[1], dict)
        and "/MCID" in operands[1]
    }


def structure_tags(data: bytes) -> list[str]:
    """The structure element types in reading (depth-first) order, indented by
    depth, e.g. ["Document", " Sect", "  H1", ...]."""
    reader = PdfReader(io.BytesIO(data))
    tags = []

    def walk(element, depth):
        element = element.get_object()
        tags.append(" " * depth + element["/S"][1:])
        kids = element["/K"].get_object() if "/K" in element else []
        for kid in kids if isinstance(kids, list) else [kids]:
            if not isinstance(kid, int):
                kid = kid.get_object()
                if kid.get("/Type") not in ("/MCR", "/OBJR"):
                    walk(kid, depth + 1)

    tree = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    for kid in tree["/K"] if isinstance(tree["/K"], list) else [tree["/K"]]:
        walk(kid, 0)
    return tags


def pdfium_structure(data: bytes) -> list[tuple[str, str]]:
    """The structure tree as PDFium (Chrome's PDF reader, feeding its screen
    reader support) builds it for the first page: (type, alt text), depth-first."""
    document = pypdfium2.PdfDocument(data)
    page = document[0]
    tree = pypdfium2_raw.FPDF_StructTree_GetForPage(page.raw)
    found = []

    def text(getter, element) -> str:
        length = getter(element, None, 0)
        buffer = ctypes.create_string_buffer(length)
        getter(element, buffer, length)
        return buffer.raw[: max(length - 2, 0)].decode("utf-16-le")

    def walk(element):
        found.append(
            (
                text(pypdfium2_raw.FPDF_StructElement_GetType, element),
                text(pypdfium2_raw.FPDF_StructElement_GetAltText, element),
            )
        )
        for index in range(pypdfium2_raw.FPDF_StructElement_CountChildren(element)):
            child = pypdfium2_raw.FPDF_StructElement_GetChildAtIndex(element, index)
            if child:
                walk(child)

    try:
        for index in range(pypdfium2_raw.FPDF_StructTree_CountChildren(tree)):
            walk(pypdfium2_raw.FPDF_StructTree_GetChildAtIndex(tree, index))
    finally:
        pypdfium2_raw.FPDF_StructTree_Close(tree)
        page.close()
        document.close()
    return found


def embedded_characters(data: bytes) -> set[str]:
    """Every character any font of the first page could show: the fonts' ToUnicode
    maps and the character maps of the embedded font programs (read by fontTools)."""
    reader = PdfReader(io.BytesIO(data))
    resources = reader.pages[0]["/Resources"]
    fonts = list(resources.get("/Font", {}).values())
    for xobject in resources.get("/XObject", {}).values():
        fonts.extend(
            xobject.get_object().get("/Resources", {}).get("/Font", {}).values()
        )
    characters = set()
    for font in fonts:
        font = font.get_object()
        if "/ToUnicode" in font:
            cmap = font["/ToUnicode"].get_object().get_data()
            for target in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", cmap):
                characters.update(bytes.fromhex(target.decode()).decode("utf-16-be"))
        for descendant in font.get("/DescendantFonts", []):
            descriptor = descendant.get_object()["/FontDescriptor"]
            for key in ("/FontFile2", "/FontFile3"):
                if key in descriptor:
                    program = TTFont(
                        io.BytesIO(descriptor[key].get_object().get_data())
                    )
                    characters.update(map(chr, program.getBestCmap() or {}))
    return characters


def font_names(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"].get("/Font", {}).values()
    return {str(font.get_object()["/BaseFont"]) for font in fonts}


def font_code_problems(data: bytes) -> list[str]:
    """Fonts whose widths or encoding name codes their ToUnicode map does not:
    entries for glyphs the PDF never shows (another learner's, say)."""
    reader = PdfReader(io.BytesIO(data))
    problems = []
    for name, font in reader.pages[0]["/Resources"].get("/Font", {}).items():
        font = font.get_object()
        if "/ToUnicode" not in font:
            continue
        cmap = font["/ToUnicode"].get_object().get_data()
        shown = {int(code, 16) for code in re.findall(rb"<([0-9A-Fa-f]+)>\s*<", cmap)}
        shown.add(0)
        widths = font["/DescendantFonts"][0].get_object().get("/W", [])
        width_codes = {int(widths[i]) for i in range(0, len(widths), 2)}
        if not width_codes <= shown:
            problems.append(f"{name} has widths for {sorted(width_codes - shown)}")
        encoding = font.get("/Encoding")
        if encoding is not None and not isinstance(encoding.get_object(), str):
            cmap = encoding.get_object().get_data()
            codes = {int(c, 16) for c in re.findall(rb"<([0-9A-Fa-f]+)>\s*\d", cmap)}
            if not codes <= shown:
                problems.append(f"{name} encodes {sorted(codes - shown)}")
    return problems
