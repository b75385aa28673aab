"""Audio through FluidSynth: not silent, as long as the show, louder where the mood is aroused."""

import shutil
import wave
from io import BytesIO

import pytest
from export_samples import sample_performance

from sequencer.errors import InputError, MissingToolError
from sequencer.export import audio


def _soundfont():
    try:
        return audio.find_soundfont()
    except MissingToolError:
        return None


needs_fluidsynth = pytest.mark.skipif(shutil.which("fluidsynth") is None or _soundfont() is None,
                                      reason="fluidsynth or a General MIDI soundfont is not installed "
                                             "(apt-get install fluidsynth timgm6mb-soundfont)")


def _samples(data: bytes):
    import numpy as np
    with wave.open(BytesIO(data)) as w:
        rate, channels = w.getframerate(), w.getnchannels()
        frames = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, channels)
    return rate, frames.astype(float)


def _rms(frames, rate, start_s, end_s) -> float:
    import numpy as np
    part = frames[int(start_s * rate):int(end_s * rate)]
    return float(np.sqrt((part ** 2).mean())) if len(part) else 0.0


@pytest.fixture(scope="module")
def rendered():
    perf = sample_performance()
    return perf, audio.to_wav_bytes(perf, soundfont=str(_soundfont()) if _soundfont() else None)


@needs_fluidsynth
def test_wav_is_as_long_as_the_show_and_not_silent(rendered):
    perf, data = rendered
    rate, frames = _samples(data)
    assert abs(len(frames) / rate - (perf.length_s + audio.TAIL_S)) < 0.01
    assert _rms(frames, rate, 0, perf.length_s) > 100
    assert abs(frames).max() < 32767  # no clipping at the default gain


@needs_fluidsynth
def test_aroused_sections_are_louder(rendered):
    perf, data = rendered
    rate, frames = _samples(data)
    loudness = {s.mood: _rms(frames, rate, perf.seconds(s.start_ticks), perf.seconds(s.end_ticks))
                for s in perf.sections}
    assert loudness["joyful"] > 1.5 * loudness["grief"]
    assert loudness["tense"] > loudness["mysterious"]


@needs_fluidsynth
def test_composed_show_high_arousal_louder_than_grief(tmp_path):
    """Issue 3's listening check on the real composer: a hype section is louder than a grief one."""
    from conftest import make_performance
    perf = make_performance("""
        title: Loud and soft
        seed: 3
        sections:
          - {name: Party, mood: hype, bars: 8}
          - {name: Loss, mood: grief, bars: 8}
    """)
    rate, frames = _samples(audio.to_wav_bytes(perf))
    party, loss = perf.sections
    hype = _rms(frames, rate, perf.seconds(party.start_ticks), perf.seconds(party.end_ticks))
    grief = _rms(frames, rate, perf.seconds(loss.start_ticks), perf.seconds(loss.end_ticks))
    assert hype > 1.3 * grief > 0


def test_missing_fluidsynth_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(audio.shutil, "which", lambda name: None)
    with pytest.raises(MissingToolError, match="apt-get install fluidsynth"):
        audio.to_wav_bytes(sample_performance())


def test_missing_soundfont_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(audio, "SOUNDFONT_PLACES", (tmp_path / "none.sf2",))
    monkeypatch.delenv(audio.SOUNDFONT_ENV, raising=False)
    with pytest.raises(MissingToolError, match="soundfont"):
        audio.find_soundfont()
    with pytest.raises(InputError, match="does not exist"):
        audio.find_soundfont(str(tmp_path / "typo.sf2"))
    font = tmp_path / "mine.sf2"
    font.write_bytes(b"RIFF")
    monkeypatch.setenv(audio.SOUNDFONT_ENV, str(font))
    with pytest.raises(InputError, match="not a SoundFont 2 file"):
        audio.find_soundfont()
    font.write_bytes(b"RIFF\x04\x00\x00\x00sfbk")
    assert audio.find_soundfont() == font


def test_render_without_fluidsynth_exits_3_with_install_hint(run_cli, monkeypatch, tmp_path):
    monkeypatch.setattr(audio.shutil, "which", lambda name: None)
    code, out, err = run_cli("render", "-f", "wav", "-o", tmp_path / "out")
    assert code == 3
    assert "apt-get install fluidsynth" in err and "Traceback" not in err
    assert not list((tmp_path / "out").glob("*.wav"))
