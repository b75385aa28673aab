"""Audio through FluidSynth: as long as the show, at the loudness target without clipping, louder where
the mood is aroused, in bounded memory, and leaving nothing behind when interrupted.

Loudness is checked with pyloudnorm (an independent ITU-R BS.1770 meter); files are read back
with soundfile (libsndfile).
"""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from export_samples import sample_performance

from sequencer.errors import InputError, MissingToolError, SequencerError
from sequencer.export import audio


def _soundfont():
    try:
        return audio.find_soundfont()
    except MissingToolError:
        return None


needs_fluidsynth = pytest.mark.skipif(shutil.which("fluidsynth") is None or _soundfont() is None,
                                      reason="fluidsynth or a General MIDI soundfont is not installed "
                                             "(apt-get install fluidsynth fluid-soundfont-gm)")


def _read(path):
    import soundfile
    frames, rate = soundfile.read(str(path), dtype="float64")
    return rate, frames


def _lufs(rate, frames) -> float:
    import pyloudnorm
    return pyloudnorm.Meter(rate).integrated_loudness(frames)


def _peak_dbfs(frames) -> float:
    import numpy as np
    return float(20 * np.log10(np.abs(frames).max()))


def _rms(frames, rate, start_s, end_s) -> float:
    import numpy as np
    part = frames[int(start_s * rate):int(end_s * rate)]
    return float(np.sqrt((part ** 2).mean())) if len(part) else 0.0


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    perf = sample_performance()
    folder = tmp_path_factory.mktemp("audio")
    audio.write(perf, folder / "show.wav")
    audio.write_ogg(perf, folder / "show.ogg")
    return perf, folder


@pytest.fixture(scope="module")
def default_show():
    """The shipped default show, composed: a real score's mix (its own soundfont quirks included)."""
    from sequencer.render import load_and_compose, resolve_score_path
    return load_and_compose(resolve_score_path(None))[1]


@pytest.mark.slow
@needs_fluidsynth
def test_wav_is_as_long_as_the_show_and_not_silent(rendered):
    perf, folder = rendered
    rate, frames = _read(folder / "show.wav")
    assert len(frames) == round((perf.length_s + audio.TAIL_S) * rate)
    assert _rms(frames, rate, 0, perf.length_s) > 0.01


@pytest.mark.slow
@needs_fluidsynth
def test_wav_is_at_the_loudness_target_without_clipping(rendered):
    _, folder = rendered
    rate, frames = _read(folder / "show.wav")
    assert abs(_lufs(rate, frames) - audio.TARGET_LUFS) <= 1.0
    assert _peak_dbfs(frames) <= audio.CEILING_DBFS["wav"] + 0.01


@pytest.mark.slow
@needs_fluidsynth
def test_ogg_is_the_same_mix_at_the_same_loudness(rendered):
    perf, folder = rendered
    rate, frames = _read(folder / "show.ogg")
    _, wav = _read(folder / "show.wav")
    assert len(frames) == len(wav)
    assert abs(_lufs(rate, frames) - audio.TARGET_LUFS) <= 1.0
    assert _peak_dbfs(frames) < 0  # a decoded Vorbis peak overshoots its input; the lower ceiling absorbs it
    assert (folder / "show.ogg").stat().st_size < (folder / "show.wav").stat().st_size / 5


@pytest.mark.slow
@needs_fluidsynth
def test_same_show_gives_the_same_audio_bytes(rendered, tmp_path):
    perf, folder = rendered
    audio.write_ogg(perf, tmp_path / "again.ogg")
    audio.write(perf, tmp_path / "again.wav")
    assert (tmp_path / "again.ogg").read_bytes() == (folder / "show.ogg").read_bytes()
    assert (tmp_path / "again.wav").read_bytes() == (folder / "show.wav").read_bytes()


@pytest.mark.slow
@needs_fluidsynth
def test_aroused_sections_are_louder(rendered):
    perf, folder = rendered
    rate, frames = _read(folder / "show.wav")
    loudness = {s.mood: _rms(frames, rate, perf.seconds(s.start_ticks), perf.seconds(s.end_ticks))
                for s in perf.sections}
    assert loudness["joyful"] > 1.5 * loudness["grief"]
    assert loudness["tense"] > loudness["mysterious"]


@pytest.mark.slow
@needs_fluidsynth
def test_composed_show_high_arousal_louder_than_grief(tmp_path):
    """The mix keeps the mood's dynamics: a hype section measures louder (LUFS) than a grief one."""
    from conftest import make_performance
    perf = make_performance("""
        title: Loud and soft
        seed: 3
        sections:
          - {name: Party, mood: hype, bars: 8}
          - {name: Loss, mood: grief, bars: 8}
    """)
    audio.write(perf, tmp_path / "show.wav")
    rate, frames = _read(tmp_path / "show.wav")
    party, loss = perf.sections
    hype = _lufs(rate, frames[int(perf.seconds(party.start_ticks) * rate):int(perf.seconds(party.end_ticks) * rate)])
    grief = _lufs(rate, frames[int(perf.seconds(loss.start_ticks) * rate):int(perf.seconds(loss.end_ticks) * rate)])
    assert hype > grief + 3


@pytest.mark.slow
@needs_fluidsynth
def test_wav_past_the_riff_size_limit_is_written_as_rf64(tmp_path, monkeypatch):
    """A show whose WAV would pass 4 GiB (here: a limit lowered to 1 MB) gets an RF64 header, same samples."""
    import soundfile
    perf = sample_performance()
    audio.write(perf, tmp_path / "riff.wav")
    monkeypatch.setattr(audio, "RIFF_LIMIT_BYTES", 1_000_000)
    audio.write(perf, tmp_path / "big.wav")
    assert soundfile.info(str(tmp_path / "riff.wav")).format == "WAV"
    assert soundfile.info(str(tmp_path / "big.wav")).format == "RF64"
    assert (tmp_path / "big.wav").read_bytes()[:4] == b"RF64"
    _, riff = _read(tmp_path / "riff.wav")
    _, big = _read(tmp_path / "big.wav")
    assert (riff == big).all()


def _normalise_array(samples, container, tmp_path):
    """Run the writer's two passes on an array instead of FluidSynth's output."""
    import numpy as np
    from sequencer.export import loudness
    spool = tmp_path / "spool.f32"
    spool.write_bytes(samples.astype(np.float32).tobytes())
    meter = audio.measure(samples[start:start + audio.BLOCK_FRAMES].astype(np.float32)
                          for start in range(0, len(samples), audio.BLOCK_FRAMES))
    plan = loudness.plan(meter, audio.TARGET_LUFS, audio.CEILING_DBFS[container])
    target = tmp_path / f"out.{container}"
    audio._encode(spool, target, container, len(samples), plan)
    return target, plan.reached_lufs


def _drum_like(seconds, seed=1):
    """Quiet noise with sharp loud clicks every half second: a crest factor a limiter must handle."""
    import numpy as np
    rng = np.random.default_rng(seed)
    samples = rng.standard_normal((int(seconds * audio.SAMPLE_RATE), 2)) * 0.03
    for at in range(0, len(samples), audio.SAMPLE_RATE // 2):
        samples[at:at + 200] += 0.9 * np.exp(-np.arange(200) / 40)[:, None]
    samples[len(samples) // 2:] *= 3  # a louder second half
    return samples


@pytest.mark.slow
def test_dc_offset_is_taken_out(tmp_path):
    """A lopsided render (a constant offset under the music) comes out as the centred one does once
    the first 200 ms are past (the writer eases the offset in from the silence a render starts with,
    and the limiter recovers from the first click); after the make-up gain the offset alone would
    sit 0.7 off zero."""
    import numpy as np
    (tmp_path / "lopsided").mkdir()
    (tmp_path / "centred").mkdir()
    lopsided, _ = _normalise_array(_drum_like(6) + 0.2, "wav", tmp_path / "lopsided")
    centred, _ = _normalise_array(_drum_like(6), "wav", tmp_path / "centred")
    _, lopsided = _read(lopsided)
    _, centred = _read(centred)
    settled = audio.SAMPLE_RATE // 5
    assert np.abs(lopsided[settled:] - centred[settled:]).max() < 0.001


def test_meter_reads_the_standards_reference_tone():
    """BS.1770's calibration: a full-scale 997 Hz sine in one channel measures -3.01 LUFS, and the
    K-weighting's 38 Hz high-pass takes a 10 Hz rumble down by more than 20 dB."""
    import numpy as np
    from sequencer.export import loudness
    t = np.arange(5 * audio.SAMPLE_RATE) / audio.SAMPLE_RATE

    def lufs(left):
        meter = audio.measure(np.stack([left, np.zeros_like(left)], axis=1)[start:start + audio.BLOCK_FRAMES]
                              .astype(np.float32) for start in range(0, len(left), audio.BLOCK_FRAMES))
        return loudness.integrated_lufs(loudness.hop_powers(meter.figure("power")))
    assert lufs(np.sin(2 * np.pi * 997 * t)) == pytest.approx(-3.01, abs=0.01)
    assert lufs(np.sin(2 * np.pi * 10 * t)) < -3.01 - 20


def test_meter_is_seamless_across_blocks():
    """The K-weighting carries its history from block to block: any split into blocks (whole chunks)
    gives the same figures as one block."""
    import numpy as np
    from sequencer.export import loudness
    samples = np.random.default_rng(5).standard_normal((3 * audio.SAMPLE_RATE + 1000, 2)).astype(np.float32)
    figures = []
    for size in (len(samples), audio.BLOCK_FRAMES, 245 * 7):
        meter = audio.measure(samples[start:start + size] for start in range(0, len(samples), size))
        figures.append([meter.figure(name) for name in ("power", "high", "low", "sum")])
    for other in figures[1:]:
        for mine, theirs in zip(figures[0], other):
            np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-6)


@pytest.mark.slow
def test_meter_agrees_with_pyloudnorm():
    import numpy as np
    from sequencer.export import loudness
    samples = _drum_like(12)
    meter = loudness.Meter(audio.SAMPLE_RATE)
    for start in range(0, len(samples), audio.BLOCK_FRAMES):
        meter.feed(samples[start:start + audio.BLOCK_FRAMES].astype(np.float32))
    measured = loudness.integrated_lufs(loudness.hop_powers(meter.figure("power")))
    assert measured == pytest.approx(_lufs(audio.SAMPLE_RATE, samples), abs=0.2)


@pytest.mark.slow
@needs_fluidsynth
def test_default_show_reaches_the_target_as_pyloudnorm_hears_it(default_show, tmp_path):
    """The writer's own meter and its prediction of the limited mix both agree with pyloudnorm within
    0.1 LU on a real render, and the offset FluidR3 leaves under the music is gone."""
    import numpy as np
    from sequencer.export import loudness
    reached = audio.render(default_show, tmp_path / "show.wav", "wav")
    rate, frames = _read(tmp_path / "show.wav")
    heard = _lufs(rate, frames)
    assert abs(heard - audio.TARGET_LUFS) <= 0.1
    assert abs(reached - heard) <= 0.1
    meter = audio.measure(frames[start:start + audio.BLOCK_FRAMES].astype(np.float32)
                          for start in range(0, len(frames), audio.BLOCK_FRAMES))
    assert loudness.integrated_lufs(loudness.hop_powers(meter.figure("power"))) == pytest.approx(heard, abs=0.1)
    assert np.abs(frames.mean(axis=0)).max() < 1e-4
    assert not frames[0].any()  # FluidSynth starts from silence, and so does the file: no click


@pytest.mark.slow
@pytest.mark.parametrize("container", ["wav", "ogg"])
def test_limiter_holds_the_ceiling_and_the_mix_reaches_the_target(container, tmp_path):
    samples = _drum_like(10)
    target, reached = _normalise_array(samples, container, tmp_path)
    rate, frames = _read(target)
    assert len(frames) == len(samples)
    assert abs(reached - audio.TARGET_LUFS) <= 0.1
    # Vorbis drops some of the white noise's top octave, so the decoded Ogg measures a little quieter.
    assert abs(_lufs(rate, frames) - audio.TARGET_LUFS) <= (0.3 if container == "wav" else 1.0)
    assert _peak_dbfs(frames) <= (audio.CEILING_DBFS[container] + 0.01 if container == "wav" else 0)
    # After the make-up gain each click would pass the ceiling for about 13 samples; a clipper would
    # flatten them all there, the limiter scales each click down whole, so its top is a sample or two.
    import numpy as np
    clicks = len(samples) // (audio.SAMPLE_RATE // 2)
    assert np.sum(np.abs(frames).max(axis=1) >= np.abs(frames).max() * 0.999) < 3 * clicks


def test_ogg_pages_get_one_fixed_serial_with_valid_checksums(tmp_path):
    import numpy as np
    import soundfile
    samples = (np.random.default_rng(0).standard_normal((20000, 2)) * 0.1).astype(np.float32)
    files = []
    for name in ("a.ogg", "b.ogg"):
        soundfile.write(tmp_path / name, samples, audio.SAMPLE_RATE, format="OGG", subtype="VORBIS")
        audio.fix_ogg_serial(tmp_path / name)
        files.append((tmp_path / name).read_bytes())
    assert files[0] == files[1]
    decoded, _ = soundfile.read(tmp_path / "a.ogg")  # libogg drops pages whose checksum is wrong
    assert len(decoded) == len(samples)


@needs_fluidsynth
@pytest.mark.slow
def test_interrupted_render_leaves_no_files_and_no_fluidsynth(tmp_path, monkeypatch):
    from sequencer.export import loudness
    started = []
    real_synth = audio._Synth

    class Watched(real_synth):
        def __init__(self, *args):
            super().__init__(*args)
            started.append(self.process)

    def interrupt(self, block):
        raise KeyboardInterrupt
    monkeypatch.setattr(audio, "_Synth", Watched)
    monkeypatch.setattr(loudness.Meter, "feed", interrupt)
    with pytest.raises(KeyboardInterrupt):
        audio.write(sample_performance(), tmp_path / "show.wav")
    assert list(tmp_path.iterdir()) == []
    assert started and started[0].poll() is not None


@needs_fluidsynth
@pytest.mark.slow
def test_fluidsynth_dies_with_the_process_that_started_it(tmp_path):
    """Kill the rendering process outright: the kernel takes FluidSynth down with it."""
    import select
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(os.path.dirname(__file__))!r})
        from export_samples import sample_performance
        from sequencer.export import audio, loudness
        def stop(self, block):
            print(synths[0].process.pid, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        synths = []
        class Watched(audio._Synth):
            def __init__(self, *args):
                super().__init__(*args)
                synths.append(self)
        audio._Synth = Watched
        loudness.Meter.feed = stop
        audio.write(sample_performance(repeat=20), {str(tmp_path / "show.wav")!r})
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == -9, done.stderr
    pid = int(done.stdout)
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return  # already gone
    readable, _, _ = select.select([handle], [], [], 30)
    os.close(handle)
    assert readable, "FluidSynth outlived its parent"


def test_fluidsynth_failing_midway_is_an_error_with_its_last_words(tmp_path, monkeypatch):
    """A synthesizer that writes a little audio and then fails stops the render at once, with its
    message, and leaves nothing behind."""
    fake = tmp_path / "fluidsynth"
    fake.write_text('#!/bin/sh\nwhile [ "$1" != "-F" ]; do shift; done\n'
                    'head -c 80000 /dev/zero > "$2"\necho "fluidsynth: error: out of voices" >&2\nexit 3\n')
    fake.chmod(0o755)
    font = tmp_path / "font.sf2"
    font.write_bytes(b"RIFF\x04\x00\x00\x00sfbk")
    monkeypatch.setattr(audio, "find_fluidsynth", lambda: str(fake))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(SequencerError, match=r"exit 3\).*out of voices"):
        audio.write(sample_performance(repeat=20), out / "show.wav", soundfont=str(font))
    assert list(out.iterdir()) == []


def test_missing_fluidsynth_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(audio.shutil, "which", lambda name: None)
    with pytest.raises(MissingToolError, match="apt-get install fluidsynth"):
        audio.write(sample_performance(), tmp_path / "show.wav")


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
    code, out, err = run_cli("render", "-f", "ogg", "-o", tmp_path / "out")
    assert code == 3
    assert "apt-get install fluidsynth" in err and "Traceback" not in err
    assert not list((tmp_path / "out").glob("*.ogg"))
