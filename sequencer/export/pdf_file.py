"""A small PDF writer: pages of content-stream operators, embedded TrueType subsets, and the file around them.

Text is shown by glyph id (Type0 fonts, Identity-H) with a ToUnicode map, so readers extract
the words that were drawn. Pages are painted first and serialised at the end, when the page
count is known (for "page N of M" footers). Nothing depends on the clock or on memory
addresses: the same pages give the same bytes.
"""

import zlib
from collections.abc import Callable
from itertools import repeat
from pathlib import Path

from .truetype import TrueTypeFont, load

PT_PER_MM = 72 / 25.4
PAGE_SIZES_PT = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
# zlib level 4 is the knee on the hour-long show's 156 pages (4.1 MB of operators): 31 ms for 746 kB,
# where level 1 takes 20 ms for 866 kB and level 6 52 ms for 686 kB.
COMPRESSION = 4
_CREATION_DATE = "D:20000101000000Z"
_BFCHAR_BLOCK = 100  # a ToUnicode CMap takes at most 100 entries per beginbfchar block


class PdfFont:
    """A TrueType font as one PDF font resource: encodes text as glyph ids and remembers which glyphs it used."""

    def __init__(self, font: TrueTypeFont, resource: str):
        self.font, self.resource = font, resource
        self.widths = font.char_widths()
        self.used: dict[int, str] = {}  # glyph id → the character it was first drawn for
        self._codes: dict[str, str] = {}  # character → its glyph id as 4 hex digits
        self._encoded: dict[str, str] = {}  # labels repeat by the thousand; each is encoded once

    def encode(self, text: str) -> str:
        """`text` as a PDF hex string of glyph ids; characters the font lacks show .notdef."""
        shown = self._encoded.get(text)
        if shown is None:
            codes = self._codes
            for ch in text:
                if ch not in codes:
                    gid = self.font.glyph_of.get(ord(ch), 0)
                    codes[ch] = f"{gid:04X}"
                    if gid:
                        self.used.setdefault(gid, ch)
            shown = self._encoded[text] = "<" + "".join(codes[ch] for ch in text) + ">"
        return shown

    def width(self, text: str) -> int:
        """Advance width of `text` in thousandths of the font size, as a viewer adds it up from /W."""
        return sum(map(self.widths.get, text, repeat(0)))


class Document:
    """Pages of PDF operators in points (origin bottom left) and the fonts they use; `output()` makes the file.

    `footer(page, pages)` is called for every page just before the file is made, with the page
    current, so footers can say how many pages there are.
    """

    def __init__(self, paper: str, orientation: str, title: str, creator: str = "sequencer",
                 footer: Callable[[int, int], None] | None = None):
        width, height = PAGE_SIZES_PT[paper]
        if orientation == "landscape":
            width, height = height, width
        self.size_pt = (width, height)
        self.k = PT_PER_MM
        self.w, self.h = width / self.k, height / self.k  # mm, as the painter measures
        self.title, self.creator, self.footer = title, creator, footer
        self.pages: list[list[str]] = []
        self.current: list[str] = []
        self.fonts: dict[Path, PdfFont] = {}
        self.forms: dict[object, tuple[str, str, str, str]] = {}  # key → (resource name, width, height, operators)
        self._bytes: bytes | None = None

    def add_font(self, path: Path) -> PdfFont:
        """The font at `path` as a resource of this document (the same object when added twice)."""
        if path not in self.fonts:
            self.fonts[path] = PdfFont(load(path), f"F{len(self.fonts) + 1}")
        return self.fonts[path]

    def form(self, key, operators: Callable[[], str], width: str, height: str) -> str:
        """The resource name of a form (drawn once, placed many times with `Do`) of `width` × `height` points.

        `operators` (in the form's own space, origin bottom left) is called only the first time `key` is seen.
        """
        held = self.forms.get(key)
        if held is None:
            held = self.forms[key] = (f"X{len(self.forms) + 1}", width, height, operators())
        return held[0]

    def add_page(self):
        self.current = []
        self.pages.append(self.current)

    def page_no(self) -> int:
        return len(self.pages)

    def out(self, operators: str):
        """Append operators to the current page's content stream."""
        self.current.append(operators)

    def output(self) -> bytes:
        """The PDF file. Footers are drawn on the first call; later calls return the same bytes."""
        if self._bytes is None:
            if self.footer is not None:
                for number, page in enumerate(self.pages, 1):
                    self.current = page
                    self.footer(number, len(self.pages))
            self._bytes = _serialise(self)
        return self._bytes


def _serialise(doc: Document) -> bytes:
    fonts = [font for font in doc.fonts.values() if font._codes]  # every font some text was drawn in
    forms = list(doc.forms.values())
    first_font = 5
    first_form = first_font + 5 * len(fonts)
    first_page = first_form + len(forms)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        (f"<< /Type /Pages /MediaBox [0 0 {_number(doc.size_pt[0])} {_number(doc.size_pt[1])}] /Count "
         f"{len(doc.pages)} /Kids [" + " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(doc.pages)))
         + "] >>").encode(),
        ("<< /ProcSet [/PDF /Text] /Font << " + " ".join(f"/{font.resource} {first_font + 5 * i} 0 R"
                                                        for i, font in enumerate(fonts))
         + " >> /XObject << " + " ".join(f"/{form[0]} {first_form + i} 0 R" for i, form in enumerate(forms))
         + " >> >>").encode(),
        (f"<< /Title {_text_string(doc.title)} /Creator {_text_string(doc.creator)} /Producer (sequencer) "
         f"/CreationDate ({_CREATION_DATE}) >>").encode(),
    ]
    for i, font in enumerate(fonts):
        objects += _font_objects(font, first_font + 5 * i)
    for _name, width, height, operators in forms:
        objects.append(_stream(operators.encode("latin-1"), f"/Type /XObject /Subtype /Form /BBox [0 0 {width} {height}]"))
    for i, page in enumerate(doc.pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /Resources 3 0 R /Contents {first_page + 2 * i + 1} 0 R >>"
                       .encode())
        objects.append(_stream("\n".join(page).encode("latin-1")))
    out = [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"]
    at = len(out[0])
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(at)
        chunk = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        out.append(chunk)
        at += len(chunk)
    body = b"".join(out)
    file_id = f"{zlib.crc32(body):08X}{zlib.adler32(body):08X}{len(body):016X}"  # from the content, not the clock
    xref = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)]
    xref += [b"%010d 00000 n \n" % offset for offset in offsets]
    out += xref
    out.append(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R /ID [<{file_id}> <{file_id}>] >>\n"
               f"startxref\n{at}\n%%EOF\n".encode())
    return b"".join(out)


def _font_objects(font: PdfFont, first: int) -> list[bytes]:
    """Type0 font, its CIDFontType2, font descriptor, embedded subset and ToUnicode map (objects first…first+4)."""
    tt = font.font
    glyphs = sorted(font.used)
    digest = zlib.crc32((tt.postscript_name + ",".join(map(str, glyphs))).encode())
    tag = "".join(chr(65 + digest // 26 ** i % 26) for i in range(6))  # the subset's name prefix, from its glyphs
    name = f"{tag}+{tt.postscript_name}"
    flags = 32 + (64 if tt.italic_angle else 0)  # nonsymbolic (Latin text), italic
    descriptor = (f"<< /Type /FontDescriptor /FontName /{name} /Flags {flags} /FontBBox [{' '.join(map(str, tt.bbox))}]"
                  f" /ItalicAngle {_number(tt.italic_angle)} /Ascent {tt.ascent} /Descent {tt.descent}"
                  f" /CapHeight {tt.cap_height} /StemV {120 if tt.bold else 80} /FontFile2 {first + 3} 0 R >>")
    cid_font = (f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) "
                f"/Ordering (Identity) /Supplement 0 >> /FontDescriptor {first + 2} 0 R /DW {tt.widths[0]}"
                f" /W [{_widths(tt, glyphs)}] /CIDToGIDMap /Identity >>")
    type0 = (f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts "
             f"[{first + 1} 0 R] /ToUnicode {first + 4} 0 R >>")
    subset = tt.subset(glyphs)
    return [type0.encode(), cid_font.encode(), descriptor.encode(),
            _stream(subset, f"/Length1 {len(subset)}"), _stream(_to_unicode(font.used).encode())]


def _widths(font: TrueTypeFont, glyphs: list[int]) -> str:
    """The /W array: runs of consecutive glyph ids, each as `first [w w …]`."""
    runs: list[list[int]] = []
    for gid in glyphs:
        if runs and runs[-1][-1] == gid - 1:
            runs[-1].append(gid)
        else:
            runs.append([gid])
    return " ".join(f"{run[0]} [{' '.join(str(font.widths[g]) for g in run)}]" for run in runs)


def _to_unicode(used: dict[int, str]) -> str:
    """A CMap from glyph ids to the characters they were drawn for, so text can be searched and copied."""
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    pairs = sorted(used.items())
    for start in range(0, len(pairs), _BFCHAR_BLOCK):
        block = pairs[start:start + _BFCHAR_BLOCK]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{gid:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for gid, ch in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def _stream(data: bytes, extra: str = "") -> bytes:
    packed = zlib.compress(data, COMPRESSION)
    head = f"<< /Length {len(packed)} /Filter /FlateDecode{' ' + extra if extra else ''} >>\nstream\n"
    return head.encode() + packed + b"\nendstream"


def _text_string(text: str) -> str:
    """A PDF text string: literal when ASCII, else UTF-16BE with its byte-order mark, in hex."""
    if text.isascii():
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("\r", "\\r") + ")"
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
