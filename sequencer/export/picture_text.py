"""How wide text set in DejaVu Sans is, so the timeline picture places labels only where they fit.

The advance widths are DejaVu Sans's own (regular and bold, in 1/2048 em), kept here so that the
layout needs neither the font file nor an imaging library: the PNG and the SVG get the same layout.
"""

import unicodedata

ASCENT, DESCENT = 1901 / 2048, 483 / 2048  # of the em, above and below the baseline
ELLIPSIS = "…"

# printable ASCII, space (32) to tilde (126)
_REGULAR = (
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, 1303, 1303, 1303, 1303,
    1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178,
    1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251,
    1403, 799, 690, 799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995,
    1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716)
_BOLD = (
    713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748, 1425, 1425, 1425, 1425,
    1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716, 1188, 2048, 1585, 1561, 1503, 1700, 1399, 1399,
    1681, 1714, 762, 762, 1587, 1305, 2038, 1714, 1741, 1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483,
    1485, 936, 748, 936, 1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362, 702, 2134,
    1458, 1407, 1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192, 1458, 748, 1458, 1716)
# (regular, bold) of the punctuation the picture writes beyond ASCII
_EXTRA = {"—": (2048, 2048), "–": (1024, 1024), "…": (2048, 2048), "−": (1716, 1716), "’": (651, 778),
          "‘": (651, 778), "“": (1061, 1346), "”": (1061, 1346), "·": (651, 778)}
_UNKNOWN = 2048  # a character outside the table counts as a full em: a label may be dropped, never overflow


def _units(char: str, bold: bool) -> int:
    code = ord(char)
    if 32 <= code < 127:
        return (_BOLD if bold else _REGULAR)[code - 32]
    if char in _EXTRA:
        return _EXTRA[char][bold]
    base = unicodedata.normalize("NFD", char)[0]  # an accented letter is as wide as its letter
    return _units(base, bold) if base != char else _UNKNOWN


def width(text: str, size: float, bold: bool = False) -> float:
    """Pixels `text` takes at `size` pixels per em."""
    return sum(_units(char, bold) for char in text) * size / 2048


def fit(text: str, room: float, size: float, bold: bool = False) -> str:
    """`text`, or as much of it as fits in `room` pixels ending in an ellipsis; "" when not even one letter does."""
    if width(text, size, bold) <= room:
        return text
    kept = text
    while kept and width(kept.rstrip() + ELLIPSIS, size, bold) > room:
        kept = kept[:-1]
    return kept.rstrip() + ELLIPSIS if kept.strip() else ""


def wrap(text: str, room: float, size: float, bold: bool = False, lines: int = 3) -> list[str]:
    """`text` broken at spaces into at most `lines` lines of `room` pixels. Where the lines run out, or a word
    is wider than a line, the text stops there with an ellipsis; empty when not even one letter fits."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and width(f"{line} {words[0]}", size, bold) <= room:
            line = f"{line} {words.pop(0)}"
        if width(line, size, bold) > room:  # one word wider than the line
            words.clear()
            line = fit(line, room, size, bold)
        out.append(line)
    if words and out:
        out[-1] = fit(f"{out[-1]} {' '.join(words)}", room, size, bold)
    return [line for line in out if line]
