"""The rehearsal page, read as a dancer uses it: in a real browser (Chromium through Playwright).

The browser tests seek and read the page; they never wait for time to pass, except for the
loop test, which plays the last moments of a section and waits for the wrap. The audio beside
the page is a silent Ogg of the show's length, so these tests need Chromium but not FluidSynth.
"""

import json
import re
import shutil
from pathlib import Path

import pytest

from sequencer.export.html import STAMP_SUFFIX, page_data, to_html, write
from sequencer.export.json import to_dict
from sequencer.render import load_and_compose, resolve_score_path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
LAPTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
STEM = "bakhyt-cooper"


@pytest.fixture(scope="module")
def perf():
    """The default show with one bar of count-in, so the page's times are not the file's."""
    return load_and_compose(resolve_score_path(None), count_in_bars=1)[1]


# -- the file itself ----------------------------------------------------------------------------
def test_page_is_self_contained_and_deterministic(perf, tmp_path):
    write(perf, tmp_path / f"{STEM}.rehearsal.html")
    page = (tmp_path / f"{STEM}.rehearsal.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page), "the page must not load anything from a network"
    assert "{{" not in page
    stamp = (tmp_path / f"{STEM}{STAMP_SUFFIX}").read_text()
    embedded = json.loads(re.search(r'<script type="application/json" id="show-data">(.*?)</script>', page, re.S).group(1))
    assert embedded["stamp"] in stamp and embedded["audio"] == f"{STEM}.ogg"
    assert to_html(perf, STEM) == (page, stamp)


def test_page_data_agrees_with_the_json(perf):
    data, doc = page_data(perf, STEM), to_dict(perf)
    lead = doc["count_in"]["s"]
    assert data["lead_s"] == pytest.approx(lead, abs=1e-4) and data["count_in_bars"] == 1
    assert [s["start"] for s in data["sections"]] == pytest.approx([s["start_s"] - lead for s in doc["sections"]], abs=1e-4)
    clicks = [b for b in data["beats"] if b[1] < 0]
    assert [b[3] for b in clicks] == [5, 6, 7, 8] and clicks[0][0] == pytest.approx(-lead, abs=1e-4)
    moves = [(d["name"], m[2]) for d in data["dancers"] for m in d["moves"]]
    assert sorted(moves) == sorted((c["dancer"], c["name"]) for c in doc["cues"])


def test_html_brings_its_audio_when_chosen_alone():
    from sequencer.export import with_needs
    assert with_needs(("html",)) == ("html", "ogg")
    assert with_needs(("ogg", "json", "html")) == ("ogg", "json", "html")


def test_text_from_the_score_cannot_break_out_of_the_page(perf):
    from dataclasses import replace
    page, _ = to_html(replace(perf, title="</script><script>alert(1)</script>"), STEM)
    assert page.count("</script>") == 2  # the data block's and the code's, nothing from the title


# -- in the browser -------------------------------------------------------------------------------
def silent_ogg(path: Path, seconds: float):
    """A silent Ogg Vorbis file of the show's length, standing in for the rendered audio."""
    soundfile = pytest.importorskip("soundfile", reason="soundfile writes the Ogg audio")
    import numpy as np
    rate, block = 22050, 1 << 15
    with soundfile.SoundFile(path, "w", rate, 1, format="OGG", subtype="VORBIS") as out:
        for start in range(0, round(seconds * rate), block):
            out.write(np.zeros(min(block, round(seconds * rate) - start), dtype="float32"))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is a test extra: pip install '.[test]'")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(perf, tmp_path_factory):
    folder = tmp_path_factory.mktemp("rehearsal")
    write(perf, folder / f"{STEM}.rehearsal.html")
    silent_ogg(folder / f"{STEM}.ogg", perf.length_s + 1.5)
    return folder


@pytest.fixture
def open_page(browser, site):
    """Open the page at a viewport; fails the test on any console error or non-file request."""
    pages = []

    def open_(viewport=LAPTOP, hash_=""):
        page = browser.new_page(viewport=viewport)
        problems = []
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("request", lambda r: None if r.url.startswith("file://") else problems.append(f"request {r.url}"))
        page.goto((site / f"{STEM}.rehearsal.html").as_uri() + hash_)
        pages.append((page, problems))
        return page
    yield open_
    for page, problems in pages:
        page.close()
        assert problems == []



def expected_moves(doc: dict, at_s: float) -> dict[str, str]:
    """Each dancer's move at file time `at_s` by the JSON, '—' between moves."""
    out = {d["name"]: "—" for d in doc["cast"]}
    for cue in doc["cues"]:
        if cue["start_s"] <= at_s < cue["start_s"] + cue["length_s"] - 1e-4:
            out[cue["dancer"]] = cue["name"]
    return out


READ_AT = """times => times.map(t => {
    rehearsal.seek(t);
    const text = id => document.querySelector(`[data-testid="${id}"]`).textContent;
    return {time: rehearsal.time(), count: text("count"), section: text("section"),
            moves: Object.fromEntries(rehearsal.data.dancers.map(d => [d.name, text("move-" + d.name)]))};
})"""


@pytest.mark.slow
def test_counts_and_moves_at_every_move_start_equal_the_json(open_page, perf):
    doc = to_dict(perf)
    lead = doc["count_in"]["s"]
    page = open_page()
    times = [round(c["start_s"] - lead + 0.01, 4) for c in doc["cues"]]
    shown = page.evaluate(READ_AT, times)
    for cue, t, seen in zip(doc["cues"], times, shown):
        assert seen["time"] == t  # the display updates at once, at the very time asked
        assert seen["count"] == str(cue["count"]), cue
        assert seen["section"] == doc["sections"][cue["section"]]["name"]
        assert seen["moves"] == expected_moves(doc, t + lead)


@pytest.mark.slow
def test_counts_and_moves_in_other_meters_and_a_larger_cast(browser, tmp_path):
    """crew-battle: four dancers, canon and call-response, 3/4 and 6/8 (counted in dotted quarters)."""
    crew = load_and_compose(resolve_score_path("crew-battle"))[1]
    write(crew, tmp_path / "crew-battle.rehearsal.html")
    doc = to_dict(crew)
    page = browser.new_page()
    try:
        page.goto((tmp_path / "crew-battle.rehearsal.html").as_uri())
        times = [round(c["start_s"] + 0.01, 4) for c in doc["cues"]]
        for cue, t, seen in zip(doc["cues"], times, page.evaluate(READ_AT, times)):
            assert (seen["count"], seen["section"]) == (str(cue["count"]), doc["sections"][cue["section"]]["name"])
            assert seen["moves"] == expected_moves(doc, t)
    finally:
        page.close()


@pytest.mark.slow
def test_the_count_in_counts_five_to_eight_before_bar_one(open_page, perf):
    page = open_page()
    lead = perf.seconds(perf.timeline.count_in_ticks)
    beat = lead / 4
    shown = page.evaluate(READ_AT, [-lead + beat * i + 0.01 for i in range(4)] + [0.0])
    assert [s["count"] for s in shown] == ["5", "6", "7", "8", "1"]
    assert [s["section"] for s in shown] == ["Count-in"] * 4 + [perf.sections[0].name]


@pytest.mark.slow
def test_seek_lands_the_audio_where_asked(open_page, perf):
    """Seek accuracy: the audio element's clock after a seek, against the show time asked for."""
    page = open_page()
    errors = page.evaluate("""async times => {
        const audio = document.getElementById("audio");
        if (audio.readyState < 1) await new Promise(ok => audio.addEventListener("loadedmetadata", ok, {once: true}));
        const out = [];
        for (const t of times) {
            const seeked = new Promise(ok => audio.addEventListener("seeked", ok, {once: true}));
            rehearsal.seek(t);
            await seeked;
            out.push(Math.abs(audio.currentTime - rehearsal.data.lead_s - t));
        }
        return out;
    }""", [1.234, 61.5, 150.0, perf.length_s - perf.seconds(perf.timeline.count_in_ticks) - 0.001, 12.0])
    assert max(errors) < 0.001, errors


@pytest.mark.slow
def test_loop_wraps_to_the_section_start_while_playing(open_page, perf):
    page = open_page()
    section = page.evaluate("rehearsal.data.sections[5]")  # a fast one: its count-in is short
    page.evaluate("rehearsal.loop(5)")
    assert page.evaluate("rehearsal.time()") == section["start"]
    page.evaluate(f"rehearsal.seek({section['end']} - 0.5)")
    page.keyboard.press("Space")
    assert page.evaluate("rehearsal.state()") == "counting-in"
    page.wait_for_function("rehearsal.state() === 'playing'", timeout=10_000)
    page.wait_for_function(f"rehearsal.time() < {section['end']} - 1", timeout=10_000)
    assert page.evaluate("[rehearsal.state(), rehearsal.time()]") == ["counting-in", section["start"]]
    assert page.evaluate("document.querySelector('[data-testid=section]').textContent") == section["name"]
    page.keyboard.press("Space")
    assert page.evaluate("rehearsal.state()") == "paused"


@pytest.mark.slow
def test_speed_sets_the_playback_rate_and_keeps_the_pitch(open_page):
    page = open_page()
    for _ in range(5):
        page.keyboard.press("BracketLeft")
    speed = page.locator('[data-testid="speed"]')
    assert speed.input_value() == "0.75"
    assert page.evaluate("(a => [a.playbackRate, a.preservesPitch])(document.getElementById('audio'))") == [0.75, True]
    speed.evaluate("(el) => { el.value = '0.5'; el.dispatchEvent(new Event('input')); }")
    assert page.evaluate("document.getElementById('audio').playbackRate") == 0.5
    for _ in range(12):
        page.keyboard.press("BracketRight")
    assert speed.input_value() == "1"


@pytest.mark.slow
def test_dancer_in_the_address_hides_the_other_lanes(open_page, perf):
    names = [d.name for d in perf.cast]
    page = open_page(PHONE, f"#dancer={names[1]}")
    assert page.locator(f'[data-testid="move-{names[1]}"]').is_visible()
    for other in names[:1] + names[2:]:
        assert not page.locator(f'[data-testid="move-{other}"]').is_visible()
    page.select_option("#dancer", "")
    assert all(page.locator(f'[data-testid="move-{n}"]').is_visible() for n in names)


@pytest.mark.slow
def test_phone_layout_fits_and_the_count_reads_across_a_studio(open_page):
    page = open_page(PHONE)
    page.evaluate("rehearsal.seek(100)")
    width, inner, font = page.evaluate("""[document.documentElement.scrollWidth, innerWidth,
        parseFloat(getComputedStyle(document.querySelector('[data-testid=count]')).fontSize)]""")
    assert width <= inner and font >= 48
    assert page.locator('[data-testid="count"]').bounding_box()["y"] < PHONE["height"]


@pytest.mark.slow
def test_strip_jumps_to_an_eight_count(open_page, perf):
    page = open_page()
    page.get_by_role("button", name="3", exact=True).nth(3).click()
    shown = page.evaluate("rehearsal.time()")
    laid = perf.timeline.sections[3]  # the fourth section's third 8-count starts 16 beats in
    third = perf.seconds(laid.start_ticks + 16 * laid.meter.count_ticks) - perf.seconds(perf.timeline.count_in_ticks)
    assert shown == pytest.approx(third, abs=1e-4)
    assert page.locator('[data-testid="count"]').text_content() == "1"


@pytest.mark.slow
def test_page_reloads_when_rewritten_and_keeps_its_place(open_page, site, perf):
    """`sequencer watch` rewrites the page and its stamp; the open page notices and reloads."""
    from dataclasses import replace
    page = open_page(LAPTOP, "#dancer=Lena")
    page.evaluate("rehearsal.seek(42.5)")
    before = page.evaluate("rehearsal.data.stamp")
    try:
        write(replace(perf, title="Bakhyt Cooper, take 2"), site / f"{STEM}.rehearsal.html")
        page.wait_for_function(f"window.rehearsal && rehearsal.data.stamp !== {before!r}", timeout=10_000)
    finally:
        write(perf, site / f"{STEM}.rehearsal.html")
    assert page.evaluate("[rehearsal.data.title, rehearsal.time()]") == ["Bakhyt Cooper, take 2", 42.5]
    assert not page.locator('[data-testid="move-Bakhyt"]').is_visible()


@pytest.mark.slow
def test_render_html_alone_writes_a_page_that_plays_its_own_audio(run_cli, browser, tmp_path):
    """End to end: `sequencer render -f html`, then the page in Chromium with the real Ogg beside it."""
    if shutil.which("fluidsynth") is None:
        pytest.skip("fluidsynth is not installed (apt-get install fluidsynth)")
    code, out, err = run_cli("render", "first-light", "-f", "html", "-o", tmp_path)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "first-light.ogg", "first-light.rehearsal.html", f"first-light{STAMP_SUFFIX}"]
    page = browser.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        page.goto((tmp_path / "first-light.rehearsal.html").as_uri())
        duration, lead, length = page.evaluate("""async () => {
            const audio = document.getElementById("audio");
            if (audio.readyState < 1) await new Promise(ok => audio.addEventListener("loadedmetadata", ok, {once: true}));
            return [audio.duration, rehearsal.data.lead_s, rehearsal.data.length_s];
        }""")
        assert length < duration - lead < length + 2  # the show, then the release tail
        page.keyboard.press("KeyC")
        page.keyboard.press("Space")
        page.wait_for_function("rehearsal.state() === 'playing' && rehearsal.time() > 0.2")
        assert page.locator("#status").text_content() == ""
    finally:
        page.close()
    assert problems == []
