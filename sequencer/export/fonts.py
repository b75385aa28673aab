"""Where the sheet and the timeline picture find their font, DejaVu Sans (regular and bold).

matplotlib carries it in its data folder (found without importing matplotlib); Debian's
fonts-dejavu-core puts it under /usr/share/fonts. None when neither is there.
"""

import importlib.util
from pathlib import Path

_SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")


def dejavu_sans() -> tuple[Path, Path] | None:
    """DejaVu Sans (regular, bold) from matplotlib's data folder or the system's."""
    folders = [_SYSTEM_FONTS]
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.origin is not None:
        folders.insert(0, Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    for folder in folders:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def required_dejavu_sans(what: str) -> tuple[Path, Path]:
    """DejaVu Sans (regular, bold), or a MissingToolError (exit 3) naming `what` needs it."""
    found = dejavu_sans()
    if found is None:
        from ..errors import MissingToolError
        raise MissingToolError(f"{what} needs the DejaVu Sans font, which matplotlib carries; install "
                               "matplotlib (pip install matplotlib) or the system's fonts-dejavu-core")
    return found
