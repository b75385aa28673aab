"""The sheet's layout model: rows of eight counts, every move on its row and count."""

from export_samples import SECTIONS, sample_performance

from sequencer.export.sheet import COUNTS_PER_ROW, build_sheet, category_code
from sequencer.timeline import format_clock


def _spans(sheet):
    for sec in sheet.sections:
        for row in sec.rows:
            for lane in row.lanes:
                for span in lane.spans:
                    yield sec, row, lane, span


def test_every_move_cue_starts_on_its_row_and_count():
    perf = sample_performance()
    sheet = build_sheet(perf)
    starts = {(sec.index, row.eight_count, span.dancer, span.move, span.first_count)
              for sec, row, _, span in _spans(sheet) if not span.continued}
    for cue in perf.cues:
        pos = perf.position(cue.start_ticks)
        assert (cue.section, pos.eight_count, cue.dancer, cue.move, pos.count) in starts, cue


def test_rows_never_exceed_eight_counts_and_spans_stay_inside():
    sheet = build_sheet(sample_performance())
    for sec, row, _, span in _spans(sheet):
        assert 1 <= row.counts <= COUNTS_PER_ROW
        assert 1 <= span.first_count <= span.last_count <= row.counts
        assert 0 <= span.start_counts < span.end_counts <= row.counts


def test_a_move_crossing_rows_is_marked_and_covers_its_whole_length():
    perf = sample_performance()
    sheet = build_sheet(perf)
    crossing = 0
    for sec in sheet.sections:
        count_ticks = perf.timeline.sections[sec.index].meter.count_ticks
        for lane_index, dancer in enumerate(sec.dancers):
            covered = sum(span.end_counts - span.start_counts
                          for row in sec.rows for span in row.lanes[lane_index].spans)
            cue_ticks = sum(c.length_ticks for c in perf.cues if c.dancer == dancer and c.section == sec.index)
            assert covered * count_ticks == cue_ticks
            rows = sec.rows
            for this, following in zip(rows, rows[1:]):
                last = this.lanes[lane_index].spans[-1] if this.lanes[lane_index].spans else None
                first = following.lanes[lane_index].spans[0] if following.lanes[lane_index].spans else None
                if last is not None and last.continues:
                    crossing += 1
                    assert first is not None and first.continued and first.move == last.move
                    assert last.last_count == COUNTS_PER_ROW and first.first_count == 1
    assert crossing > 0  # the sample has moves across 8-count boundaries


def test_other_meters_still_count_in_eights():
    perf = sample_performance()
    sheet = build_sheet(perf)
    for sec, laid, spec in zip(sheet.sections, perf.timeline.sections, SECTIONS):
        assert sec.meter == spec[3]
        assert len(sec.rows) == -(-laid.counts // 8)
        assert sum(r.counts for r in sec.rows) == laid.counts
        for row in sec.rows:
            assert perf.position(row.start_ticks).count == 1
            assert row.bar == perf.position(row.start_ticks).bar
    waltz = sheet.sections[2]  # 6 bars of 3/4 = 18 counts: 8 + 8 + 2
    assert [r.counts for r in waltz.rows] == [8, 8, 2]
    assert [r.bar for r in waltz.rows] == [11, 13, 16]  # 8-counts start mid-bar in 3/4


def test_hits_and_music_cues_are_marked_at_their_counts():
    perf = sample_performance()
    sheet = build_sheet(perf)
    marks = {(sec.index, row.eight_count, m.count, m.hit) for sec in sheet.sections for row in sec.rows
             for m in row.music}
    for hit in perf.hits:
        pos = perf.position(hit.at_ticks)
        assert (hit.section, pos.eight_count, pos.count, True) in marks
    for cue in perf.music_cues:
        pos = perf.position(cue.at_ticks)
        assert (cue.section, pos.eight_count, pos.count, False) in marks
    first = sheet.sections[0].rows[0]
    assert first.hit_counts == (1, 8)


def test_section_facts_and_times_come_from_the_timeline():
    perf = sample_performance()
    sheet = build_sheet(perf)
    assert sheet.tempo_text == "72–112 BPM"
    assert sheet.sections[1].tempo_text == "100→112 BPM"
    assert sheet.sections[0].tempo_text == "84 BPM"
    for sec, info in zip(sheet.sections, perf.sections):
        assert sec.start_s == perf.seconds(info.start_ticks)
        assert sec.end_s == perf.seconds(info.end_ticks)
        assert sec.rows[0].start_s == sec.start_s
    assert sheet.categories[0] == "toprock" and "freeze" in sheet.categories
    assert sheet.cast[0] == ("Бахыт", 4)


def test_freezes_offbeats_and_accents_are_flagged():
    sheet = build_sheet(sample_performance())
    spans = [span for *_, span in _spans(sheet)]
    freezes = [s for s in spans if s.freeze]
    assert freezes and all(s.category == "freeze" for s in freezes)
    assert any(s.offbeat for s in spans)
    accented = [s for s in spans if s.accent_count is not None]
    assert accented and all(s.first_count <= s.accent_count <= s.last_count for s in accented)


def test_helpers():
    assert format_clock(0) == "0:00" and format_clock(61.4) == "1:01" and format_clock(3599.6) == "60:00"
    assert category_code("footwork") == "FW" and category_code("Power") == "PW"
    assert category_code("spin") == "SP"


def _with_cues(perf, change):
    from dataclasses import replace
    return replace(perf, cues=tuple(change(c) for c in perf.cues))


def test_rows_starting_mid_bar_say_bar_and_beat():
    sheet = build_sheet(sample_performance())
    waltz = next(s for s in sheet.sections if s.meter == "3/4")
    assert [r.bar_text for r in waltz.rows] == [str(waltz.first_bar), f"{waltz.first_bar + 2}:3",
                                                f"{waltz.first_bar + 5}:2"]
    from sequencer.export.sheet_text import to_markdown, to_text
    perf = sample_performance()
    assert f"| {waltz.first_bar + 2}:3 |" in to_markdown(perf)
    assert any(line.startswith(f"2   {waltz.first_bar + 2}:3 ") for line in to_text(perf).splitlines())


def test_music_lane_speaks_to_dancers_and_harmony_goes_to_the_musicians_line():
    from dataclasses import replace

    from sequencer.performance import MusicCue
    perf = sample_performance()
    extra = (MusicCue(perf.sections[0].start_ticks + 480 * 4, 480, "cadence", "half cadence on V (A)", 0),
             MusicCue(perf.sections[0].start_ticks, 480, "motif", "Mother's theme (mother-theme): as written", 0),
             MusicCue(perf.sections[0].start_ticks + 480, 480, "tempo", "tempo down: 90 BPM", 0),
             MusicCue(perf.sections[0].start_ticks + 960, 480, "half-time", "half-time feel: backbeat on 3", 0))
    sheet = build_sheet(replace(perf, music_cues=perf.music_cues + extra))
    words = {m.text for s in sheet.sections for r in s.rows for m in r.music}
    assert {"hit", "Mother's theme", "fill", "tempo down", "half-time"} <= words
    assert not any("cadence" in w or "(" in w for w in words)
    assert sheet.sections[0].musician == ((f"{sheet.sections[0].first_bar + 1}:1", "half cadence on V (A)"),)


def test_marks_come_from_the_performance_roles():
    perf = sample_performance(cast=("Bakhyt", "Lena"))

    def mark(cue):
        from dataclasses import replace
        return replace(cue, mirrored=cue.dancer == "Lena", role="floor" if cue.dancer == "Bakhyt" else "support")
    sheet = build_sheet(_with_cues(perf, mark))
    row = sheet.sections[0].rows[0]
    assert [(lane.dancer, lane.role) for lane in row.lanes] == [("Bakhyt", "call"), ("Lena", "groove")]
    assert all(span.mirrored == (span.dancer == "Lena") for lane in row.lanes for span in lane.spans)
    plain = build_sheet(perf).sections[0].rows[0]
    assert [lane.role for lane in plain.lanes] == ["", ""]  # nothing derived when the performance says nothing


def test_a_dancers_sheet_keeps_their_lane_and_the_others_as_reference():
    from sequencer.export.sheet import for_dancers
    sheet = for_dancers(build_sheet(sample_performance(cast=("Bakhyt", "Lena"))), ["Lena"])
    row = sheet.sections[0].rows[0]
    assert [(lane.dancer, lane.reference) for lane in row.lanes] == [("Lena", False), ("Bakhyt", True)]
    assert row.lanes[1].words[0] == (1, "up")  # Bakhyt starts with toprock
    assert sheet.focus == ("Lena",)


def test_the_sheet_is_built_once_per_performance():
    perf = sample_performance()
    assert build_sheet(perf) is build_sheet(perf)
