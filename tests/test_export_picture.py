"""The timeline picture: fixed size, every dancer and section on it, category inks and hatches that survive a
greyscale print, labels only where they fit, repeatable bytes. PNGs are read back with Pillow, SVGs with
xml.etree."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest

from export_samples import sample_performance

from sequencer.categories import CATEGORIES
from sequencer.export import picture, picture_text
from sequencer.export.picture_items import HATCHES, Line, Rects, Text
from sequencer.export.picture_layout import BOTTOM, LEFT, RIGHT, TOP, layout
from sequencer.performance import MoveCue

SVG, XLINK = "{http://www.w3.org/2000/svg}", "{http://www.w3.org/1999/xlink}"


def _one_move_per_category():
    """A one-dancer show whose moves are one long bar per category of the table, in order."""
    perf = sample_performance(cast=("Solo",))
    step = perf.end_ticks // len(CATEGORIES)
    cues = tuple(MoveCue("Solo", name, name, name, 0, i * step, step, "floor", "floor")
                 for i, name in enumerate(CATEGORIES))
    return replace(perf, cues=cues)


def _image(data: bytes):
    from PIL import Image
    with Image.open(BytesIO(data)) as img:
        img.load()
        return img.convert("RGB")


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


@pytest.mark.slow
def test_png_has_the_expected_size_and_is_repeatable(tmp_path):
    perf = sample_performance()
    picture.write_png(perf, tmp_path / "t.png")
    data = (tmp_path / "t.png").read_bytes()
    img = _image(data)
    assert img.size == (picture.WIDTH_PX, picture.HEIGHT_PX)
    colours = img.getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20  # drawn, not blank
    assert picture.to_png(sample_performance()) == data
    chunks, at = set(), 8
    while at < len(data):  # no date, software or text chunk that could change between runs
        chunks.add(data[at + 4:at + 8])
        at += 12 + int.from_bytes(data[at:at + 4], "big")
    assert chunks == {b"IHDR", b"IDAT", b"IEND"}


@pytest.mark.slow
def test_png_bars_carry_each_categorys_ink_and_a_hatch_that_survives_greyscale():
    import numpy as np
    img = _image(picture.to_png(_one_move_per_category())).crop((LEFT + 2, TOP + 2, RIGHT - 2, BOTTOM - 2))
    rgb, grey = np.asarray(img), np.asarray(img.convert("L"))
    for name, category in CATEGORIES.items():
        ys, xs = np.nonzero((rgb == _rgb(category.ink)).all(axis=2))
        assert len(xs) > 200, f"{name}: its ink {category.ink} is missing from the lanes"
        x0, x1, y0, y1 = *np.percentile(xs, (25, 75)).astype(int), *np.percentile(ys, (25, 75)).astype(int)
        dark = (grey[y0:y1, x0:x1] < 75).mean()
        if category.pattern == "none":
            assert dark == 0, name
        else:
            assert dark > 0.04, f"{name}: no {category.pattern} hatch visible in greyscale"


@pytest.mark.slow
@pytest.mark.parametrize("fmt, wanted", [("svg", set()), ("png", {"PIL"})])
def test_the_svg_loads_no_large_library_and_the_png_only_pillow(fmt, wanted):
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
            "from export_samples import sample_performance\n"
            "from sequencer.export import picture\n"
            f"picture.to_{fmt}(sample_performance())\n"
            "print(' '.join(m for m in ('PIL', 'numpy', 'matplotlib', 'fpdf', 'music21') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(done.stdout.split()) == wanted


def test_svg_parses_and_names_the_show_sections_dancers_and_categories():
    perf = sample_performance()
    data = picture.to_svg(perf)
    assert data.startswith(b"<?xml") and picture.to_svg(sample_performance()) == data
    root = ET.fromstring(data)
    assert (root.get("width"), root.get("height")) == (str(picture.WIDTH_PX), str(picture.HEIGHT_PX))
    assert root.find(f"{SVG}title").text.startswith("Sample show")
    words = " ".join(t.text for t in root.iter(f"{SVG}text"))
    assert all(f"{sec.index + 1}. {sec.name}" in words for sec in perf.sections)
    assert all(dancer.name in words for dancer in perf.cast)
    assert "footwork" in words and "valence" in words and "time (m:ss)" in words


def test_svg_has_a_pattern_for_every_hatched_category_and_uses_it():
    data = picture.to_svg(_one_move_per_category())
    root = ET.fromstring(data)
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    fills = {e.get("fill") for e in root.iter() if e.tag in (f"{SVG}path", f"{SVG}use")}
    paths = {p.get("id") for p in root.iter(f"{SVG}path")}
    assert all(u.get(f"{XLINK}href")[1:] in paths for u in root.iter(f"{SVG}use"))
    for category in CATEGORIES.values():
        if category.pattern != "none":
            assert f"hatch-{category.pattern}" in patterns
            assert f"url(#hatch-{category.pattern})" in fills
        assert category.ink in fills
    assert b"font-family=\"DejaVu Sans, sans-serif\"" in data


def _text_box(item: Text) -> tuple[float, float, float, float]:
    wide = picture_text.width(item.text, item.size, item.bold)
    x0 = item.x - {"left": 0, "middle": wide / 2, "right": wide}[item.align]
    return x0, item.y - picture_text.ascent(item.size), x0 + wide, item.y + picture_text.descent(item.size)


def _assert_labels_fit(perf):
    """Every text inside the picture, over no other text and crossed by no upright line left visible."""
    items = layout(perf).items
    texts = [(i, _text_box(t), t.text) for i, t in enumerate(items) if isinstance(t, Text)]
    for _, (x0, y0, x1, y1), words in texts:
        assert 0 <= x0 and x1 <= picture.WIDTH_PX and 0 <= y0 and y1 <= picture.HEIGHT_PX, words
    by_left = sorted(texts, key=lambda t: t[1][0])
    for n, (_, a, first) in enumerate(by_left):
        for _, b, second in by_left[n + 1:]:
            if b[0] >= a[2]:
                break
            assert not (a[1] < b[3] and b[1] < a[3]), (first, second)
    upright = [(i, line.points) for i, line in enumerate(items) if isinstance(line, Line)
               and len(line.points) == 2 and line.points[0][0] == line.points[1][0]]
    covers = [(i, box) for i, r in enumerate(items) if isinstance(r, Rects) and r.fill for box in r.boxes]
    for at, (x0, y0, x1, y1), words in texts:
        for drawn, ((x, top), (_, bottom)) in upright:
            if x0 < x < x1 and y0 < max(top, bottom) and min(top, bottom) < y1:
                assert any(drawn < i < at and b[0] <= x0 and b[1] <= y0 and x1 <= b[2] and y1 <= b[3]
                           for i, b in covers), (words, x)  # crossed, unless an opaque box drawn since hides it
    return [words for _, _, words in texts]


def test_labels_never_overlap_each_other_or_a_divider():
    words = _assert_labels_fit(sample_performance())
    assert "1. Alone at night" in words


def test_a_show_of_many_sections_labels_only_the_bands_with_room():
    perf = sample_performance(repeat=10)
    words = _assert_labels_fit(perf)
    numbers = [w for w in words if w[:1].isdigit() and w.split()[0].endswith(".")]
    assert numbers and len(numbers) < len(perf.sections)
    assert all(len(w) > 4 for w in words if w.endswith("…"))  # a cut word keeps enough to be read
    picture.to_svg(perf)


def test_a_one_dancer_show_lays_out():
    perf = sample_performance(cast=("Solo",))
    words = _assert_labels_fit(perf)
    assert "Solo" in words
    assert _image(picture.to_png(perf)).size == (picture.WIDTH_PX, picture.HEIGHT_PX)


def _bars(perf) -> list[tuple[str, tuple]]:
    """(fill, box) of every rectangle in the moves panel."""
    top = max(box[1] for item in layout(perf).items if isinstance(item, Rects) for box in item.boxes
              if box[0] == LEFT and box[2] == RIGHT)  # the last panel frame
    return [(item.fill, box) for item in layout(perf).items if isinstance(item, Rects) and item.fill
            for box in item.boxes if top <= box[1] and box[3] <= BOTTOM]


def test_moves_past_the_shows_end_are_clipped_to_the_time_axis():
    perf = sample_performance(cast=("A", "B", "C", "D", "E", "F"))  # the later dancers' offsets run past the end
    assert max(c.end_ticks for c in perf.cues) > perf.end_ticks
    boxes = [box for _, box in _bars(perf)]
    assert boxes and all(LEFT <= x0 < x1 <= RIGHT for x0, _, x1, _ in boxes)


def test_a_long_section_name_wraps_within_its_band_and_ends_in_an_ellipsis():
    sections = (("A very long section name that goes on and on about the night and the rain and the city", "grief",
                 2, "4/4", 80, 80, "D", "minor", -0.5, -0.5, 2),) * 12
    words = _assert_labels_fit(sample_performance(sections=sections))
    assert any(w.endswith("…") for w in words)


def test_text_width_fit_and_wrap():
    assert picture_text.width("", 12) == 0
    assert picture_text.width("WW", 12, bold=True) > picture_text.width("ii", 12)
    assert picture_text.width("é", 12) == picture_text.width("e", 12)
    assert picture_text.fit("short", 1000, 12) == "short"
    cut = picture_text.fit("a longer label", 40, 12)
    assert cut.endswith("…") and picture_text.width(cut, 12) <= 40
    assert picture_text.fit("label", 1, 12) == ""
    lines = picture_text.wrap("one two three four five six seven", 60, 12, lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(picture_text.width(line, 12) <= 60 for line in lines)
    assert picture_text.wrap("Kazakhstanification and more", 50, 12, lines=3) == ["Kazak…"]


def test_moves_under_a_pixel_merge_with_their_neighbours_of_the_same_category():
    perf = sample_performance(cast=("Solo",))
    step = perf.end_ticks // 3000  # about half a pixel each; ten in a row share a category
    kinds = ("toprock", "footwork", "power")
    cues = tuple(MoveCue("Solo", "m", "m", kinds[i // 10 % 3], 0, i * step, step, "floor", "floor")
                 for i in range(3000))
    bars = _bars(replace(perf, cues=cues))
    assert len(bars) <= 300 + 3
    assert {fill for fill, _ in bars} == {CATEGORIES[k].ink for k in kinds}
    covered = sum(x1 - x0 for _, (x0, _, x1, _) in bars)
    assert covered == pytest.approx((RIGHT - LEFT) * perf.seconds(3000 * step) / perf.length_s, abs=1)  # no gaps


def test_category_colours_are_stable_and_distinct():
    colours = picture.category_colours(["power", "freeze", "spin", "glide"])
    assert colours["power"] == picture.category_colours(["power"])["power"]
    assert len(set(colours.values())) == 4


def test_every_category_has_a_hatch_a_greyscale_print_keeps():
    hatches = {(picture.category_hatch(c), cat.finisher) for c, cat in CATEGORIES.items() if cat.pattern != "none"}
    assert len(hatches) == sum(1 for cat in CATEGORIES.values() if cat.pattern != "none")
    assert all(picture.category_hatch(c) in HATCHES for c, cat in CATEGORIES.items() if cat.pattern != "none")
    assert picture.category_hatch("unknown-style") == "none"
