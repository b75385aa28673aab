"""The sheet as plain text and Markdown."""

from export_samples import sample_performance

from sequencer.export import sheet_text
from sequencer.export.sheet import build_sheet


def _grid_at(text: str) -> int:
    """The column of the grid's left bar, from the counts header."""
    header = next(line for line in text.splitlines() if line.startswith("8ct"))
    return header.index("|")


def test_text_names_every_section_and_dancer_and_keeps_a_fixed_grid():
    perf = sample_performance()
    text = sheet_text.to_text(perf)
    for sec in perf.sections:
        assert f"{sec.index + 1}. {sec.name}" in text
    for dancer in perf.cast:
        assert dancer.name in text
    bar = _grid_at(text)
    grid = [line for line in text.splitlines() if line[bar:bar + 1] == "|"]
    assert len(grid) > 30 and all(len(line) <= bar + 1 + sheet_text.COUNT_WIDTH * 8 for line in grid)
    assert "~" not in text and "…" not in text.split("marks:")[0]


def _lanes(text: str, sheet):
    """(row, lane, lines of its grid) for every dancer lane, read back from the text."""
    lines = text.splitlines()
    bar = _grid_at(text)
    out = []
    i = 0
    for sec in sheet.sections:
        i = next(k for k in range(i, len(lines)) if lines[k].startswith(f"== {sec.index + 1}. "))
        for row in sec.rows:
            i = next(k for k in range(i, len(lines)) if lines[k].startswith(f"{row.eight_count:<4}{row.bar_text:<7}"))
            i += 1
            while lines[i][bar + 1:].strip() and not lines[i][:bar].strip():
                i += 1  # the music lane's further lines
            for lane in row.lanes:
                block = [lines[i][bar + 1:]]
                assert lines[i][:bar].strip().startswith(lane.dancer)
                i += 1
                while i < len(lines) and lines[i][bar:bar + 1] == "|" and not lines[i][:bar].strip():
                    block.append(lines[i][bar + 1:])
                    i += 1
                out.append((row, lane, block))
    return out


def test_text_draws_each_move_from_its_count_and_writes_its_name_whole():
    perf = sample_performance(cast=("Бахыт", "Lena", "Maximiliana-Alexandra"))
    sheet = build_sheet(perf)
    text = sheet_text.to_text(perf)
    seen = 0
    for row, lane, block in _lanes(text, sheet):
        for span in lane.spans:
            at = round(span.start_counts * sheet_text.COUNT_WIDTH)
            end = round(span.end_counts * sheet_text.COUNT_WIDTH)
            assert block[0][at] in "<[|", (row, span)
            inside = "".join(line[at:end].ljust(end - at)[1:-1] for line in block).replace(" ", "").replace("-", "")
            whole = span.name.replace(" ", "").replace("-", "")
            assert whole in inside or span.short and span.short in inside, (span, block)
            seen += 1
    assert seen == sum(len(lane.spans) for sec in sheet.sections for row in sec.rows for lane in row.lanes)
    assert "Maximiliana-Alexandra" in text


def test_markdown_has_a_table_per_section_with_every_move_named():
    perf = sample_performance()
    md = sheet_text.to_markdown(perf)
    assert md.startswith("# Sample show")
    for sec in perf.sections:
        assert f"## {sec.index + 1}. {sec.name}" in md
    for cue in perf.cues:
        assert cue.name in md
    header = "| 8ct | bar | time |  | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |"
    assert md.count(header) == len(perf.sections)
    table_rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert all(line.count(" | ") == 11 for line in table_rows if "\\|" not in line)


def test_markdown_cells_put_a_move_on_its_start_count():
    perf = sample_performance()
    md = sheet_text.to_markdown(perf).splitlines()
    first = next(i for i, line in enumerate(md) if line.startswith("| 1 | 1 | 0:00 |"))
    assert md[first - 2].startswith("| 8ct | bar |")
    bakhyt = md[first + 1].split(" | ")
    assert bakhyt[3] == "Бахыт" and "Indian step" in bakhyt[4] and bakhyt[5:11] == ["–"] * 6


def test_writers_write_utf8_files(tmp_path):
    perf = sample_performance()
    sheet_text.write_text(perf, tmp_path / "s.txt")
    sheet_text.write_markdown(perf, tmp_path / "s.md")
    assert (tmp_path / "s.txt").read_text(encoding="utf-8") == sheet_text.to_text(perf)
    assert "Бахыт" in (tmp_path / "s.md").read_text(encoding="utf-8")
    assert sheet_text.to_text(perf) == sheet_text.to_text(sample_performance())


def test_sheet_command_prints_the_default_show(run_cli):
    code, out, err = run_cli("sheet")
    assert code == 0, err
    assert "8ct" in out and "music" in out


def test_sheet_command_prints_one_dancers_sheet(run_cli):
    code, out, err = run_cli("sheet", "crew-battle", "--dancer", "Dina")
    assert code == 0, err
    assert "sheet for Dina" in out
    lanes = [line.split("|")[0].split() for line in out.splitlines() if "|" in line]
    assert any(words and words[-1] == "Ayan" for words in lanes)  # the others stay, as reference lanes


def test_an_unknown_dancer_is_refused_with_the_valid_names(run_cli, tmp_path):
    code, out, err = run_cli("render", "crew-battle", "--dancer", "Nobody", "-o", tmp_path)
    assert code == 2
    assert "--dancer" in err and "Nobody" in err and "Ayan, Dina, Timur, Sasha" in err
    assert not list(tmp_path.iterdir())
