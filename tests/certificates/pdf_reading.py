"""Reading PDFs back with independent parsers: pypdf for text and structure,
pypdfium2 to rasterise and zxing-cpp to decode QR codes."""

import io

import pypdfium2
import zxingcpp
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
    """Check a one-page tagged PDF the way a PDF/UA checker would: every
    marked-content sequence of the page and of its form XObjects belongs to one
    structure element, every element's content reference exists, the parent tree
    maps each MCID back to its element, and no structure element is left empty."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    problems = []
    if not root.get("/MarkInfo", {}).get("/Marked"):
        problems.append("MarkInfo /Marked is not true")
    if not root.get("/Lang"):
        problems.append("no document language")
    [page] = reader.pages
    streams = {"page": page}
    for xobject in page["/Resources"].get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject["/Subtype"] == "/Form":
            streams[xobject.indirect_reference.idnum] = xobject
    marked = {key: _marked_mcids(stream, reader) for key, stream in streams.items()}
    referenced: dict = {key: {} for key in streams}
    tree = root["/StructTreeRoot"].get_object()

    def walk(element):
        element = element.get_object()
        kids = element["/K"].get_object() if "/K" in element else []
        kids = kids if isinstance(kids, list) else [kids]
        if not kids:
            problems.append(f"empty {element['/S']} element")
        for kid in kids:
            if isinstance(kid, int):
                referenced["page"][kid] = element
                continue
            kid = kid.get_object()
            if kid.get("/Type") == "/MCR":
                key = kid.raw_get("/Stm").idnum if "/Stm" in kid else "page"
                referenced[key][kid["/MCID"]] = element
            elif kid.get("/Type") != "/OBJR":
                walk(kid)

    for kid in tree["/K"] if isinstance(tree["/K"], list) else [tree["/K"]]:
        walk(kid)
    nums = tree["/ParentTree"]["/Nums"]
    parent_tree = {nums[i]: nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    for key, stream in streams.items():
        if set(referenced[key]) != marked[key]:
            problems.append(
                f"{key}: marked {sorted(marked[key])}, "
                f"referenced {sorted(referenced[key])}"
            )
        if not marked[key]:
            continue
        owners = parent_tree.get(stream.get("/StructParents"))
        for mcid, element in referenced[key].items():
            if owners is None or owners[mcid].get_object() != element:
                problems.append(f"{key}: parent tree misses MCID {mcid}")
    return problems


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
