"""A TrueType font read with `struct`: which glyph prints a character, how wide it is, and a subset to embed.

The PDF sheet shows text by glyph id (Identity-H), measures it with the font's advance widths,
and embeds only the glyphs it drew: every other glyph is emptied, ids are kept, and only the
tables a PDF viewer reads for a CIDFontType2 stay. Each font file is parsed once per process.
"""

import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# The tables a PDF viewer needs from an embedded TrueType font (ISO 32000-1, 9.9).
EMBEDDED_TABLES = (b"cvt ", b"fpgm", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"prep")
_CHECKSUM_MAGIC = 0xB1B0AFBA
# Composite glyph component flags (the OpenType 'glyf' table).
_ARGS_ARE_WORDS, _HAS_SCALE, _MORE_COMPONENTS, _HAS_XY_SCALE, _HAS_TWO_BY_TWO = 0x1, 0x8, 0x20, 0x40, 0x80


class FontError(ValueError):
    """The file is not a TrueType font this module can read."""


@dataclass(frozen=True, eq=False)
class TrueTypeFont:
    """One parsed font. Widths are in PDF glyph space (1000 units per em), rounded as the PDF's /W says them."""

    path: Path
    postscript_name: str
    units_per_em: int
    glyph_of: dict[int, int]        # code point → glyph id
    widths: tuple[int, ...]         # glyph id → advance width, 1000 units per em
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    italic_angle: float
    bold: bool
    tables: dict[bytes, bytes]

    def char_widths(self) -> dict[str, int]:
        """Character → advance width (1000 units per em) for every character the font maps."""
        widths = self.widths
        return {chr(code): widths[gid] for code, gid in self.glyph_of.items()}

    def subset(self, glyphs) -> bytes:
        """A TrueType file that keeps the glyph ids but holds outlines only for `glyphs` (and .notdef)."""
        return _subset(self, frozenset(glyphs))


@lru_cache(maxsize=8)
def load(path: Path) -> TrueTypeFont:
    """The font at `path`, parsed once per process."""
    data = Path(path).read_bytes()
    tables = _tables(data)
    for tag in (b"head", b"hhea", b"hmtx", b"maxp", b"cmap", b"loca", b"glyf"):
        if tag not in tables:
            raise FontError(f"{path}: no {tag.decode()!r} table (not a TrueType font with outlines?)")
    head, hhea = tables[b"head"], tables[b"hhea"]
    units = struct.unpack_from(">H", head, 18)[0]
    bbox = struct.unpack_from(">4h", head, 36)
    mac_style = struct.unpack_from(">H", head, 44)[0]
    ascent, descent = struct.unpack_from(">2h", hhea, 4)
    count = struct.unpack_from(">H", tables[b"maxp"], 4)[0]
    metrics = struct.unpack_from(">H", hhea, 34)[0]
    advances = struct.unpack_from(f">{metrics * 2}H", tables[b"hmtx"])[::2]
    advances += (advances[-1],) * (count - metrics)
    glyph_of = _cmap(tables[b"cmap"], count)
    cap_height = None
    os2 = tables.get(b"OS/2", b"")
    if len(os2) >= 78:
        ascent, descent = struct.unpack_from(">2h", os2, 68)
        if struct.unpack_from(">H", os2, 0)[0] >= 2 and len(os2) >= 90:
            cap_height = struct.unpack_from(">h", os2, 88)[0]
    if cap_height is None:  # older OS/2 tables do not say: the top of "H"
        cap_height = _glyph_top(tables, glyph_of.get(ord("H"), 0), count) or ascent
    post = tables.get(b"post", b"")
    angle = struct.unpack_from(">i", post, 4)[0] / 65536 if len(post) >= 8 else 0.0

    def scaled(value: int) -> int:
        return round(value * 1000 / units)

    return TrueTypeFont(
        path=Path(path), postscript_name=_postscript_name(tables.get(b"name", b""), Path(path).stem),
        units_per_em=units, glyph_of=glyph_of,
        widths=tuple(scaled(a) for a in advances), ascent=scaled(ascent), descent=scaled(descent),
        cap_height=scaled(cap_height), bbox=tuple(scaled(v) for v in bbox), italic_angle=angle,
        bold=bool(mac_style & 1), tables={tag: tables[tag] for tag in EMBEDDED_TABLES if tag in tables})


def _tables(data: bytes) -> dict[bytes, bytes]:
    if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        raise FontError("not a TrueType font file")
    count = struct.unpack_from(">H", data, 4)[0]
    tables = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4s3L", data, 12 + 16 * i)
        tables[tag] = data[offset:offset + length]
    return tables


def _postscript_name(table: bytes, fallback: str) -> str:
    """Name id 6 (the PostScript name), from a Windows (UTF-16) or Mac (Roman) record."""
    if len(table) < 6:
        return fallback
    count, strings = struct.unpack_from(">2H", table, 2)
    for i in range(count):
        platform, _encoding, _language, name_id, length, offset = struct.unpack_from(">6H", table, 6 + 12 * i)
        if name_id == 6:
            raw = table[strings + offset:strings + offset + length]
            name = raw.decode("utf-16-be" if platform in (0, 3) else "latin-1", "replace")
            name = "".join(ch for ch in name if ch.isascii() and ch.isprintable() and ch not in " []()<>{}/%#")
            if name:
                return name
    return fallback


def _cmap(table: bytes, glyph_count: int) -> dict[int, int]:
    """Code point → glyph id from the best Unicode subtable: format 12 (full range) before format 4 (BMP)."""
    count = struct.unpack_from(">H", table, 2)[0]
    found: dict[int, int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">2HL", table, 4 + 8 * i)
        if not (platform == 0 or (platform == 3 and encoding in (1, 10))):
            continue
        kind = struct.unpack_from(">H", table, offset)[0]
        if kind == 12 and 12 not in found:
            found[12] = offset
        elif kind == 4 and 4 not in found:
            found[4] = offset
    if 12 in found:
        mapping = _cmap12(table, found[12])
    elif 4 in found:
        mapping = _cmap4(table, found[4])
    else:
        raise FontError("no Unicode character map (cmap format 4 or 12)")
    return {code: gid for code, gid in mapping.items() if 0 < gid < glyph_count}


def _cmap4(table: bytes, at: int) -> dict[int, int]:
    segments = struct.unpack_from(">H", table, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", table, at + 14)
    starts = struct.unpack_from(f">{segments}H", table, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", table, at + 16 + 4 * segments)
    range_at = at + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", table, range_at)
    mapping = {}
    for i, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, offsets)):
        for code in range(start, min(end, 0xFFFE) + 1):
            if offset == 0:
                gid = (code + delta) & 0xFFFF
            else:
                gid = struct.unpack_from(">H", table, range_at + 2 * i + offset + 2 * (code - start))[0]
                if gid:
                    gid = (gid + delta) & 0xFFFF
            if gid:
                mapping[code] = gid
    return mapping


def _cmap12(table: bytes, at: int) -> dict[int, int]:
    groups = struct.unpack_from(">L", table, at + 12)[0]
    mapping = {}
    for i in range(groups):
        first, last, gid = struct.unpack_from(">3L", table, at + 16 + 12 * i)
        for code in range(first, last + 1):
            mapping[code] = gid + code - first
    return mapping


def _glyph_offsets(tables: dict[bytes, bytes], glyph_count: int) -> tuple[int, ...]:
    head, loca = tables[b"head"], tables[b"loca"]
    if struct.unpack_from(">h", head, 50)[0] == 0:
        return tuple(2 * v for v in struct.unpack_from(f">{glyph_count + 1}H", loca))
    return struct.unpack_from(f">{glyph_count + 1}L", loca)


def _glyph_top(tables: dict[bytes, bytes], gid: int, glyph_count: int) -> int:
    """The highest point of a glyph's outline (0 for an empty glyph)."""
    offsets = _glyph_offsets(tables, glyph_count)
    if offsets[gid + 1] - offsets[gid] < 10:
        return 0
    return struct.unpack_from(">h", tables[b"glyf"], offsets[gid] + 8)[0]


def _components(glyph: bytes) -> list[int]:
    """The glyph ids a composite glyph is built from (none for a simple glyph)."""
    if len(glyph) < 10 or struct.unpack_from(">h", glyph, 0)[0] >= 0:
        return []
    found, at = [], 10
    while True:
        flags, gid = struct.unpack_from(">2H", glyph, at)
        found.append(gid)
        at += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        at += 8 if flags & _HAS_TWO_BY_TWO else 4 if flags & _HAS_XY_SCALE else 2 if flags & _HAS_SCALE else 0
        if not flags & _MORE_COMPONENTS:
            return found


def _subset(font: TrueTypeFont, wanted: frozenset[int]) -> bytes:
    offsets = _glyph_offsets(font.tables, len(font.widths))
    glyf = font.tables[b"glyf"]
    keep, todo = set(), [0, *wanted]
    while todo:
        gid = todo.pop()
        if gid not in keep and gid < len(font.widths):
            keep.add(gid)
            todo += _components(glyf[offsets[gid]:offsets[gid + 1]])
    count = max(keep) + 1  # glyphs past the last one kept are dropped; ids below it stay where they are
    hmtx = font.tables[b"hmtx"]
    metrics = struct.unpack_from(">H", font.tables[b"hhea"], 34)[0]
    outlines, loca, metrics_out = [], [0], []
    for gid in range(count):
        if gid in keep:
            data = glyf[offsets[gid]:offsets[gid + 1]]
            data += b"\0" * (-len(data) % 4)
            advance = struct.unpack_from(">H", hmtx, 4 * min(gid, metrics - 1))[0]
            lsb_at = 4 * gid + 2 if gid < metrics else 4 * metrics + 2 * (gid - metrics)
            lsb = struct.unpack_from(">h", hmtx, lsb_at)[0]
        else:
            data, advance, lsb = b"", 0, 0
        outlines.append(data)
        loca.append(loca[-1] + len(data))
        metrics_out.append(struct.pack(">Hh", advance, lsb))
    tables = dict(font.tables)
    tables[b"glyf"] = b"".join(outlines)
    tables[b"loca"] = struct.pack(f">{count + 1}L", *loca)
    tables[b"hmtx"] = b"".join(metrics_out)
    tables[b"hhea"] = tables[b"hhea"][:34] + struct.pack(">H", count) + tables[b"hhea"][36:]
    tables[b"maxp"] = tables[b"maxp"][:4] + struct.pack(">H", count) + tables[b"maxp"][6:]
    head = bytearray(tables[b"head"])
    head[8:12] = b"\0\0\0\0"  # checkSumAdjustment, set once the whole file is known
    head[50:52] = struct.pack(">h", 1)  # long loca offsets
    tables[b"head"] = bytes(head)
    return _assemble(tables)


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


def _assemble(tables: dict[bytes, bytes]) -> bytes:
    """A font file of `tables` (sorted by tag, 4-byte aligned) with correct checksums."""
    tags = sorted(tables)
    power = 1
    while power * 2 <= len(tags):
        power *= 2
    header = struct.pack(">L4H", 0x00010000, len(tags), power * 16, power.bit_length() - 1, (len(tags) - power) * 16)
    offset = 12 + 16 * len(tags)
    records, bodies, head_at = [], [], 0
    for tag in tags:
        data = tables[tag]
        if tag == b"head":
            head_at = offset
        records.append(struct.pack(">4s3L", tag, _checksum(data), offset, len(data)))
        padded = data + b"\0" * (-len(data) % 4)
        bodies.append(padded)
        offset += len(padded)
    font = bytearray(header + b"".join(records) + b"".join(bodies))
    adjustment = (_CHECKSUM_MAGIC - _checksum(bytes(font))) & 0xFFFFFFFF
    font[head_at + 8:head_at + 12] = struct.pack(">L", adjustment)
    return bytes(font)
