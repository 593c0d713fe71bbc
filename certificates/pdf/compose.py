"""One PDF per learner from a laid-out sheet and a fill layer: the pikepdf half of
the renderer; layout.py does all the laying out with WeasyPrint.

Nothing here lays anything out; it moves finished drawing between PDFs:

- `PreparedSheet` holds the sheet (everything the certificates of an activity
  share) ready to be copied: its drawing, resources and structure elements, with
  every element already pointing at the page it will sit on.
- `FillLayer` holds a chunk of learners' lines as WeasyPrint wrote them, many to a
  page, and cuts out one learner's marked text, the graphics state it was drawn
  in, its structure elements, and fonts cut down to that learner's own glyphs
  (fonts.py).
- `PreparedSheet.compose` puts one learner's cut-out over a copy of the sheet:
  one page, one content stream, one structure tree with the learner's elements in
  the sheet's empty slots and one MCID numbering, so any PDF reader (PDFium
  included) sees the whole tree, and nothing of any other learner is in the file.
"""

import io
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pikepdf
import segno
from pikepdf import Name

from certificates.pdf.fonts import FontCutter, compress_into

POINTS_PER_PX = 0.75
# The fill layer's resources are renamed so that they never meet the sheet's.
FILL_PREFIX = "fill-"


@dataclass(frozen=True)
class Placement:
    """Where a learner's band landed in the fill layer: its page, and per slot the
    move (in CSS pixels) that takes the slot's text to the slot's place."""

    page_index: int
    moves: tuple[tuple[float, float], ...]


def struct_elements(element) -> Iterator[pikepdf.Dictionary]:
    """Depth-first, in reading order: the element and its structure descendants."""
    yield element
    for kid in element.get("/K", []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield from struct_elements(kid)


class PreparedSheet:
    """A sheet PDF from WeasyPrint, prepared once for many copies.

    The sheet's page is rebuilt as a template page in a bundle with its structure
    elements (each pointing at the template with /Pg), its MCID-to-element array
    and its empty slot Divs, so that one qpdf copy per learner brings all of it.
    """

    def __init__(self, sheet_pdf: bytes, slot_count: int):
        source = pikepdf.open(io.BytesIO(sheet_pdf))
        self.source = source
        self.version = source.pdf_version
        page = source.pages[0]
        if "/Annots" in page.obj:
            raise ValueError("A sheet cannot hold links or form fields.")
        page.contents_coalesce()
        resources = page.obj.Resources
        self.qr_name = _placeholder_image(resources)
        del resources.XObject[self.qr_name]
        self.page_height = float(page.mediabox[3]) - float(page.mediabox[1])
        template = source.make_indirect(
            pikepdf.Dictionary(
                MediaBox=page.mediabox,
                Resources=resources,
                StructParents=0,
            )
        )
        # Compressed once here rather than by every save.
        drawing = _compressed_stream(
            source, b"q\n%s\nQ\n" % page.obj.Contents.read_bytes()
        )
        root = source.Root.StructTreeRoot
        document = root.K[0]
        del document["/P"]
        placeholders = []
        for element in struct_elements(document):
            element.Pg = template
            if element.S == "/Div" and len(element.K) == 0:
                placeholders.append(element)
        if len(placeholders) != slot_count:
            raise ValueError(
                f"The sheet has {len(placeholders)} empty blocks for "
                f"{slot_count} text slots."
            )
        owners = root.ParentTree.Nums[1]
        self.mcid_count = len(owners)
        bundle = pikepdf.Dictionary(
            Template=template,
            Drawing=drawing,
            Document=document,
            Owners=owners,
            Placeholders=pikepdf.Array(placeholders),
        )
        if "/Namespaces" in root:
            bundle.Namespaces = root.Namespaces
        self.bundle = source.make_indirect(bundle)

    def compose(
        self,
        layer: "FillLayer",
        index: int,
        *,
        qr_data: str,
        title: str,
        author: str,
        lang: str,
    ) -> bytes:
        out = pikepdf.new()
        bundle = out.copy_foreign(self.bundle)
        page = bundle.Template
        page.Type = Name.Page
        cut = layer.cut(out, index, first_mcid=self.mcid_count, page=page)
        for kind, named in cut.resources.items():
            if kind not in page.Resources:
                page.Resources[kind] = pikepdf.Dictionary()
            for name, value in named.items():
                page.Resources[kind][name] = value
        page.Resources.XObject[self.qr_name] = _qr_image(out, qr_data)
        # The learner's text was drawn by WeasyPrint in CSS pixels from the top
        # left; the sheet's drawing sets up its own transform inside q/Q.
        page.Contents = pikepdf.Array(
            [
                bundle.Drawing,
                _compressed_stream(
                    out,
                    b"q 1 0 0 -1 0 %.6f cm %.2f 0 0 %.2f 0 0 cm\n%sQ\n"
                    % (self.page_height, POINTS_PER_PX, POINTS_PER_PX, cut.drawing),
                ),
            ]
        )
        out.pages.append(pikepdf.Page(page))
        for placeholder, kids in zip(bundle.Placeholders, cut.slot_kids, strict=True):
            for kid in kids:
                kid.P = placeholder
            placeholder.K = kids
        document = bundle.Document
        tree = pikepdf.Dictionary(
            Type=Name.StructTreeRoot,
            K=pikepdf.Array([document]),
            ParentTree=pikepdf.Dictionary(
                Nums=pikepdf.Array([0, pikepdf.Array([*bundle.Owners, *cut.owners])])
            ),
            ParentTreeNextKey=1,
        )
        if "/Namespaces" in bundle:
            tree.Namespaces = bundle.Namespaces
        out.Root.StructTreeRoot = out.make_indirect(tree)
        document.P = out.Root.StructTreeRoot
        out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        out.Root.Lang = pikepdf.String(lang)
        out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        out.docinfo.Title = title
        out.docinfo.Author = author
        buffer = io.BytesIO()
        # Object streams make the file about a fifth smaller and quicker to write.
        out.save(
            buffer,
            min_version=self.version,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return buffer.getvalue()


def _compressed_stream(pdf: pikepdf.Pdf, data: bytes) -> pikepdf.Stream:
    return compress_into(pdf.make_stream(b""), data)


def _placeholder_image(resources: pikepdf.Dictionary) -> pikepdf.Name:
    """The sheet's one-pixel image, whose place each copy gives its QR code."""
    names = [
        name
        for name, image in resources.get("/XObject", {}).items()
        if image.get("/Subtype") == "/Image" and image.Width == image.Height == 1
    ]
    if len(names) != 1:
        raise ValueError("The sheet needs exactly one placeholder image.")
    return Name(names[0])


_QR_SHADES = bytes.maketrans(b"\x00\x01", b"\xff\x00")


def _qr_image(out: pikepdf.Pdf, data: str) -> pikepdf.Stream:
    """A QR code as a greyscale image with a four-module quiet zone, one sample
    per module; drawn where the placeholder was, scaled up without smoothing."""
    matrix = segno.make(data, error="m", mask=0, boost_error=False).matrix
    size = len(matrix) + 8
    quiet = b"\xff" * size
    rows = [quiet] * 4
    rows.extend(
        b"\xff" * 4 + bytes(row).translate(_QR_SHADES) + b"\xff" * 4 for row in matrix
    )
    rows.extend([quiet] * 4)
    image = _compressed_stream(out, b"".join(rows))
    image.Type, image.Subtype = Name.XObject, Name.Image
    image.Width = image.Height = size
    image.ColorSpace, image.BitsPerComponent = Name.DeviceGray, 8
    image.Interpolate = False
    return image


# ---- The fill layer ------------------------------------------------------------

# Resources a text operator can name: operator -> (kind, operand index). Colour
# spaces and patterns are resources only when the page defines them by that name
# (/DeviceRGB and friends are built in).
_NAMED_RESOURCES = {
    "Tf": ("/Font", 0),
    "gs": ("/ExtGState", 0),
    "Do": ("/XObject", 0),
    "cs": ("/ColorSpace", 0),
    "CS": ("/ColorSpace", 0),
    "scn": ("/Pattern", -1),
    "SCN": ("/Pattern", -1),
}
RESOURCE_KINDS = ("/Font", "/ExtGState", "/XObject", "/ColorSpace", "/Pattern")
# Operators whose effect outlives the marked text they appear in, grouped by what
# they set; a cut-out line starts with the latest of each group, in this order
# (a colour space before its colour, which choosing the space resets).
_STATE_GROUPS = {
    "cs": "1 fill space", "sc": "2 fill", "scn": "2 fill", "g": "2 fill",
    "rg": "2 fill", "k": "2 fill", "CS": "3 stroke space", "SC": "4 stroke",
    "SCN": "4 stroke", "G": "4 stroke", "RG": "4 stroke", "K": "4 stroke",
    "w": "5 w", "J": "5 J", "j": "5 j", "M": "5 M", "d": "5 d", "ri": "5 ri",
    "i": "5 i", "Tc": "6 Tc", "Tw": "6 Tw", "Tz": "6 Tz", "TL": "6 TL",
    "Tf": "6 Tf", "Tr": "6 Tr", "Ts": "6 Ts",
}  # fmt: skip
_TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
# Drawing that is not text: paths, clips, shadings and images outside text.
_NOT_TEXT = {
    "m", "l", "c", "v", "y", "h", "re", "S", "s", "f", "F", "f*", "B", "B*", "b",
    "b*", "n", "W", "W*", "sh", "Do", "BI", "INLINE IMAGE",
}  # fmt: skip
IDENTITY = pikepdf.Matrix()


@dataclass
class _GraphicsState:
    # Matrices compose in PDF's order: `a @ b` is a, then b (a `cm` with M makes
    # the new CTM M @ CTM).
    ctm: pikepdf.Matrix = IDENTITY
    groups: dict = field(default_factory=dict)
    # Graphics state dictionaries by name: each may set different parameters.
    states: dict = field(default_factory=dict)

    def copy(self) -> "_GraphicsState":
        return _GraphicsState(self.ctm, dict(self.groups), dict(self.states))

    def apply(self, operator: str, instruction) -> None:
        if operator == "cm":
            self.ctm = pikepdf.Matrix(*map(float, instruction.operands)) @ self.ctm
        elif operator == "gs":
            self.states.pop(str(instruction.operands[0]), None)
            self.states[str(instruction.operands[0])] = instruction
        elif group := _STATE_GROUPS.get(operator):
            if operator == "cs":
                self.groups.pop("2 fill", None)
            elif operator == "CS":
                self.groups.pop("4 stroke", None)
            elif operator in ("g", "rg", "k"):
                self.groups.pop("1 fill space", None)
            elif operator in ("G", "RG", "K"):
                self.groups.pop("3 stroke space", None)
            self.groups[group] = instruction

    def replay(self, base: pikepdf.Matrix, *, with_font: bool) -> list:
        """Instructions that recreate this state over `base` (the layer's page
        transform, which each output sets up for its own page)."""
        instructions = []
        relative = (self.ctm @ base.inverse()).shorthand
        if any(
            abs(x - y) > 1e-6 for x, y in zip(relative, IDENTITY.shorthand, strict=True)
        ):
            instructions.append(
                pikepdf.ContentStreamInstruction(
                    [round(value, 6) for value in relative], pikepdf.Operator("cm")
                )
            )
        instructions.extend(self.states.values())
        instructions.extend(
            self.groups[group]
            for group in sorted(self.groups)
            if with_font or group != "6 Tf"
        )
        return instructions


@dataclass(frozen=True)
class _MarkedText:
    """One marked-content sequence of the fill layer (a line of text): its tag,
    its drawing (the state it was drawn in, then its own operators), the
    resources it names as (kind, name) pairs, and per font the codes it shows."""

    tag: bytes
    drawing: bytes
    resources: frozenset
    glyphs: dict


def fill_name(name) -> str:
    return "/" + FILL_PREFIX + str(name)[1:]


class _LayerPageReader:
    """Reads one page of the fill layer into its marked texts, each able to be
    drawn on its own: resources renamed, and the graphics state in force where it
    starts replayed in front of it (WeasyPrint sets colours, graphics states and
    fonts only when they change, so a cut-out line would otherwise lose them)."""

    def __init__(self, page: pikepdf.Page, base: pikepdf.Matrix):
        self.base = base
        resources = page.obj.Resources
        self.page_names = {
            kind: set(resources.get(kind, {}).keys()) for kind in RESOURCE_KINDS
        }
        self.texts: dict[int, _MarkedText] = {}
        self.stack = [_GraphicsState()]
        self.line = None
        self.in_text_object = False
        for instruction in pikepdf.parse_content_stream(page):
            self._read(instruction, str(instruction.operator))

    def _read(self, instruction, operator: str) -> None:
        if self.line is None:
            if operator == "BDC" and "/MCID" in instruction.operands[1]:
                if self.in_text_object:
                    raise ValueError("The fill layer marks text inside a text object.")
                self._start_line(instruction)
                return
            if operator in _NOT_TEXT or operator in _TEXT_SHOWING:
                raise ValueError(f"The fill layer draws {operator} outside its text.")
        elif self._read_line(instruction, operator):
            return
        if operator in ("BT", "ET"):
            self.in_text_object = operator == "BT"
        elif operator == "q":
            self.stack.append(self.stack[-1].copy())
        elif operator == "Q":
            self.stack.pop()
        else:
            self.stack[-1].apply(operator, instruction)

    def _start_line(self, instruction) -> None:
        self.line = {
            "tag": bytes(instruction.operands[0]),
            "mcid": int(instruction.operands[1].MCID),
            "state": self.stack[-1].copy(),
            "body": [],
            "depth": 0,
            "saves": 0,
            "own_font": False,
            "shown": False,
            "resources": set(),
            "glyphs": defaultdict(set),
        }

    def _read_line(self, instruction, operator: str) -> bool:
        """Add an instruction to the current line; True when it ended the line."""
        line = self.line
        if operator in ("BDC", "BMC"):
            line["depth"] += 1
        elif operator == "EMC":
            if line["depth"] == 0:
                self._end_line()
                return True
            line["depth"] -= 1
        elif operator in ("sh", "BI", "INLINE IMAGE"):
            raise ValueError(f"The fill layer draws {operator} inside its text.")
        elif operator == "Tf" and not line["shown"]:
            line["own_font"] = True
        elif operator in _TEXT_SHOWING:
            line["shown"] = True
            font = self.stack[-1].groups.get("6 Tf")
            if font is None:
                raise ValueError("The fill layer shows text before choosing a font.")
            line["glyphs"][fill_name(font.operands[0])] |= _shown_codes(
                instruction, operator
            )
        line["saves"] += {"q": 1, "Q": -1}.get(operator, 0)
        line["body"].append(self._renamed(instruction, operator, line["resources"]))
        return False

    def _end_line(self) -> None:
        line, self.line = self.line, None
        if line["saves"] != 0:
            raise ValueError("The fill layer's text leaves q/Q unbalanced.")
        # The previous line's font is replayed only if this line shows text in it.
        prefix = [
            self._renamed(instruction, str(instruction.operator), line["resources"])
            for instruction in line["state"].replay(
                self.base, with_font=not line["own_font"]
            )
        ]
        self.texts[line["mcid"]] = _MarkedText(
            tag=line["tag"],
            drawing=pikepdf.unparse_content_stream(prefix + line["body"]),
            resources=frozenset(line["resources"]),
            glyphs=dict(line["glyphs"]),
        )

    def _renamed(self, instruction, operator: str, used: set):
        if operator not in _NAMED_RESOURCES:
            return instruction
        kind, position = _NAMED_RESOURCES[operator]
        operands = list(instruction.operands)
        name = operands[position]
        if not isinstance(name, Name) or str(name) not in self.page_names[kind]:
            return instruction
        operands[position] = Name(fill_name(name))
        used.add((kind, fill_name(name)))
        return pikepdf.ContentStreamInstruction(operands, instruction.operator)


def _shown_codes(instruction, operator: str) -> set[int]:
    """Character codes shown by a text operator: WeasyPrint's fonts use two-byte
    codes, which are glyph ids (fonts.py keeps them so)."""
    strings = instruction.operands[-1]
    if operator == "TJ":
        strings = [item for item in strings if isinstance(item, pikepdf.String)]
    else:
        strings = [strings]
    codes = set()
    for string in strings:
        data = bytes(string)
        codes.update(
            int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)
        )
    return codes


@dataclass
class Cut:
    """One learner's part of the fill layer, copied into their PDF."""

    drawing: bytes
    resources: dict[str, dict]
    slot_kids: list[pikepdf.Array]
    owners: list


class FillLayer:
    """A chunk of learners' lines as WeasyPrint wrote them, ready to cut apart.

    Its structure is Document > Div (one band per learner) > Div (slot) > the
    slot's elements. Those elements lose their parent link and page here, so that
    copying them into an output copies their own subtree and nothing else.
    """

    def __init__(self, data: bytes, placements: Sequence[Placement | None]):
        self.source = pikepdf.open(io.BytesIO(data))
        self.placements = placements
        self.texts = []
        self.resources = []
        for page in self.source.pages:
            height = float(page.mediabox[3]) - float(page.mediabox[1])
            base = pikepdf.Matrix(
                POINTS_PER_PX, 0, 0, POINTS_PER_PX, 0, 0
            ) @ pikepdf.Matrix(1, 0, 0, -1, 0, height)
            self.texts.append(_LayerPageReader(page, base).texts)
            self.resources.append(self._renamed_resources(page.obj.Resources))
        self.fonts: dict[tuple[int, int], FontCutter] = {}
        bands = list(self.source.Root.StructTreeRoot.K[0].K)
        self.slots = []
        for band, placement in zip(bands, placements, strict=True):
            if placement is None:
                self.slots.append(None)
                continue
            slots = []
            # The band's last block only marks where it ends.
            for slot in list(band.K)[: len(placement.moves)]:
                for element in struct_elements(slot):
                    if "/Pg" in element:
                        del element["/Pg"]
                kids = self.source.make_indirect(pikepdf.Array(slot.K))
                for kid in kids:
                    if not isinstance(kid, pikepdf.Dictionary):
                        raise ValueError("A slot's text must be inside an element.")
                    del kid["/P"]
                slots.append((kids, _mcids(kids)))
            self.slots.append(slots)

    def _renamed_resources(self, resources: pikepdf.Dictionary) -> dict:
        renamed = {}
        for kind in RESOURCE_KINDS:
            named = {}
            for name, value in resources.get(kind, {}).items():
                if not value.is_indirect:
                    value = self.source.make_indirect(value)
                named[fill_name(name)] = value
            renamed[kind] = named
        return renamed

    def cut(self, out: pikepdf.Pdf, index: int, *, first_mcid: int, page) -> Cut:
        """Learner `index`'s drawing (CSS pixels, y down), with MCIDs numbered
        from `first_mcid`, the resources it uses copied into `out`, its structure
        elements per slot and the elements that own its MCIDs, in order."""
        placement = self.placements[index]
        texts = self.texts[placement.page_index]
        renumbered, parts, used = {}, [], set()
        glyphs = defaultdict(set)
        for (dx, dy), (_kids, mcids) in zip(
            placement.moves, self.slots[index], strict=True
        ):
            parts.append(b"q 1 0 0 1 %.3f %.3f cm\n" % (dx, dy))
            for mcid in mcids:
                text = texts[mcid]
                renumbered[mcid] = first_mcid + len(renumbered)
                # q/Q keeps the state this text sets up from reaching the next.
                parts.append(
                    b"%s <</MCID %d>> BDC q\n%s\nQ EMC\n"
                    % (text.tag, renumbered[mcid], text.drawing)
                )
                used |= text.resources
                for font, shown in text.glyphs.items():
                    glyphs[font] |= shown
            parts.append(b"Q\n")
        source = self.resources[placement.page_index]
        resources = defaultdict(dict)
        for kind, name in used:
            if kind == "/Font":
                resources[kind][name] = self._font_cutter(source[kind][name]).copy(
                    out, glyphs[name]
                )
            else:
                resources[kind][name] = out.copy_foreign(source[kind][name])
        owners = [None] * len(renumbered)
        slot_kids = []
        for kids, _mcids_of_slot in self.slots[index]:
            copied = out.copy_foreign(kids)
            for element in copied:
                for inner in struct_elements(element):
                    inner.Pg = page
                    new_kids = pikepdf.Array()
                    for kid in inner.K:
                        if isinstance(kid, int):
                            kid = renumbered[int(kid)]
                            owners[kid - first_mcid] = inner
                        new_kids.append(kid)
                    inner.K = new_kids
            slot_kids.append(copied)
        return Cut(b"".join(parts), dict(resources), slot_kids, owners)

    def _font_cutter(self, font: pikepdf.Dictionary) -> FontCutter:
        # Keyed by the font object: the layer's pages share their fonts.
        if font.objgen not in self.fonts:
            self.fonts[font.objgen] = FontCutter(font, self.source)
        return self.fonts[font.objgen]


def _mcids(kids: pikepdf.Array) -> list[int]:
    return [
        int(kid)
        for element in kids
        for inner in struct_elements(element)
        for kid in inner.K
        if isinstance(kid, int)
    ]
