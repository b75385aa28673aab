"""Stage positions: every shape keeps dancers on stage and apart, and bad `stage:` fields are reported."""

import math

import pytest
from conftest import make_performance, make_score

from sequencer.errors import InputError
from sequencer.export.json import to_dict
from sequencer.stage import MIN_GAP, SHAPES, initials, place

CAST = "cast: [{name: Bakhyt}, {name: Lena}, {name: Aru}]"


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_keeps_up_to_eight_dancers_on_stage_and_apart(shape):
    for n in range(1, 9):
        names = [f"D{i}" for i in range(n)]
        points = place(shape, names)
        assert [p[0] for p in points] == names
        assert all(-1 <= x <= 1 and 0 <= y <= 1 for _, x, y in points), (shape, n, points)
        gaps = [math.dist(a[1:], b[1:]) for i, a in enumerate(points) for b in points[i + 1:]]
        assert min(gaps, default=1) >= MIN_GAP, (shape, n)


def _score(stage: str, dancers: str = "") -> str:
    return f"""
        title: t
        {CAST}
        sections:
          - name: a
            mood: joyful
            bars: 2
            {dancers}
            stage: {stage}
        """


def test_positions_given_per_dancer_reach_the_json():
    perf = make_performance(_score("{Bakhyt: [-0.5, 0.3], Lena: [0.5, 0.3], Aru: [0, 0.8]}"))
    assert to_dict(perf)["sections"][0]["stage"] == {"Bakhyt": [-0.5, 0.3], "Lena": [0.5, 0.3], "Aru": [0.0, 0.8]}


def test_a_named_shape_and_the_default_place_every_dancer():
    v = make_performance(_score("v")).sections[0].stage
    assert [d for d, _, _ in v] == ["Bakhyt", "Lena", "Aru"]
    assert v[0][1:] == (0.0, 0.2)  # the first dancer at the point of the V, downstage centre
    default = make_performance(_score("line").replace("stage: line", "formation: canon")).sections[0].stage
    assert len(default) == 3 and len({(x, y) for _, x, y in default}) == 3


@pytest.mark.parametrize("stage, dancers, message, column", [
    ("{Bakhyt: [-0.5, 0.3], Lena: [-0.45, 0.3], Aru: [0, 0.8]}", "", "Lena stands 0.05 from Bakhyt", 40),
    ("{Bakhyt: [-0.5, 0.3], Lena: [0.5, 0.3], Aru: [1.5, 0.8]}", "", "1.5 is out of range", 58),
    ("{Bakhyt: [-0.5, 0.3], Lena: [0.5, 0.3]}", "", "Aru has none", 12),
    ("{Bakhyt: [-0.5, 0.3], Zed: [0.5, 0.3]}", "dancers: [Bakhyt]", "unknown dancer 'Zed'", 34),
    ("blob", "", "unknown value 'blob'", 12),
    ("[1, 2]", "", "must be a shape or a position per dancer", 12),
])
def test_bad_stages_are_reported_with_their_place(stage, dancers, message, column):
    with pytest.raises(InputError) as caught:
        make_score(_score(stage, dancers))
    text = caught.value.message()
    assert message in text and "sections[0].stage" in text
    assert f"test.yaml:9:{column}:" in text, text


def test_initials_tell_every_dancer_apart():
    assert initials(["Aru", "Ayan", "Bakhyt"]) == {"Aru": "Ar", "Ayan": "Ay", "Bakhyt": "B"}
