"""Exporters: each reads a `Performance` and writes one file format.

Modules are imported only when their format is asked for, so MIDI and JSON never pay for
Pillow (the PNG) or numpy (audio).
"""

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    suffix: str
    target: str  # "module:function" inside sequencer.export
    description: str
    options: tuple[str, ...] = ()  # render options this writer takes as keywords
    heavy: bool = False  # imports a large library (Pillow, numpy), runs a tool or takes long on long shows
    needs: tuple[str, ...] = ()  # formats whose files this one refers to, written along with it

    def writer(self):
        module, function = self.target.split(":")
        return getattr(import_module(f"{__name__}.{module}"), function)


FORMATS = {f.name: f for f in (
    Format("midi", ".mid", "midi:write", "multi-track MIDI file (type 1) with markers and dance cues"),
    Format("json", ".performance.json", "json:write", "the timed performance, machine-readable"),
    Format("pdf", ".sheet.pdf", "sheet_pdf:write", "printable choreography sheet", ("paper", "dancers"), heavy=True),
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
