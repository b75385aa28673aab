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
    "27-alias-bomb": (2, 32, "", "alias bomb"),
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


SLOW = {"27-alias-bomb"}  # expands half a million values before it is refused, twice


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n
                                  for n in sorted(EXPECTED)])
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


# -- reproducers of issue 15: hostile input answered with one located message -------------------------------

def score_file(folder, text, name="s.yaml"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


PLAIN = "title: T\n{extra}sections:\n  - {{name: A, mood: tense, bars: 4{section}}}\n"


def test_a_huge_unknown_name_gets_a_short_message_and_no_search(run_cli, tmp_path, monkeypatch):
    """A 1 MB unknown move name: no 'did you mean' search over it, and the echo is cut short."""
    import sequencer.errors
    compared = []
    real = sequencer.errors._similarity
    monkeypatch.setattr(sequencer.errors, "_similarity", lambda a, b: compared.append(a) or real(a, b))
    name = "x" * 1_000_000
    code, _, err = run_cli("check", score_file(tmp_path, PLAIN.format(
        extra="", section=f", moves: [{{at: '1:1', move: {name}}}]")))
    assert code == 2 and ":3:" in err and "unknown move 'xxxx" in err
    assert len(err) < 2000 and not compared


def test_many_long_unknown_names_are_not_searched(run_cli, tmp_path, monkeypatch):
    """500 pins with 200-character unknown names: each is one short message, none is compared."""
    import sequencer.errors
    compared = []
    monkeypatch.setattr(sequencer.errors, "_similarity", lambda a, b: compared.append(a) or 0.0)
    pins = ", ".join(f"{{at: '1:1', move: {'m' * 199}{i % 10}}}" for i in range(500))
    code, _, err = run_cli("check", score_file(tmp_path, PLAIN.format(extra="", section=f", moves: [{pins}]")))
    assert code == 2 and not compared
    assert max(len(line) for line in err.splitlines()) < 800


@pytest.mark.parametrize("tempo", ["1e309", "-1e309", "1.0e309"])
def test_an_infinite_tempo_is_named_as_a_number(run_cli, tmp_path, tempo):
    code, _, err = run_cli("check", score_file(tmp_path, PLAIN.format(extra=f"tempo: {tempo}\n", section="")))
    assert code == 2 and f":2:8: tempo: {tempo} is out of range" in err, err
    assert "text" not in err


def test_exponent_numbers_are_numbers(run_cli, tmp_path):
    code, _, err = run_cli("check", score_file(tmp_path, PLAIN.format(extra="tempo: 1e2\n", section="")))
    assert code == 0, err


@pytest.mark.parametrize("title, column, what", [
    ('"A\\0B\\x07\\e"', 8, "control character '\\x00'"),
    ('"\\e]0;owned\\a"', 8, "control character '\\x1b'"),
    ('"Two\\nlines"', 8, "must be one line"),
])
def test_control_characters_in_a_title_are_located(run_cli, tmp_path, title, column, what):
    code, _, err = run_cli("render", score_file(tmp_path, PLAIN.format(extra="", section="").replace(
        "title: T", f"title: {title}")), "-o", tmp_path / "out")
    assert code == 2 and err.startswith(f"{tmp_path / 's.yaml'}:1:{column}: ") and what in err, err
    assert "\x1b" not in err and "\x07" not in err and "\x00" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_utf16_and_bom_scores_are_read(run_cli, tmp_path, encoding):
    path = tmp_path / "s.yaml"
    path.write_bytes(PLAIN.format(extra="", section="").replace("title: T", "title: Café").encode(encoding))
    code, out, err = run_cli("check", path)
    assert code == 0 and "ok" in out, err


# -- includes: confined, capped ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["/etc/passwd", "../../../../../../../../etc/passwd", "/proc/self/status",
                                  "/dev/zero"])
def test_includes_outside_the_score_folder_are_refused_unread(run_cli, tmp_path, name):
    code, _, err = run_cli("check", score_file(tmp_path, PLAIN.format(extra=f"include: ['{name}']\n", section="")))
    assert code == 2 and f"{tmp_path / 's.yaml'}:2:11: include[0]: " in err, err
    assert "is outside" in err and "root:x" not in err and "VmRSS" not in err and "Name" not in err


def test_an_include_root_widens_the_tree(run_cli, tmp_path):
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "lib.yaml").write_text("moods:\n  stormy: {like: tense}\n", encoding="utf-8")
    (tmp_path / "show").mkdir()
    score = score_file(tmp_path / "show", PLAIN.format(extra="include: [../shared/lib.yaml]\n", section="")
                       .replace("mood: tense", "mood: stormy"))
    code, _, err = run_cli("check", score)
    assert code == 2 and "is outside" in err and "--include-root" in err
    code, _, err = run_cli("check", "--include-root", tmp_path, score)
    assert code == 0, err


def test_a_symlink_out_of_the_tree_is_refused(run_cli, tmp_path):
    (tmp_path / "lib.yaml").symlink_to("/etc/passwd")
    code, _, err = run_cli("check", score_file(tmp_path, PLAIN.format(extra="include: [lib.yaml]\n", section="")))
    assert code == 2 and "is outside" in err and "root:" not in err


def test_includes_are_capped_in_number_and_bytes(run_cli, tmp_path):
    from sequencer.library import MAX_INCLUDE_BYTES, MAX_INCLUDES
    for i in range(MAX_INCLUDES + 1):
        (tmp_path / f"l{i}.yaml").write_text("moods: {}\n", encoding="utf-8")
    names = ", ".join(f"l{i}.yaml" for i in range(MAX_INCLUDES + 1))
    code, _, err = run_cli("check", score_file(tmp_path, PLAIN.format(extra=f"include: [{names}]\n", section="")))
    assert code == 2 and f"{MAX_INCLUDES + 1} include files is more than the limit" in err
    code, _, err = run_cli("check", score_file(tmp_path, PLAIN.format(extra="include: [l0.yaml, l0.yaml]\n",
                                                                     section="")))
    assert code == 2 and ":2:20: include[1]: 'l0.yaml' is included twice" in err, err
    third = MAX_INCLUDE_BYTES // 3 + 1
    for i in range(3):
        (tmp_path / f"big{i}.yaml").write_bytes(b"moods: {}\n" + b"#" * third + b"\n")
    code, _, err = run_cli("check", score_file(tmp_path, PLAIN.format(
        extra="include: [big0.yaml, big1.yaml, big2.yaml]\n", section="")))
    assert code == 2 and "big2.yaml: library file is larger than the" in err and "in all" in err, err


def test_a_score_named_dot_yaml_writes_no_hidden_files(run_cli, tmp_path):
    score = score_file(tmp_path, PLAIN.format(extra="", section=""), name=".yaml")
    code, _, err = run_cli("render", score, "-f", "midi,json", "-o", tmp_path / "out", "-q")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["show.mid", "show.performance.json"]


def test_a_score_and_its_includes_share_one_value_budget(run_cli, tmp_path, monkeypatch):
    monkeypatch.setattr("sequencer.library.MAX_VALUES", 1000)
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("moods: {}\ngrooves: [" + ", ".join(["1"] * 600) + "]\n", encoding="utf-8")
    code, _, err = run_cli("check", score_file(tmp_path, PLAIN.format(extra="include: [a.yaml, b.yaml]\n",
                                                                     section="")))
    assert code == 2 and f"{tmp_path / 'b.yaml'}:2:" in err and "1,000 values in all" in err, err


@pytest.mark.parametrize("where", ["key", "position", "mood name", "combo id", "field"])
def test_huge_values_are_never_echoed_whole(run_cli, tmp_path, where):
    huge, key = "z" * 100_000, "Z" * 1000  # YAML allows keys of up to 1024 characters
    text = {"key": PLAIN.format(extra="", section=f", key: {huge}"),
            "position": PLAIN.format(extra="", section=f", moves: [{{at: '{huge}', move: windmill}}]"),
            "mood name": PLAIN.format(extra=f"moods: {{{key}: {{like: tense}}}}\n", section=""),
            "combo id": PLAIN.format(extra=f"combos: {{{key}: {{name: C, moves: [windmill]}}}}\n", section=""),
            "field": PLAIN.format(extra=f"{key}: 1\n", section="")}[where]
    code, _, err = run_cli("check", score_file(tmp_path, text))
    assert code == 2 and max(len(line) for line in err.splitlines()) < 800, err[:3000]


def test_a_pin_refused_while_composing_is_located_to_the_column(run_cli, tmp_path):
    text = ("title: T\ncast: [{name: Mira, skill: 1}]\nsections:\n"
            "  - {name: A, mood: tense, bars: 8, moves: [{at: '1:1', move: airchair}]}\n")
    code, _, err = run_cli("check", score_file(tmp_path, text))
    assert code == 2 and err.startswith(f"{tmp_path / 's.yaml'}:4:45: sections[0].moves[0]: "), err
