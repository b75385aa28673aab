"""The timeline picture as PNG, drawn with Pillow from the display list (picture_items).

Rectangles are filled in bulk, a hatch is laid over all the rectangles of one style at once
through a mask, text is DejaVu Sans anti-aliased by FreeType. Pillow writes no date or
software chunk, so the bytes depend only on the picture.
"""

from functools import lru_cache
from io import BytesIO

from PIL import Image, ImageChops, ImageDraw, ImageFont

from .fonts import required_dejavu_sans
from .picture_items import HATCH_DOT, HATCH_INK, HATCH_STROKE, HATCHES, Line, Picture, Rects, Text

COMPRESS_LEVEL = 4  # measured: 16 % smaller than 3 for a quarter more time; 6 saves 5 % more for 20 % more
_SUPERSAMPLE = 4  # hatch tiles are drawn this much larger, then shrunk: anti-aliased strokes
_ANCHORS = {"left": "ls", "middle": "ms", "right": "rs"}


def to_png(picture: Picture) -> bytes:
    image = Image.new("RGB", (picture.width, picture.height), "#ffffff")
    draw = ImageDraw.Draw(image)
    run: list[Rects] = []
    for item in picture.items:
        if isinstance(item, Rects):
            run.append(item)
            continue
        _rects(image, draw, run)
        run = []
        if isinstance(item, Line):
            _line(draw, item)
        elif isinstance(item, Text):
            draw.text((item.x, item.y), item.text, fill=item.colour, font=_font(item.size, item.bold),
                      anchor=_ANCHORS[item.align])
    _rects(image, draw, run)
    buffer = BytesIO()
    image.save(buffer, "PNG", compress_level=COMPRESS_LEVEL)
    return buffer.getvalue()


def _pixels(box) -> tuple[int, int, int, int]:
    """A continuous box as Pillow's inclusive pixel box, at least one pixel each way."""
    x0, y0, x1, y1 = round(box[0]), round(box[1]), round(box[2]), round(box[3])
    return x0, y0, max(x1, x0 + 1) - 1, max(y1, y0 + 1) - 1


def _rects(image, draw, run: list[Rects]):
    """Rectangle items drawn one after another (which do not overlap: bands, bars): all filled, then each hatch
    laid through one mask for all its rectangles, then all outlined."""
    boxes = [[_pixels(box) for box in item.boxes] for item in run]
    for item, pixels in zip(run, boxes):
        if item.fill:
            for box in pixels:
                draw.rectangle(box, fill=item.fill)
    hatched: dict[str, list] = {}
    for item, pixels in zip(run, boxes):
        if item.hatch in HATCHES:
            hatched.setdefault(item.hatch, []).extend(pixels)
    for name, pixels in hatched.items():
        _hatch(image, name, pixels)
    for item, pixels in zip(run, boxes):
        if item.outline:  # over the right neighbour's first column: bars side by side share one edge line
            for x0, y0, x1, y1 in pixels:
                draw.rectangle((x0, y0, x1 + 1, y1), outline=item.outline, width=item.width)


def _hatch(image, name: str, boxes):
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes) + 1, max(b[3] for b in boxes) + 1
    mask = Image.new("L", (right - left, bottom - top), 0)
    shapes = ImageDraw.Draw(mask)
    for x0, y0, x1, y1 in boxes:
        shapes.rectangle((x0 - left, y0 - top, x1 - left, y1 - top), fill=255)
    pattern = _hatch_region(name, left, top, right, bottom)
    image.paste(HATCH_INK, (left, top, right, bottom), ImageChops.multiply(mask, pattern))


def _line(draw, item: Line):
    if item.width % 2:  # an odd width centred on a pixel centre: Pillow counts pixels from their corner
        points = [(int(x), int(y)) for x, y in item.points]
    else:
        points = [(round(x), round(y)) for x, y in item.points]
    draw.line(points, fill=item.colour, width=item.width, joint="curve" if item.width > 1 else None)


def _hatch_region(name: str, left: int, top: int, right: int, bottom: int) -> Image.Image:
    """The hatch's coverage (0-255) over a part of the picture, its tile repeated from the picture's corner."""
    size = HATCHES[name].size
    tile = _hatch_tile(name).tobytes()
    width, height = right - left, bottom - top
    shift = left % size
    rows = [((tile[y * size:(y + 1) * size] * 2)[shift:shift + size] * (width // size + 1))[:width]
            for y in range(size)]
    return Image.frombytes("L", (width, height), b"".join(rows[(top + y) % size] for y in range(height)))


@lru_cache(maxsize=None)
def _hatch_tile(name: str) -> Image.Image:
    """One tile of the hatch, its strokes anti-aliased by drawing it larger and shrinking it."""
    hatch, scale = HATCHES[name], _SUPERSAMPLE

    def at(value: float) -> float:  # a tile coordinate as Pillow's pixel index in the larger tile
        return value * scale - 0.5

    tile = Image.new("L", (hatch.size * scale, hatch.size * scale), 0)
    pen = ImageDraw.Draw(tile)
    for x0, y0, x1, y1 in hatch.strokes:
        pen.line([(at(x0), at(y0)), (at(x1), at(y1))], fill=255, width=round(HATCH_STROKE * scale))
    r = HATCH_DOT * scale
    for x, y in hatch.dots:
        pen.ellipse((at(x) - r, at(y) - r, at(x) + r, at(y) + r), fill=255)
    return tile.resize((hatch.size, hatch.size), Image.Resampling.BOX)


@lru_cache(maxsize=None)
def _font(size: int, bold: bool):
    found = required_dejavu_sans("the timeline picture")
    return ImageFont.truetype(str(found[1] if bold else found[0]), size)
