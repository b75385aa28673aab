"""The PDF writer, read back with poppler (pdftotext, pdffonts, pdfinfo, pdftoppm), pdfplumber and qpdf."""

import re
import shutil
import subprocess

import pytest

from sequencer.export.fonts import dejavu_sans
from sequencer.export.pdf_file import Document

FONTS = dejavu_sans()
pytestmark = pytest.mark.skipif(FONTS is None, reason="DejaVu Sans is not installed (matplotlib carries it)")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                   reason="poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed")
LINES = (("Бахыт → Lena… 8-count", False), ("Windmill · Airchair (pin) ↔ é", True), ("page 1 of 2", False))


def _document(paper="a4", orientation="portrait", footer=None, fonts=FONTS) -> Document:
    """Two pages: three lines of text at 12 pt on the first, a square form placed twice on the second."""
    doc = Document(paper, orientation, "Бахыт — a test", footer=footer)
    faces = [doc.add_font(path) for path in fonts]
    doc.add_page()
    for i, (text, bold) in enumerate(LINES):
        face = faces[bold] if len(faces) > 1 else faces[0]
        doc.out(f"BT /{face.resource} 12 Tf 72 {700 - 20 * i} Td {face.encode(text)} Tj ET")
    doc.add_page()
    square = doc.form("square", lambda: "0 g 0 0 50 50 re f", "50", "50")
    assert doc.form("square", lambda: "1 g", "50", "50") == square  # drawn once, placed many times
    doc.out(f"q 1 0 0 1 100 600 cm /{square} Do Q q 1 0 0 1 300 200 cm /{square} Do Q")
    return doc


def _run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@needs_poppler
def test_text_reads_back_as_drawn(tmp_path):
    (tmp_path / "t.pdf").write_bytes(_document().output())
    lines = [line.strip() for line in _run("pdftotext", "-f", "1", "-l", "1", str(tmp_path / "t.pdf"), "-")
             .splitlines() if line.strip()]
    assert lines == [text for text, _ in LINES]


@pytest.mark.slow
def test_character_positions_agree_with_the_widths_the_writer_gives():
    pdfplumber = pytest.importorskip("pdfplumber")
    import io
    doc = _document()
    with pdfplumber.open(io.BytesIO(doc.output())) as pdf:
        chars = pdf.pages[0].chars
    faces = list(doc.fonts.values())
    at = 0
    for text, bold in LINES:
        face = faces[bold]
        for i, ch in enumerate(text):
            assert chars[at]["text"] == ch
            assert chars[at]["x0"] == pytest.approx(72 + face.width(text[:i]) * 12 / 1000, abs=0.01), (text, i)
            at += 1
        assert chars[at - 1]["x1"] == pytest.approx(72 + face.width(text) * 12 / 1000, abs=0.01)


@needs_poppler
def test_fonts_are_embedded_as_subsets_with_a_unicode_map(tmp_path):
    (tmp_path / "t.pdf").write_bytes(_document().output())
    rows = _run("pdffonts", str(tmp_path / "t.pdf")).splitlines()[2:]
    names = sorted(re.sub("^[A-Z]{6}[+]", "ABCDEF+", row.split()[0]) for row in rows)
    assert names == ["ABCDEF+DejaVuSans", "ABCDEF+DejaVuSans-Bold"]
    assert all(row.split()[-5:-2] == ["yes", "yes", "yes"] for row in rows)  # embedded, subset, ToUnicode


@needs_poppler
def test_a_font_never_drawn_is_not_embedded_and_one_drawn_only_as_notdef_is(tmp_path):
    doc = _document(fonts=FONTS[:1])
    doc.add_font(FONTS[1])
    (tmp_path / "t.pdf").write_bytes(doc.output())
    assert len(_run("pdffonts", str(tmp_path / "t.pdf")).splitlines()[2:]) == 1
    doc = _document(fonts=FONTS[:1])
    face = doc.add_font(FONTS[1])
    doc.out(f"BT /{face.resource} 12 Tf 72 72 Td {face.encode(chr(0x1F98A))} Tj ET")  # a fox: not in the font
    (tmp_path / "t.pdf").write_bytes(doc.output())
    assert len(_run("pdffonts", str(tmp_path / "t.pdf")).splitlines()[2:]) == 2
    assert "Syntax Error" not in subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True,
                                                text=True).stderr


@needs_poppler
@pytest.mark.parametrize("paper, orientation, size", [("a4", "portrait", "595.28 x 841.89"),
                                                      ("letter", "landscape", "792 x 612")])
def test_pdfinfo_reads_pages_paper_and_title(tmp_path, paper, orientation, size):
    (tmp_path / "t.pdf").write_bytes(_document(paper, orientation).output())
    info = dict(line.split(":", 1) for line in _run("pdfinfo", str(tmp_path / "t.pdf")).splitlines())
    assert info["Pages"].strip() == "2" and size in info["Page size"]
    assert info["Title"].strip() == "Бахыт — a test" and info["Producer"].strip() == "sequencer"


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_qpdf_finds_no_fault(tmp_path):
    (tmp_path / "t.pdf").write_bytes(_document().output())
    done = subprocess.run(["qpdf", "--check", str(tmp_path / "t.pdf")], capture_output=True, text=True)
    assert done.returncode == 0 and "No syntax or stream encoding errors" in done.stdout, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_a_form_is_painted_wherever_it_is_placed(tmp_path):
    from PIL import Image
    (tmp_path / "t.pdf").write_bytes(_document().output())
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", "2", "-l", "2", "-png", str(tmp_path / "t.pdf"),
                    str(tmp_path / "p")], check=True, capture_output=True)
    with Image.open(next(tmp_path.glob("p*.png"))) as image:
        page = image.convert("L")
        height = page.size[1]
        dark = [page.getpixel((x, height - y)) < 50 for x, y in ((125, 625), (325, 225), (225, 425), (75, 575))]
    assert dark == [True, True, False, False]  # inside each placed square, and beside them


def test_same_pages_same_bytes_and_footers_drawn_once():
    calls = []

    def footer(number, pages):
        calls.append((number, pages))

    doc = _document(footer=footer)
    first = doc.output()
    assert doc.output() == first and calls == [(1, 2), (2, 2)]
    assert _document(footer=footer).output() == first
    assert first.startswith(b"%PDF-1.4") and b"/CreationDate (D:20000101" in first
    assert _document("letter").output() != first
