"""The format registry imports only what a format uses: each path is run in a fresh interpreter."""

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("numpy", "PIL", "matplotlib", "music21", "mido", "scipy", "fpdf")


def _modules_after_writing(formats, tmp_path) -> set[str]:
    script = f"""
import json, sys
sys.path.insert(0, {os.path.dirname(__file__)!r})
from export_samples import sample_performance
from sequencer.render import write_outputs
write_outputs(sample_performance(), {str(tmp_path)!r}, "show", {formats!r})
print(json.dumps(sorted(name for name in {HEAVY!r} if name in sys.modules)))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "SEQUENCER_JOBS": "1"})
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))


@pytest.mark.slow
def test_midi_and_json_import_no_large_library(tmp_path):
    assert _modules_after_writing(("midi", "json", "md", "txt"), tmp_path) == set()


@pytest.mark.slow
def test_pdf_loads_fpdf_without_numpy_or_pillow(tmp_path):
    assert _modules_after_writing(("pdf",), tmp_path) == {"fpdf"}
    assert (tmp_path / "show.sheet.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_pdf_then_picture_in_one_process_still_gets_pillow(tmp_path):
    """Skipping Pillow for fpdf must not hide it from the picture later in the same process."""
    loaded = _modules_after_writing(("pdf", "png"), tmp_path)
    assert {"fpdf", "PIL"} <= loaded and "matplotlib" not in loaded
    assert (tmp_path / "show.timeline.png").read_bytes().startswith(b"\x89PNG")
