"""The printable sheet, checked as a reader would: its text, its pages, its paper size, its pixels."""

import re
import shutil
import subprocess

import pytest
from export_samples import sample_performance

from sequencer.errors import InputError
from sequencer.export import sheet_pdf
from sequencer.export.sheet import build_sheet

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
                                   reason="poppler-utils (pdftotext, pdfinfo) is not installed")


@pytest.fixture(scope="module")
def perf():
    return sample_performance()


@pytest.fixture(scope="module")
def pdf_file(perf, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "show.sheet.pdf"
    sheet_pdf.write(perf, path)
    return path


def _text(path, *args) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def _info(path) -> dict:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


@pytest.mark.slow
@needs_poppler
def test_every_section_dancer_and_move_is_printed(perf, pdf_file):
    text = _text(pdf_file)
    assert "Sample show" in text
    for sec in perf.sections:
        assert f"{sec.index + 1}. {sec.name}" in text
    for dancer in perf.cast:
        assert dancer.name in text  # Cyrillic through the embedded Unicode font
    for cue in perf.cues:
        assert cue.name in text, cue


def _words(path):
    """(page, x, y, word) of every word, in points, from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        found = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', line)
        if found:
            x, y0, y1, word = float(found[1]), float(found[2]), float(found[3]), found[4]
            words.append((page, x, (y0 + y1) / 2, word))
    return words


@pytest.mark.slow
@needs_poppler
def test_every_move_is_written_at_its_count(perf, tmp_path):
    """Each move's label is printed inside its 8-count's row, its dancer's lane, from its count on."""
    painter = sheet_pdf._Painter(build_sheet(perf), "a4")
    painter.draw()
    (tmp_path / "s.pdf").write_bytes(bytes(painter.pdf.output()))
    words = _words(tmp_path / "s.pdf")
    pt = 72 / 25.4
    rows = [row for sec in painter.sheet.sections for row in sec.rows]
    checked, owed = 0, {}
    for row, (page, top, _bottom) in zip(rows, painter.placed):
        for k, lane in enumerate(row.lanes):
            y0 = (top + painter.music_height(row) + k * sheet_pdf.DANCER_LANE_MM) * pt
            y1 = y0 + sheet_pdf.DANCER_LANE_MM * pt
            for span in lane.spans:
                x0 = (painter.grid_x + float(span.start_counts) * painter.count_w) * pt
                x1 = (painter.grid_x + float(span.end_counts) * painter.count_w) * pt
                inside = [w for p, x, y, w in words if p == page and y0 <= y <= y1 and x0 <= x <= x1]
                first_word = span.name.split()[0]
                if span.continued and owed.pop(lane.dancer, None) == span.move:
                    assert first_word in inside, (row.eight_count, span)  # named in full where it goes on
                elif not span.continued:
                    checked += 1
                    if span.continues and span.end_counts - span.start_counts < 1 and first_word not in inside:
                        owed[lane.dancer] = span.move  # a sliver at the row's end: named on the next row
                        continue
                    assert first_word in inside, (row.eight_count, span)
    assert not owed
    assert checked == sum(1 for sec in painter.sheet.sections for r in sec.rows for ln in r.lanes
                          for s in ln.spans if not s.continued) > 20


@pytest.mark.slow
@needs_poppler
def test_paper_sizes(perf, tmp_path):
    sheet_pdf.write(perf, tmp_path / "a4.pdf", paper="a4")
    sheet_pdf.write(perf, tmp_path / "letter.pdf", paper="letter")
    assert "595.28 x 841.89" in _info(tmp_path / "a4.pdf")["Page size"]
    assert "612 x 792" in _info(tmp_path / "letter.pdf")["Page size"]
    with pytest.raises(InputError):
        sheet_pdf.to_bytes(perf, paper="a3")


@pytest.mark.slow
@needs_poppler
def test_page_count_is_sane_and_footer_numbers_pages(perf, pdf_file):
    pages = int(_info(pdf_file)["Pages"])
    rows = build_sheet(perf).rows
    assert 1 <= pages <= rows
    text = _text(pdf_file)
    assert f"page 1 of {pages}" in text and f"page {pages} of {pages}" in text
    assert "sample.yaml" in text


@pytest.mark.slow
def test_an_eight_count_never_splits_across_pages():
    perf = sample_performance(cast=("Бахыт", "Lena", "Aru", "Timur"), repeat=4)
    painter = sheet_pdf._Painter(build_sheet(perf), "letter")
    painter.draw()
    painter.pdf.output()  # also closes the font files
    assert len(painter.placed) == build_sheet(perf).rows
    assert len({page for page, *_ in painter.placed}) > 2
    for page, top, bottom in painter.placed:
        assert top >= sheet_pdf.MARGIN_MM and bottom <= painter.bottom


@pytest.mark.slow
def test_same_show_same_bytes(perf):
    first = sheet_pdf.to_bytes(perf)
    assert first.startswith(b"%PDF")
    assert sheet_pdf.to_bytes(sample_performance()) == first
    assert b"D:20000101" in first  # a fixed creation date, not the clock


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pages_render_to_images(pdf_file, tmp_path):
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(pdf_file), str(tmp_path / "p")],
                   check=True, capture_output=True)
    image = next(tmp_path.glob("p*.png"))
    from PIL import Image
    with Image.open(image) as img:
        grey = img.convert("L")
        dark = sum(grey.histogram()[:128])
        assert grey.size[0] > 200 and dark > 500  # ink on the page, not a blank sheet


@pytest.mark.slow
@needs_poppler
def test_without_the_unicode_font_names_are_transliterated(perf, tmp_path, monkeypatch):
    monkeypatch.setattr(sheet_pdf, "_font_files", lambda: None)
    sheet_pdf.write(perf, tmp_path / "core.pdf")
    text = _text(tmp_path / "core.pdf")
    assert "Bakhyt" in text and "Alone at night" in text
    assert sheet_pdf.transliterate("Бахыт → Лена…") == "Bakhyt -> Lena..."


@pytest.mark.slow
@needs_poppler
def test_render_writes_the_default_shows_sheets(run_cli, tmp_path):
    code, out, err = run_cli("render", "-f", "pdf,md,txt", "-o", tmp_path, "--paper", "letter")
    assert code == 0, err
    from sequencer.render import load_and_compose, resolve_score_path
    _, perf = load_and_compose(resolve_score_path(None))
    pdf = next(tmp_path.glob("*.sheet.pdf"))
    text = _text(pdf)
    for sec in perf.sections:
        assert sec.name in text
    assert "612 x 792" in _info(pdf)["Page size"]
    assert next(tmp_path.glob("*.sheet.md")).read_text(encoding="utf-8").count("## ") == len(perf.sections)
