"""Fonts cut down to one learner's glyphs, for certificates/pdf/compose.py.

WeasyPrint subsets each font once per document, and the fill layer is one document
for a whole chunk of learners, so its fonts hold every learner's characters: the
font program, the widths and the ToUnicode map. Each learner's PDF gets copies
that hold only the glyphs it shows (HarfBuzz subsetting, glyph ids kept so the
text needs no change).
"""

import re
import zlib

import pikepdf
import uharfbuzz
from pikepdf import Name


def compress_into(stream: pikepdf.Stream, data: bytes) -> pikepdf.Stream:
    """Replace a stream's data, compressed quickly: each PDF is small and written
    once, so zlib's fastest level costs little size and saves most of the time
    pikepdf would spend compressing on save."""
    stream.write(zlib.compress(data, 1), filter=Name.FlateDecode)
    return stream


class FontCutter:
    """Copies of one fill-layer font that keep only the glyphs one learner shows.

    WeasyPrint's fonts are Type0 with two-byte codes equal to glyph ids, mapped
    by /Identity-H or, when some character had no glyph, by its own CMap that
    sends those codes to glyph 0 (.notdef); the widths (/W) are by glyph id and the
    ToUnicode map by code. Each copy keeps the entries of its own codes only.
    """

    def __init__(self, font: pikepdf.Dictionary, source: pikepdf.Pdf):
        if font.get("/Subtype") != "/Type0":
            raise ValueError(f"Unexpected font type {font.get('/Subtype')}.")
        descendant = font.DescendantFonts[0]
        if descendant.get("/CIDToGIDMap", Name.Identity) != Name.Identity:
            raise ValueError("Only fonts whose character ids are glyph ids are cut.")
        descriptor = descendant.FontDescriptor
        self.file_key = next(
            (key for key in ("/FontFile2", "/FontFile3") if key in descriptor), None
        )
        if self.file_key is None:
            raise ValueError("The font has no embedded font program to cut down.")
        # HarfBuzz reads the font from this buffer without holding on to it.
        self.program = descriptor[self.file_key].read_bytes()
        self.face = uharfbuzz.Face(self.program)
        self.widths = _parse_widths(descendant.get("/W", pikepdf.Array()))
        self.unicode = (
            _parse_to_unicode(font.ToUnicode.read_bytes())
            if "/ToUnicode" in font
            else {}
        )
        encoding = font.get("/Encoding")
        self.glyph_of_code = (
            _parse_cid_cmap(encoding.read_bytes())
            if isinstance(encoding, pikepdf.Stream)
            else None
        )
        # What is read above is the whole chunk's; empty it in the layer so that
        # copying the font into each PDF copies none of it.
        _empty(descriptor[self.file_key])
        descendant.W = pikepdf.Array()
        if "/CIDSet" in descriptor:
            del descriptor["/CIDSet"]
        for key in ("/ToUnicode", "/Encoding"):
            if isinstance(font.get(key), pikepdf.Stream):
                _empty(font[key])
        self.font = font

    def copy(self, out: pikepdf.Pdf, codes: set[int]) -> pikepdf.Dictionary:
        codes = sorted(codes | {0})
        mapping = self.glyph_of_code or {}
        glyphs = sorted({mapping.get(code, code) for code in codes})
        copied = out.copy_foreign(self.font)
        descendant = copied.DescendantFonts[0]
        request = uharfbuzz.SubsetInput()
        # Glyph ids stay as they are, so the text needs no change; .notdef keeps
        # its box, which marks a character no font had.
        request.flags = (
            uharfbuzz.SubsetFlags.RETAIN_GIDS | uharfbuzz.SubsetFlags.NOTDEF_OUTLINE
        )
        for glyph in glyphs:
            request.glyph_set.add(glyph)
        program = uharfbuzz.subset(self.face, request)
        compress_into(descendant.FontDescriptor[self.file_key], program.blob.data)
        descendant.W = pikepdf.Array(
            [item for glyph in glyphs if glyph in self.widths
             for item in (glyph, pikepdf.Array([self.widths[glyph]]))]
        )  # fmt: skip
        if "/ToUnicode" in copied:
            compress_into(
                copied.ToUnicode,
                _cmap(
                    "bfchar",
                    [(code, f"<{self.unicode[code]}>") for code in codes
                     if code in self.unicode],
                    "Adobe-Identity-UCS",
                ),
            )  # fmt: skip
        if self.glyph_of_code is not None:
            compress_into(
                copied.Encoding,
                _cmap(
                    "cidchar",
                    [(code, str(mapping.get(code, code))) for code in codes],
                    str(copied.Encoding.get("/CMapName", "/Identity-Cut"))[1:],
                ),
            )
        return copied


def _empty(stream: pikepdf.Stream) -> None:
    stream.write(b"")


def _parse_widths(widths: pikepdf.Array) -> dict[int, object]:
    """A CIDFont's /W array ([first [w1 w2 ...]] or [first last w]) as a dict."""
    parsed, items, position = {}, list(widths), 0
    while position < len(items):
        first = int(items[position])
        following = items[position + 1]
        if isinstance(following, pikepdf.Array):
            for offset, width in enumerate(following):
                parsed[first + offset] = width
            position += 2
        else:
            for glyph in range(first, int(following) + 1):
                parsed[glyph] = items[position + 2]
            position += 3
    return parsed


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>|\[([^\]]*)\]")


def _parse_to_unicode(cmap: bytes) -> dict[int, str]:
    """Glyph id to UTF-16BE hex, from the bfchar and bfrange entries of a CMap."""
    mapping = {}
    for block in _BFCHAR.findall(cmap):
        codes = re.findall(rb"<([0-9A-Fa-f]*)>", block)
        for source, target in zip(codes[::2], codes[1::2], strict=True):
            mapping[int(source, 16)] = target.decode()
    for block in _BFRANGE.findall(cmap):
        tokens = _HEX.findall(block)
        for position in range(0, len(tokens), 3):
            low, high = (int(tokens[position + i][0], 16) for i in (0, 1))
            target, array = tokens[position + 2]
            if array:
                targets = re.findall(rb"<([0-9A-Fa-f]*)>", array)
                for offset, value in enumerate(targets):
                    mapping[low + offset] = value.decode()
            else:
                start = int(target, 16)
                for offset in range(high - low + 1):
                    mapping[low + offset] = f"{start + offset:0{len(target)}X}"
    return mapping


_CIDCHAR = re.compile(rb"begincidchar(.*?)endcidchar", re.S)
_CIDRANGE = re.compile(rb"begincidrange(.*?)endcidrange", re.S)


def _parse_cid_cmap(cmap: bytes) -> dict[int, int]:
    """Code to character id, from the cidchar and cidrange entries of a CMap."""
    mapping = {}
    for block in _CIDCHAR.findall(cmap):
        for code, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s*(\d+)", block):
            mapping[int(code, 16)] = int(cid)
    for block in _CIDRANGE.findall(cmap):
        for low, high, cid in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\d+)", block
        ):
            for offset in range(int(high, 16) - int(low, 16) + 1):
                mapping[int(low, 16) + offset] = int(cid) + offset
    return mapping


def _cmap(kind: str, entries: list[tuple[int, str]], name: str) -> bytes:
    """A CMap with two-byte codes: "bfchar" entries (code to Unicode, for a
    ToUnicode map) or "cidchar" entries (code to character id, for an encoding)."""
    unicode = kind == "bfchar"
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering "
        f"({'UCS' if unicode else 'Identity'}) /Supplement 0 >> def",
        f"/CMapName /{name} def",
        f"/CMapType {2 if unicode else 1} def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):  # at most 100 per block
        block = entries[start : start + 100]
        lines.append(f"{len(block)} begin{kind}")
        lines.extend(f"<{code:04X}> {target}" for code, target in block)
        lines.append(f"end{kind}")
    lines += [
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines).encode()
