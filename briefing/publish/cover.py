"""The show's cover art: the show's own image (checked against Apple's rules) or, when it gives none, a generated
square PNG (deterministic: the same show always gets the same bytes)."""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from briefing.errors import BriefingError
from briefing.feedspec.artwork import artwork_facts, artwork_problems
from briefing.settings import Workspace
from briefing.userfile import IMAGE_LIMIT, read_user_file

GENERATED_SIDE = 1400
# NanumSquare Bold, shipped with briefing (SIL Open Font License 1.1, see fonts/OFL.txt): Hangul and Latin alike.
TITLE_FONT = Path(__file__).resolve().parent / "fonts" / "NanumSquareB.ttf"
MAX_TITLE_LINES = 3


@dataclass(frozen=True)
class Cover:
    file_name: str  # in the feed folder
    data: bytes


def show_cover(path: Path) -> Cover:
    """The show's own cover, refused in one sentence when a podcast directory would refuse it."""
    data = read_user_file(path, "cover image", hint=" (fix 'cover' in show.toml or remove it)", limit=IMAGE_LIMIT)
    facts = artwork_facts(data)
    if facts.format is None:
        raise BriefingError("cover is not an image Pillow can read; use a JPEG or PNG", path)
    problems = artwork_problems(facts)
    suffix = ".jpg" if facts.format == "JPEG" else ".png"
    if problems:
        raise BriefingError(f"{problems[0]}; Apple wants a square RGB JPEG or PNG of 1400–3000 px", path)
    return Cover(file_name="cover" + suffix, data=data)


def _palette(title: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    digest = hashlib.sha256(title.encode("utf-8")).digest()
    background = (16 + digest[0] % 32, 24 + digest[1] % 40, 48 + digest[2] % 64)
    accent = (160 + digest[3] % 96, 96 + digest[4] % 128, 64 + digest[5] % 96)
    return background, accent


@functools.cache
def generated_cover_png(title: str, side: int = GENERATED_SIDE) -> bytes:
    """A plain, legible cover: a dark field, the show's title (Hangul or Latin) and a sound-wave motif drawn from it.

    The same title always gives the same bytes: the font ships with briefing and is laid out without optional
    libraries (Pillow's basic layout), so no machine's fonts or shaping library changes the picture."""
    background, accent = _palette(title)
    image = Image.new("RGB", (side, side), background)
    draw = ImageDraw.Draw(image)
    digest = hashlib.sha256(("bars:" + title).encode("utf-8")).digest()
    bars, margin = 24, side // 10
    width = (side - 2 * margin) // bars
    for index in range(bars):
        height = side * (0.08 + 0.30 * digest[index] / 255)
        x = margin + index * width
        top = side * 0.62 - height / 2
        draw.rounded_rectangle((x + width * 0.2, top, x + width * 0.8, top + height), radius=width * 0.3, fill=accent)
    _draw_title(draw, title, side, margin)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _draw_title(draw: ImageDraw.ImageDraw, title: str, side: int, margin: int) -> None:
    """The title in the top third, as large as fits in at most three lines."""
    room = side - 2 * margin
    for size in range(side // 11, side // 28, -side // 140):
        font = ImageFont.truetype(str(TITLE_FONT), size, layout_engine=ImageFont.Layout.BASIC)
        lines = _wrapped(title, font, room)
        if lines is not None and len(lines) <= MAX_TITLE_LINES:
            break
    else:
        lines = (_wrapped(title, font, room, force=True) or [title])[:MAX_TITLE_LINES]
    line_height = round(font.size * 1.25)
    for number, line in enumerate(lines):
        draw.text((margin, side * 0.12 + number * line_height), line, font=font, fill=(245, 245, 245))


def _wrapped(title: str, font: ImageFont.FreeTypeFont, room: int, *, force: bool = False) -> list[str] | None:
    """The title broken into lines at spaces so each fits `room` pixels; None when a word alone is wider (unless
    `force`, which breaks such a word between syllables)."""
    lines: list[str] = []
    for word in title.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= room:
            lines[-1] = candidate
            continue
        if font.getlength(word) > room:
            if not force:
                return None
            piece = ""
            for character in word:
                if piece and font.getlength(piece + character) > room:
                    lines.append(piece)
                    piece = ""
                piece += character
            word = piece
        lines.append(word)
    return lines


def cover_for(workspace: Workspace) -> Cover:
    if workspace.settings.cover is not None:
        return show_cover(workspace.path(workspace.settings.cover))
    return Cover(file_name="cover.png", data=generated_cover_png(workspace.settings.title))
