"""The timeline picture: fixed size, every dancer and section on it, repeatable bytes."""

import re
from io import BytesIO

import pytest

from export_samples import sample_performance

from sequencer.export import picture


@pytest.mark.slow
def test_png_has_the_expected_size_and_is_repeatable(tmp_path):
    from PIL import Image
    perf = sample_performance()
    picture.write_png(perf, tmp_path / "t.png")
    data = (tmp_path / "t.png").read_bytes()
    with Image.open(BytesIO(data)) as img:
        assert img.size == (picture.WIDTH_PX, picture.HEIGHT_PX)
        colours = img.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20  # drawn, not blank
    assert picture.to_png(sample_performance()) == data


@pytest.mark.slow
def test_svg_names_sections_and_dancers_without_a_date():
    perf = sample_performance()
    with_text = picture.to_svg(perf)
    assert with_text.startswith(b"<?xml") and b"<svg" in with_text
    assert b"<dc:date>" not in with_text
    # text is drawn as paths; matplotlib keeps each string as a comment beside its glyphs
    texts = re.findall(r"<!-- (.*?) -->", with_text.decode("utf-8"))
    assert all(f"{sec.index + 1}. {sec.name}" in texts for sec in perf.sections)
    assert all(dancer.name in texts for dancer in perf.cast)
    assert picture.to_svg(sample_performance()) == with_text


def test_category_colours_are_stable_and_distinct():
    colours = picture.category_colours(["power", "freeze", "spin", "glide"])
    assert colours["power"] == picture.category_colours(["power"])["power"]
    assert len(set(colours.values())) == 4


def test_every_category_has_a_hatch_a_greyscale_print_keeps():
    from sequencer.categories import CATEGORIES
    hatches = {(picture.category_hatch(c), cat.finisher) for c, cat in CATEGORIES.items() if cat.pattern != "none"}
    assert len(hatches) == sum(1 for cat in CATEGORIES.values() if cat.pattern != "none")
    assert picture.category_hatch("unknown-style") == ""
