"""The sheet as plain text and Markdown."""

from export_samples import sample_performance

from sequencer.export import sheet_text
from sequencer.export.sheet import build_sheet


def test_text_names_every_section_and_dancer_and_keeps_a_fixed_grid():
    perf = sample_performance()
    text = sheet_text.to_text(perf)
    for sec in perf.sections:
        assert f"{sec.index + 1}. {sec.name}" in text
    for dancer in perf.cast:
        assert dancer.name in text
    width = len("1   1    0:00  music    |") + sheet_text.COUNT_WIDTH * 8
    grid = [line for line in text.splitlines() if "|" in line[:26] and line[24:25] == "|"]
    assert grid and all(len(line) <= width for line in grid)


def test_text_draws_each_move_from_its_count():
    perf = sample_performance()
    sheet = build_sheet(perf)
    lines = sheet_text.to_text(perf).splitlines()
    for sec in sheet.sections:
        header = lines.index(next(line for line in lines if line.startswith(f"== {sec.index + 1}. ")))
        body = lines[header:]
        for row in sec.rows:
            start = next(i for i, line in enumerate(body) if line.startswith(f"{row.eight_count:<4}{row.bar:<5}"))
            for k, lane in enumerate(row.lanes, 1):
                grid = body[start + k].split("|", 1)[1]
                for span in lane.spans:
                    at = round(span.start_counts * sheet_text.COUNT_WIDTH)
                    assert grid[at] == ("<" if span.continued else "[" if span.end_counts - span.start_counts >= 0.2
                                        else "|"), (sec.name, row.eight_count, span)
            body = body[start + 1:]


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
