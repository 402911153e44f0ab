"""What Apple asks of podcast artwork: JPEG or PNG, RGB colour space, square, 1400–3000 pixels a side."""

from __future__ import annotations

from typing import Protocol

MIN_SIDE = 1400
MAX_SIDE = 3000
FORMATS = ("JPEG", "PNG")
# Palette PNGs index into RGB; greyscale and CMYK are not RGB.
RGB_MODES = ("RGB", "RGBA", "P")


class Picture(Protocol):
    """What the checks read of an image: a Pillow image, or the validator's facts about one."""

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
    found = (format_problem(image), size_problem(image), colour_problem(image))
    return [problem for problem in found if problem]
