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


def _chars(path):
    """Every character pdfplumber reads, per page: (x0, top, x1, bottom, text, size) in mm."""
    import pdfplumber
    mm = 25.4 / 72
    with pdfplumber.open(str(path)) as pdf:
        return [[(c["x0"] * mm, c["top"] * mm, c["x1"] * mm, c["bottom"] * mm, c["text"], c["size"])
                 for c in page.chars] for page in pdf.pages]


def _inside(chars, x0, y0, x1, y1):
    """The characters whose centre lies in a box, as lines of text (top to bottom), with their sizes."""
    found = [c for c in chars if x0 <= (c[0] + c[2]) / 2 <= x1 and y0 <= (c[1] + c[3]) / 2 <= y1
             and c[4] not in "◀▶▲"]
    lines: dict[float, list] = {}
    for c in sorted(found, key=lambda c: (round(c[3], 0), c[0])):
        lines.setdefault(round(c[3], 0), []).append(c)
    text = [" ".join("".join(ch[4] for ch in line).split()) for _, line in sorted(lines.items())]
    return text, [c[5] for c in found if c[4] != " "]


def _joined(lines) -> str:
    """Wrapped lines read back as one text: a line ending in "-" was broken inside a word."""
    out = ""
    for line in lines:
        out += line[:-1] if line.endswith("-") else line + " "
    return " ".join(out.split())


def _bare(text: str) -> str:
    return text.replace("-", "").replace(" ", "")


def _check_moves(painter, path):
    """Every move's name (or its short name) read whole inside its box; returns the type sizes found."""
    pages = _chars(path)
    rows = [row for sec in painter.sheet.sections for row in sec.rows]
    sizes, checked = [], 0
    for row, (page, top, _bottom) in zip(rows, painter.placed):
        _, music_h, lanes, _ = painter.layout(row)
        y = top + music_h
        for lane in lanes:
            for span in lane.spans:
                lines, found = _inside(pages[page - 1], span.x0, y, span.x1, y + lane.height)
                text = _joined(lines).replace(" ↔", "").replace(" (pin)", "").removeprefix("& ")
                # A line may end at a hyphen of the name itself or at one the sheet added: compare without them.
                assert _bare(text) in (_bare(span.span.name), _bare(span.span.short)), (row.eight_count, span.span, lines)
                sizes += found
                checked += 1
            y += lane.height
    assert checked == sum(len(ln.spans) for r in rows for ln in r.lanes if not ln.reference)
    return sizes


LONG_NAMES = ("Maximiliana-Alexandra", "Бахыт", "Lena", "Aru", "Konstantinopolskaya", "Timur", "Dina", "Sasha")


def _long_named():
    """Eight dancers with long names, moves with long names and short names, marks from the performance."""
    from dataclasses import replace
    perf = sample_performance(cast=LONG_NAMES)
    cues = []
    for i, cue in enumerate(perf.cues):
        if cue.category == "freeze":
            cue = replace(cue, name="Shoulder freeze into a one-handed airchair", short="Airchair")
        elif cue.category == "power":
            cue = replace(cue, name="Corkscrew windmill", mirrored=i % 2 == 0)
        cues.append(cue)
    return replace(perf, cues=tuple(cues))


@pytest.mark.slow
@needs_poppler
@pytest.mark.slow
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("dancers", [(), ("Maximiliana-Alexandra",)])
def test_move_names_are_whole_and_large_enough(paper, dancers, tmp_path):
    """Crew sheet: every move name whole at 8.5 pt or more; a dancer's own sheet: 12 pt or more."""
    perf = _long_named()
    drawn = sheet_pdf.painter(perf, paper, dancers)
    (tmp_path / "s.pdf").write_bytes(bytes(drawn.pdf.output()))
    sizes = _check_moves(drawn, tmp_path / "s.pdf")
    assert min(sizes) >= (12 if dancers else 8.5) - 0.01
    text = _text(tmp_path / "s.pdf")
    assert "…" not in text and "..." not in text
    flat = " ".join(text.split())
    for name in LONG_NAMES:
        assert name in flat or name in text.replace("-\n", ""), name


@needs_poppler
@pytest.mark.slow
def test_sample_sheet_moves_are_whole(perf, tmp_path):
    drawn = sheet_pdf.painter(perf)
    (tmp_path / "s.pdf").write_bytes(bytes(drawn.pdf.output()))
    assert min(_check_moves(drawn, tmp_path / "s.pdf")) >= 8.5


@needs_poppler
@pytest.mark.slow
def test_a_dancers_sheet_shows_the_others_as_reference_lanes(perf, tmp_path):
    sheet_pdf.write(perf, tmp_path / "lena.pdf", dancers=("Lena",))
    text = _text(tmp_path / "lena.pdf")
    assert "Sheet for: Lena" in text
    assert "Бахыт" in text and ("up" in text.split() or "down" in text.split())
    assert "842 x 595" in _info(tmp_path / "lena.pdf")["Page size"].replace("841.89", "842").replace("595.28", "595")


@needs_poppler
@pytest.mark.slow
def test_marks_and_stage_are_printed_and_explained(tmp_path):
    from dataclasses import replace
    perf = sample_performance(cast=("Bakhyt", "Lena"))
    perf = replace(perf, cues=tuple(replace(c, mirrored=c.dancer == "Lena",
                                            role="floor" if c.dancer == "Bakhyt" else "support") for c in perf.cues))
    sheet_pdf.write(perf, tmp_path / "m.pdf")
    text = _text(tmp_path / "m.pdf")
    assert "↔ mirrored" in " ".join(text.split())  # the legend
    assert text.count("↔") > 5 and "(call)" in text and "(groove)" in text
    assert "audience" in text
    page = _chars(tmp_path / "m.pdf")[0]
    initials = {c[4] for c in page if c[5] >= 6.5 and c[4] in "BL"}
    assert initials == {"B", "L"}


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
@pytest.mark.slow
def test_categories_differ_in_a_greyscale_print(tmp_path):
    """The legend's category boxes, printed in grey, still differ pairwise (pattern, border or shade)."""
    from dataclasses import replace

    from PIL import Image, ImageChops

    from sequencer.categories import NAMES
    perf = sample_performance()
    cues = tuple(replace(c, category=NAMES[i % len(NAMES)]) for i, c in enumerate(perf.cues))
    drawn = sheet_pdf.painter(replace(perf, cues=cues))
    (tmp_path / "g.pdf").write_bytes(bytes(drawn.pdf.output()))
    subprocess.run(["pdftoppm", "-gray", "-r", "200", "-f", "1", "-l", "1", "-png", str(tmp_path / "g.pdf"),
                    str(tmp_path / "g")], check=True, capture_output=True)
    page = Image.open(next(tmp_path.glob("g*.png"))).convert("L")
    px = 200 / 25.4
    boxes = {cat: page.crop((round(x * px), round(y * px), round((x + w) * px), round((y + h) * px)))
             for cat, x, y, w, h in drawn.swatches}
    assert set(boxes) == set(NAMES)
    names = sorted(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            diff = ImageChops.difference(boxes[a], boxes[b].resize(boxes[a].size))
            assert sum(diff.histogram()[40:]) > 30, (a, b)  # enough pixels differ clearly


@pytest.mark.slow
def test_characters_the_font_lacks_are_reported(tmp_path):
    perf = sample_performance(cast=("Bakhyt🦊", "Lena"))
    drawn = sheet_pdf.painter(perf)
    drawn.pdf.output()  # also draws the footers
    assert "🦊" in drawn.missing


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
    painter = sheet_pdf.painter(perf, "letter")
    painter.pdf.output()  # also draws the footers
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


@needs_poppler
@pytest.mark.slow
def test_render_dancer_writes_one_sheet_per_dancer(run_cli, tmp_path):
    code, out, err = run_cli("render", "crew-battle", "--dancer", "Ayan", "--dancer", "Sasha", "-f", "pdf,md",
                             "-o", tmp_path)
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["crew-battle.Ayan.sheet.md", "crew-battle.Ayan.sheet.pdf", "crew-battle.Sasha.sheet.md",
                     "crew-battle.Sasha.sheet.pdf"]
    assert "Sheet for: Sasha" in _text(tmp_path / "crew-battle.Sasha.sheet.pdf")
    assert "**Sheet for** Ayan" in (tmp_path / "crew-battle.Ayan.sheet.md").read_text(encoding="utf-8")


@pytest.mark.slow
@needs_poppler
def test_an_hour_long_sheet_opens_with_every_page(tmp_path):
    """About an hour of music (90 × 20 bars): poppler counts the pages the painter drew, the footers agree."""
    perf = sample_performance(cast=("Бахыт", "Lena", "Aru", "Timur"), repeat=90)
    assert perf.length_s > 3000
    drawn = sheet_pdf.painter(perf)
    (tmp_path / "hour.pdf").write_bytes(drawn.pdf.output())
    pages = drawn.pdf.page_no()
    assert pages > 100 and int(_info(tmp_path / "hour.pdf")["Pages"]) == pages
    last = _text(tmp_path / "hour.pdf", "-f", str(pages), "-l", str(pages))
    assert f"page {pages} of {pages}" in last and "Night train 360" in last
    fonts = subprocess.run(["pdffonts", str(tmp_path / "hour.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^[A-Z]{6}\+DejaVuSans-Bold +CID TrueType +Identity-H +yes yes yes", fonts, re.M), fonts
    if shutil.which("qpdf"):
        subprocess.run(["qpdf", "--check", str(tmp_path / "hour.pdf")], check=True, capture_output=True)


@pytest.mark.slow
def test_printed_widths_agree_with_the_painters(pdf_file, perf):
    """The title's letters sit where the painter's widths put them, so wrapping and centring hold on paper."""
    drawn = sheet_pdf.painter(perf)
    title = [c for c in _chars(pdf_file)[0] if c[5] == pytest.approx(20)]
    assert "".join(c[4] for c in title) == "Sample show"
    for i, c in enumerate(title):
        assert c[0] == pytest.approx(sheet_pdf.MARGIN_MM + drawn.width("Sample show"[:i], 20, True), abs=0.005)
