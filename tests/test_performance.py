"""The Performance model: stands alone, answers in its own units, and keeps its vocabularies closed."""

import subprocess
import sys

from export_samples import sample_performance

from sequencer.performance import CUE_KINDS, MOVE_ROLES, CastMember, Performance


def test_the_model_and_every_exporter_load_nothing_from_the_input_side():
    """Importing every exporter module loads neither the input side (YAML, score, libraries) nor a heavy library."""
    code = ("import sys, pkgutil, importlib, sequencer.performance, sequencer.export as export\n"
            "names = [m.name for m in pkgutil.walk_packages(export.__path__, 'sequencer.export.')]\n"
            "for name in names: importlib.import_module(name)\n"
            "print(len(names), sorted(m for m in ('yaml', 'sequencer.score', 'sequencer.library', "
            "'sequencer.validate', 'music21', 'matplotlib', 'fpdf') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    count, loaded = out.split(" ", 1)
    assert int(count) >= 8 and loaded.strip() == "[]"


def test_cast_members_are_the_models_own():
    perf = sample_performance()
    assert all(type(d) is CastMember for d in perf.cast)
    assert CastMember.__module__ == Performance.__module__


def test_cues_of_a_dancer_and_the_show_length_come_from_the_timeline():
    perf = sample_performance()
    lena = perf.cues_of("Lena")
    assert lena and all(c.dancer == "Lena" for c in lena)
    assert len(lena) + len(perf.cues_of("Бахыт")) == len(perf.cues)
    assert perf.end_ticks == perf.sections[-1].end_ticks == perf.timeline.end_ticks
    assert perf.length_s == perf.seconds(perf.end_ticks) > 0
    assert perf.position(perf.sections[1].start_ticks).bar == perf.sections[1].first_bar


def test_move_cues_end_where_their_length_says():
    cue = sample_performance().cues[0]
    assert cue.end_ticks == cue.start_ticks + cue.length_ticks


def test_every_cue_kind_has_an_audience_and_a_word():
    assert all(audience in ("dancer", "musician") and word for audience, word in CUE_KINDS.values())
    assert MOVE_ROLES[""] == "" and all(MOVE_ROLES[k] for k in MOVE_ROLES if k)
