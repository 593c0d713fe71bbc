"""Reading PDFs back with independent parsers: pypdf for text and structure,
pypdfium2 to rasterise and zxing-cpp to decode QR codes."""

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader


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
