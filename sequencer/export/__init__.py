"""Exporters: each reads a `Performance` and writes one file format.

Modules are imported only when their format is asked for, so MIDI and JSON never pay for
music21, matplotlib or the PDF library.
"""

import sys
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    suffix: str
    target: str  # "module:function" inside sequencer.export
    description: str
    options: tuple[str, ...] = ()  # render options this writer takes as keywords
    heavy: bool = False  # imports a large library (fpdf2, music21, matplotlib) or runs a tool
    needs: tuple[str, ...] = ()  # formats whose files this one refers to, written along with it
    library: str = ""  # the large library, imported up front so that…
    unused: tuple[str, ...] = ()  # …optional modules it imports eagerly, and this writer never uses, are skipped

    def writer(self):
        module, function = self.target.split(":")
        if self.library and self.library not in sys.modules:
            with _skipping(self.unused):
                import_module(self.library)
        return getattr(import_module(f"{__name__}.{module}"), function)


@contextmanager
def _skipping(modules):
    """Make `import name` fail inside the block for modules not yet loaded (Python's `None` in sys.modules).

    fpdf2 imports Pillow and numpy when it loads, for images the sheet never draws: about 150 ms.
    """
    skipped = [name for name in modules if name not in sys.modules]
    for name in skipped:
        sys.modules[name] = None
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Pillow could not be imported")
            yield
    finally:
        for name in skipped:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


FORMATS = {f.name: f for f in (
    Format("midi", ".mid", "midi:write", "multi-track MIDI file (type 1) with markers and dance cues"),
    Format("json", ".performance.json", "json:write", "the timed performance, machine-readable"),
    Format("pdf", ".sheet.pdf", "sheet_pdf:write", "printable choreography sheet", ("paper", "dancers"),
           heavy=True, library="fpdf", unused=("numpy", "PIL")),
    Format("md", ".sheet.md", "sheet_text:write_markdown", "choreography sheet in Markdown", ("dancers",)),
    Format("txt", ".sheet.txt", "sheet_text:write_text", "choreography sheet in plain text", ("dancers",)),
    Format("musicxml", ".musicxml", "musicxml:write", "notation: a dance staff with a lyrics line per dancer, "
           "every part of the band (MuseScore)"),
    Format("png", ".timeline.png", "picture:write_png", "timeline picture", heavy=True),
    Format("svg", ".timeline.svg", "picture:write_svg", "timeline picture, vector"),
    Format("wav", ".wav", "audio:write", "audio rendered with FluidSynth", ("soundfont",), heavy=True),
    Format("html", ".rehearsal.html", "html:write", "rehearsal page: counts, moves, loop, speed, count-in",
           needs=("ogg",)),
    Format("ogg", ".ogg", "audio:write_ogg", "audio rendered with FluidSynth, Ogg Vorbis", ("soundfont",),
           heavy=True),
)}

DEFAULT_FORMATS = ("midi", "json", "pdf", "md", "png")


def with_needs(names) -> tuple[str, ...]:
    """The formats asked for, each followed by the formats it needs that were not asked for."""
    out: list[str] = []
    for name in names:
        for wanted in (name, *FORMATS[name].needs):
            if wanted not in out:
                out.append(wanted)
    return tuple(out)
