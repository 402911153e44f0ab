"""The generated cover names the show, Korean titles included, in the font briefing ships, the same bytes every
time."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys

from PIL import Image

from briefing.publish.cover import TITLE_FONT, generated_cover_png

WHITE = (245, 245, 245)


def _title_pixels(png: bytes) -> int:
    """How many pixels of the cover's top third are in the title's colour."""
    with Image.open(io.BytesIO(png)) as image:
        top = image.convert("RGB").crop((0, 0, image.width, image.height // 3))
        return sum(count for count, colour in top.getcolors(maxcolors=1 << 20) if colour == WHITE)


def test_a_korean_title_is_drawn_on_the_generated_cover():
    korean = generated_cover_png("서울 테크 레터")
    assert _title_pixels(korean) > 5_000
    # A longer name is wrapped, not cut: all of it is drawn, over more lines, within the picture.
    long_title = "아침마다 듣는 동남아시아와 동아시아 스타트업 업계의 모든 소식 정리"
    assert _title_pixels(generated_cover_png(long_title)) > _title_pixels(korean)
    with Image.open(io.BytesIO(korean)) as image:
        assert image.size == (1400, 1400) and image.mode == "RGB"


def test_the_generated_cover_is_the_same_bytes_in_every_process():
    code = (
        "import hashlib, sys; from briefing.publish.cover import generated_cover_png; "
        "sys.stdout.write(hashlib.sha256(generated_cover_png('서울 테크 레터 Seoul')).hexdigest())"
    )
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}  # fmt: skip
    assert runs == {hashlib.sha256(generated_cover_png("서울 테크 레터 Seoul")).hexdigest()}


def test_the_cover_font_ships_with_its_licence():
    from PIL import ImageFont

    assert ImageFont.truetype(str(TITLE_FONT), 20).getname() == ("NanumSquare", "Bold")
    licence = (TITLE_FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence and "NAVER" in licence
    assert hashlib.sha256(TITLE_FONT.read_bytes()).hexdigest() in licence  # the very file the notice speaks of
