"""[[presenters]] in show.toml and the voice settings: read into the settings, every mistake one sentence naming
show.toml and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.errors import BriefingError
from briefing.settings import load_settings

TWO = """
[[presenters]]
name = "지수"
espeak = "ko+f3"
edge = "ko-KR-SunHiNeural"

[[presenters]]
name = "민호"
espeak = "ko"
pitch = 40
edge = "ko-KR-InJoonNeural"
"""


def with_presenters(show_dir: Path, block: str = TWO) -> Path:
    toml = show_dir / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + block, encoding="utf-8")
    return toml


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if line.strip().startswith(needle)]
    return found[occurrence - 1]


def test_presenters_are_read_with_a_voice_per_engine(show_dir):
    settings = load_settings(with_presenters(show_dir))

    assert [p.name for p in settings.presenters] == ["지수", "민호"]
    assert settings.presenters[0].voice_for("edge") == "ko-KR-SunHiNeural"
    assert (settings.presenters[1].voice_for("espeak"), settings.presenters[1].pitch) == ("ko", 40)
    assert settings.presenters[1].voice_for("supertonic") is None  # the engine's default for the second place


@pytest.mark.parametrize(
    ("block", "needle", "occurrence", "message"),
    [
        ('\n[[presenters]]\nname = "지수"\n\n[[presenters]]\nname = "지수"\n', 'name = "지수"', 2,
         "two presenters are called '지수'; each needs a name of their own"),
        ('\n[[presenters]]\nname = "지수"\n\n[[presenters]]\nname = "민호:"\n', 'name = "민호:"', 1,
         "field 'presenters.1.name': must be a name without"),
        ('\n[[presenters]]\nname = "지수"\nedgy = "x"\n', 'edgy = "x"', 1, "unknown field 'presenters.0.edgy'"),
        ('\n[[presenters]]\nname = "지수"\npitch = 120\n', "pitch = 120", 1, "field 'presenters.0.pitch'"),
    ],
)  # fmt: skip
def test_a_wrong_presenter_is_named_with_its_line(show_dir, block, needle, occurrence, message):
    toml = with_presenters(show_dir, block)

    with pytest.raises(BriefingError) as caught:
        load_settings(toml)
    assert caught.value.message.startswith(message)
    assert (caught.value.path, caught.value.line) == (toml, line_of(toml, needle, occurrence))


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('engine = "auto"', 'engine = "auto"\nedge_endpoint = "127.0.0.1:8765"', "speech.edge_endpoint"),
        ('engine = "auto"', 'engine = "auto"\nedge_endpoint = "http://mirror.example"', "speech.edge_endpoint"),
        ('engine = "auto"', 'engine = "auto"\nedge_rate = "10%"', "speech.edge_rate"),
        ('engine = "auto"', 'engine = "auto"\nedge_pitch = "+5%"', "speech.edge_pitch"),
        ('engine = "auto"', 'engine = "auto"\nsupertonic_model = "supertonic"', "speech.supertonic_model"),
    ],
)
def test_a_wrong_voice_setting_is_named_with_its_line(show_dir, old, new, field):
    toml = show_dir / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    with pytest.raises(BriefingError) as caught:
        load_settings(toml)
    assert f"'{field}'" in caught.value.message
    assert caught.value.line == line_of(toml, new.splitlines()[-1])
