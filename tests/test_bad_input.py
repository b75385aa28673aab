"""The bad-input corpus: every broken score ends in one located message and exit code 2, never a traceback."""

from pathlib import Path

import pytest
from conftest import make_score

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "bad_scores"

# file → (line, column, field path or "" for the document, words the message must contain)
EXPECTED = {
    "01-malformed-yaml": (4, 1, "", "invalid YAML"),
    "02-duplicate-key": (6, 5, "", "duplicate key 'bars' (first given on line 5)"),
    "03-not-a-mapping": (1, 1, "", "must be a mapping of fields, got a list"),
    "04-missing-sections": (1, 1, "", "missing required field 'sections'"),
    "05-empty-sections": (2, 11, "sections", "at least one"),
    "06-unknown-mood": (4, 11, "sections[0].mood", "did you mean 'melancholy'?"),
    "07-zero-bars": (3, 38, "sections[0].bars", "from 1 to 512"),
    "08-absurd-bars": (3, 38, "sections[0].bars", "100000 is out of range"),
    "09-bars-not-a-number": (5, 11, "sections[0].bars", "must be a whole number, got text 'eight'"),
    "10-absurd-tempo": (3, 47, "sections[0].tempo", "from 30 to 300"),
    "11-ramp-missing-end": (6, 12, "sections[0].tempo", "missing required field 'to'"),
    "12-score-tempo-ramp": (2, 8, "tempo", "cannot ramp"),
    "13-bad-meter": (2, 8, "meter", "'4/5' is not a supported time signature"),
    "14-bad-key": (2, 6, "key", "'H minor' is not a key"),
    "15-unknown-dancer": (9, 23, "sections[0].dancers[1]", "did you mean 'Lena'?"),
    "16-pin-outside-section": (7, 14, "sections[0].moves[0].at", "bar 9 is outside the section"),
    "17-unknown-move": (7, 27, "sections[0].moves[0].move", "did you mean 'windmill'?"),
    "18-beat-outside-bar": (8, 14, "sections[0].moves[0].at", "beat 5 does not exist in 3/4"),
    "19-move-and-combo": (7, 9, "sections[0].moves[0]", "exactly one of 'move' or 'combo'"),
    "20-python-tag": (1, 8, "", "is not allowed here"),
    "21-unknown-top-field": (2, 1, "tempos", "did you mean 'tempo'?"),
    "22-unknown-section-field": (3, 5, "sections[0]", "missing required field 'mood'"),
    "23-skill-out-of-range": (3, 27, "cast[0].skill", "from 1 to 5"),
    "24-duplicate-dancer": (4, 12, "cast[1].name", "listed twice"),
    "25-solo-with-two": (4, 52, "sections[0].formation", "'solo' is for one dancer, this section has 2"),
    "26-negative-seed": (2, 7, "seed", "-1 is out of range"),
    "27-alias-bomb": (2, 29, "", "alias bomb"),
    "28-tab-indent": (3, 1, "", "invalid YAML"),
    "29-unknown-theme": (4, 50, "sections[0].themes[0]", "unknown theme"),
    "30-section-meter": (3, 48, "sections[0].meter", "'7/9' is not a supported time signature"),
    "31-missing-include": (2, 11, "include[0]", "no library file 'no-such-library.yaml'"),
    "32-bad-position": (7, 14, "sections[0].moves[0].at", "expected \"BAR:BEAT\""),
    "33-two-dancers-no-pin-dancer": (9, 9, "sections[0].moves[0]", "say which dancer"),
    "34-inline-mood-bad-valence": (4, 5, "moods.stormy", "like: tense"),
    "35-mood-unknown-groove": (3, 35, "moods.stormy.grooves[0]", "did you mean 'amen'?"),
    "36-combo-unknown-mood": (3, 63, "combos.mine.moods[0]", "did you mean 'grief'?"),
    "37-rules-unknown-mood": (4, 5, "rules.moods.stromy", "rules for unknown mood"),
    "38-move-breaks-combo": (3, 3, "moves.airchair", "no longer fits combo 'bakhyt-signature'"),
}


def test_corpus_is_complete():
    assert sorted(p.stem for p in CORPUS.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_score_is_located(name, run_cli):
    line, column, field, words = EXPECTED[name]
    path = CORPUS / f"{name}.yaml"
    for command in ("check", "render"):
        code, out, err = run_cli(command, path, "-o", path.parent / "never-written") if command == "render" \
            else run_cli(command, path)
        assert code == 2, err
        assert "Traceback" not in err and "internal error" not in err
        first = err.splitlines()[0]
        prefix = f"{path}:{line}:{column}: " + (f"{field}: " if field else "")
        assert first.startswith(prefix), first
        assert words in err
    assert not (path.parent / "never-written").exists()


def test_check_lists_every_violation(run_cli, tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text("title: Many faults\nseed: -3\ntempo: 900\nsections:\n"
                    "  - {name: A, mood: grif, bars: 0}\n  - {name: B, mood: joyful, bars: 8, tempo: 10}\n")
    code, _, err = run_cli("check", path)
    assert code == 2
    fields = [line.split(": ")[1] for line in err.splitlines()]
    assert fields == ["seed", "tempo", "sections[0].mood", "sections[0].bars", "sections[1].tempo"]


def test_not_utf8(run_cli, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Caf\xe9\nsections: []\n".encode("latin-1"))
    code, _, err = run_cli("check", path)
    assert code == 2 and str(path) in err and "UTF-8" in err and "Traceback" not in err


def test_binary_file(run_cli, tmp_path):
    path = tmp_path / "noise.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    code, _, err = run_cli("check", path)
    assert code == 2 and str(path) in err


def test_missing_file(run_cli, tmp_path):
    code, _, err = run_cli("render", tmp_path / "nope.yaml", "-o", tmp_path / "out")
    assert code == 2 and "nope.yaml" in err and "no such file" in err.lower()
    assert not (tmp_path / "out").exists()


def test_unknown_format(run_cli, tmp_path):
    code, _, err = run_cli("render", "-f", "midi,mp3", "-o", tmp_path)
    assert code == 2 and "--format" in err and "'mp3'" in err and "musicxml" in err


def test_bad_include_file_points_into_it(run_cli, tmp_path):
    (tmp_path / "extra.yaml").write_text("moods:\n  stormy:\n    like: tens\n")
    score = tmp_path / "score.yaml"
    score.write_text("title: T\ninclude: [extra.yaml]\nsections:\n  - {name: A, mood: stormy, bars: 8}\n")
    code, _, err = run_cli("check", score)
    assert code == 2
    assert err.startswith(f"{tmp_path / 'extra.yaml'}:3:11: moods.stormy.like: unknown mood 'tens'")
    assert "did you mean 'tense'?" in err


def test_new_mood_like_a_known_one():
    score = make_score("""
        title: Like
        moods:
          stormy: {like: tense, tempo: [150, 170], valence: -0.6}
        sections:
          - {name: A, mood: stormy, bars: 8}
    """)
    mood = score.library.moods["stormy"]
    tense = score.library.moods["tense"]
    assert mood.tempo_bpm == (150, 170) and mood.valence == -0.6
    assert mood.progressions == tense.progressions and mood.arousal == tense.arousal
