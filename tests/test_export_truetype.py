"""The TrueType reader and subsetter, checked against fontTools (matplotlib's font library) and the format's rules."""

import struct

import pytest

from sequencer.export import truetype
from sequencer.export.fonts import dejavu_sans

FONTS = dejavu_sans()
pytestmark = pytest.mark.skipif(FONTS is None, reason="DejaVu Sans is not installed (matplotlib carries it)")
TEXT = "Бахыт → Lena… é 8-count"


def _tables(data: bytes) -> dict[bytes, tuple[int, bytes]]:
    count = struct.unpack_from(">H", data, 4)[0]
    found = {}
    for i in range(count):
        tag, checksum, offset, length = struct.unpack_from(">4s3L", data, 12 + 16 * i)
        found[tag] = (checksum, data[offset:offset + length])
    return found


def _sum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


@pytest.fixture(scope="module")
def regular():
    return truetype.load(FONTS[0])


def test_a_font_is_parsed_once(regular):
    assert truetype.load(FONTS[0]) is regular
    assert truetype.load(FONTS[1]).bold and not regular.bold
    assert regular.postscript_name == "DejaVuSans"


@pytest.fixture(scope="module")
def reference():
    """The same font as fontTools reads it."""
    return pytest.importorskip("fontTools.ttLib").TTFont(str(FONTS[0]))


@pytest.mark.slow
def test_characters_widths_and_metrics_agree_with_fonttools(regular, reference):
    font = reference
    order, cmap, metrics = font.getGlyphOrder(), font.getBestCmap(), font["hmtx"].metrics
    units = font["head"].unitsPerEm
    for ch in TEXT:
        gid = regular.glyph_of[ord(ch)]
        assert order[gid] == cmap[ord(ch)]
        assert regular.widths[gid] == round(metrics[cmap[ord(ch)]][0] * 1000 / units)
    assert len(regular.glyph_of) == len([c for c, name in cmap.items() if order.index(name) > 0])
    assert regular.ascent == round(font["OS/2"].sTypoAscender * 1000 / units)
    assert regular.descent < 0 < regular.cap_height < regular.ascent


@pytest.mark.slow
def test_a_subset_keeps_glyph_ids_and_only_the_outlines_drawn(regular, reference):
    import io

    from fontTools import ttLib as ttlib
    wanted = {regular.glyph_of[ord(ch)] for ch in TEXT}
    subset = ttlib.TTFont(io.BytesIO(regular.subset(wanted)))
    full = reference
    order = full.getGlyphOrder()
    glyf, full_glyf = subset["glyf"], full["glyf"]
    kept = set()
    for gid in range(subset["maxp"].numGlyphs):
        glyph = glyf[subset.getGlyphOrder()[gid]]
        if glyph.numberOfContours:
            kept.add(gid)
            assert glyph.getCoordinates(glyf)[0] == full_glyf[order[gid]].getCoordinates(full_glyf)[0]
    assert full_glyf[order[regular.glyph_of[ord("é")]]].isComposite()  # its parts must come along, or "é" is empty
    parts, todo = set(), list(wanted)
    while todo:
        named = full_glyf[order[todo.pop()]].getComponentNames(full_glyf)
        todo += [order.index(name) for name in named]
        parts |= {order.index(name) for name in named}
    assert parts - wanted  # glyphs drawn only as parts of others (the acute of "é")
    assert wanted - {regular.glyph_of[ord(" ")]} <= kept and parts <= kept
    assert kept <= wanted | parts | {0}


def test_a_subset_holds_only_what_a_pdf_viewer_reads_with_correct_checksums(regular):
    data = regular.subset([regular.glyph_of[ord(ch)] for ch in TEXT])
    tables = _tables(data)
    assert set(tables) <= set(truetype.EMBEDDED_TABLES) and {b"glyf", b"loca", b"head", b"hmtx"} <= set(tables)
    for tag, (checksum, body) in tables.items():
        if tag == b"head":
            body = body[:8] + b"\0\0\0\0" + body[12:]
        assert checksum == _sum(body), tag
    assert _sum(data) == 0xB1B0AFBA  # what head.checkSumAdjustment is for
    assert len(data) < FONTS[0].stat().st_size / 10


def test_the_same_glyphs_give_the_same_bytes(regular):
    glyphs = [regular.glyph_of[ord(ch)] for ch in TEXT]
    assert regular.subset(glyphs) == regular.subset(reversed(glyphs))


def test_a_file_that_is_not_a_truetype_font_is_refused(tmp_path):
    (tmp_path / "x.ttf").write_bytes(b"%PDF-1.4 not a font")
    with pytest.raises(truetype.FontError):
        truetype.load(tmp_path / "x.ttf")
