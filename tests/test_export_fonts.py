"""The sheet and the timeline picture share one font, DejaVu Sans; without it they say what to install."""

import pytest

from sequencer.errors import MissingToolError
from sequencer.export import fonts, picture, picture_png, picture_text, sheet_pdf
from sequencer.export.truetype import load

from export_samples import sample_performance


def test_the_font_is_found_regular_and_bold():
    regular, bold = fonts.required_dejavu_sans("a test")
    assert load(regular).postscript_name == "DejaVuSans" and load(bold).postscript_name == "DejaVuSans-Bold"


@pytest.fixture
def no_font(monkeypatch):
    monkeypatch.setattr(fonts, "dejavu_sans", lambda: None)
    for cached in (picture_text._metrics, picture_png._font):
        cached.cache_clear()
    yield
    for cached in (picture_text._metrics, picture_png._font):
        cached.cache_clear()


@pytest.mark.parametrize("write, what", [(sheet_pdf.to_bytes, "the PDF sheet"), (picture.to_svg, "the timeline picture"),
                                         (picture.to_png, "the timeline picture")])
def test_without_the_font_each_writer_says_what_to_install(no_font, write, what):
    with pytest.raises(MissingToolError, match=f"{what} needs the DejaVu Sans font.*pip install matplotlib"):
        write(sample_performance())
