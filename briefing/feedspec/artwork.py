"""What Apple asks of podcast artwork: JPEG or PNG, RGB colour space, square, 1400–3000 pixels a side, and a
whole file; and the facts about an image those rules look at, read without trusting it."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Protocol

from PIL import Image, JpegImagePlugin, PngImagePlugin, UnidentifiedImageError

MIN_SIDE = 1400
MAX_SIDE = 3000
FORMATS = ("JPEG", "PNG")
# Palette PNGs index into RGB; greyscale and CMYK are not RGB.
RGB_MODES = ("RGB", "RGBA", "P")


class Picture(Protocol):
    """What the checks read of an image: a Pillow image, or the facts about one (`ArtworkFacts`)."""

    @property
    def format(self) -> str | None: ...
    @property
    def size(self) -> tuple[int, int]: ...
    @property
    def mode(self) -> str: ...


def format_problem(image: Picture) -> str | None:
    if image.format not in FORMATS:
        return f"artwork is {image.format or 'of an unknown format'}, not JPEG or PNG"
    return None


def size_problem(image: Picture) -> str | None:
    width, height = image.size
    if width != height:
        return f"artwork is {width}×{height} px, not square"
    if not MIN_SIDE <= width <= MAX_SIDE:
        return f"artwork is {width}×{height} px, outside {MIN_SIDE}–{MAX_SIDE} px"
    return None


def colour_problem(image: Picture) -> str | None:
    if image.mode not in RGB_MODES:
        return f"artwork's colour mode is {image.mode}, not RGB"
    return None


def artwork_problems(image: Picture) -> list[str]:
    found = (format_problem(image), size_problem(image), colour_problem(image), integrity_problem(image))
    return [problem for problem in found if problem]


def integrity_problem(image: Picture) -> str | None:
    if getattr(image, "intact", None) is False:  # an opened Pillow image has not been decoded: nothing known yet
        return f"artwork is a damaged or cut-short {image.format} file"
    return None


@dataclass(frozen=True)
class ArtworkFacts:
    """What the artwork rules look at: format, size and colour mode from the image's header, and whether its pixels
    decode whole (None: not tried, as for an image of a size no directory accepts anyway)."""

    format: str | None
    size: tuple[int, int]
    mode: str
    intact: bool | None = None


UNREADABLE = ArtworkFacts(None, (0, 0), "")


def artwork_facts(data: bytes) -> ArtworkFacts:
    """The facts about the image in `data` (UNREADABLE when it is none). Its pixels are decoded only when its size is
    one Apple accepts, so an image of 20000×20000 pixels (a decompression bomb) is described, never decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                facts = ArtworkFacts(image.format, image.size, image.mode)
                if size_problem(image) is None:
                    facts = ArtworkFacts(facts.format, facts.size, facts.mode, _decodes(image))
                return facts
    except Image.DecompressionBombError:
        return _header_only(data)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return UNREADABLE


def _decodes(image: Image.Image) -> bool:
    try:
        image.load()  # raises on a truncated or corrupt file (Pillow does not load truncated images by default)
    except (OSError, ValueError, SyntaxError):
        return False
    return True


def _header_only(data: bytes) -> ArtworkFacts:
    """Format, size and mode read from the header of a PNG or JPEG too large for Pillow to open."""
    for plugin in (PngImagePlugin.PngImageFile, JpegImagePlugin.JpegImageFile):
        try:
            image = plugin(io.BytesIO(data))  # the plugin reads the header; only Image.open refuses huge sizes
        except (OSError, ValueError, SyntaxError):
            continue
        with image:
            return ArtworkFacts(image.format, image.size, image.mode)
    return UNREADABLE
