"""show.toml: the example loads; a wrong or missing field is one error naming the field, the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.errors import BriefingError
from briefing.settings import find_workspace, load_settings, setting_line


@pytest.fixture
def toml(show_dir: Path) -> Path:
    return show_dir / "show.toml"


def edit(path: Path, old: str, new: str) -> int | None:
    """Replace `old` by `new` in the file; the line number where it now stands."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    start = text.index(new) if new else None
    return text[:start].count("\n") + 1 if start is not None else None


def load_error(path: Path) -> BriefingError:
    with pytest.raises(BriefingError) as caught:
        load_settings(path)
    assert caught.value.path == path
    return caught.value


def test_the_repository_show_loads(repo_root: Path):
    settings = load_settings(repo_root / "show.toml")
    assert settings.title == "Asia Tech Brief" and settings.language == "ko"
    assert str(settings.base_url).endswith("/")
    assert settings.speech.engine in ("auto", "gtts", "espeak")


def test_a_missing_required_field_is_named(toml: Path):
    edit(toml, 'title = "Asia Tech Brief"\n', "")
    error = load_error(toml)
    assert error.message == "required field 'title' is missing"
    assert str(error).startswith(f"{toml}: ")


def test_a_missing_field_in_a_table_points_at_the_table(toml: Path):
    edit(toml, 'email = "editor@podcast.example.com"\n', "")
    line = toml.read_text(encoding="utf-8").splitlines().index("[owner]") + 1
    error = load_error(toml)
    assert "'owner.email'" in error.message and error.line == line


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('engine = "auto"', 'engine = "festival"', "speech.engine"),
        ("bitrate = 96", "bitrate = 1000", "audio.bitrate"),
        ('email = "editor@podcast.example.com"', 'email = "not an address"', "owner.email"),
        ('base_url = "https://podcast.example.com/asia-tech-brief/"', 'base_url = "somewhere"', "base_url"),
        ("explicit = false", 'explicit = "maybe"', "explicit"),
    ],
)
def test_a_wrong_value_is_named_with_its_line(toml: Path, old: str, new: str, field: str):
    line = edit(toml, old, new)
    error = load_error(toml)
    assert f"'{field}'" in error.message
    assert error.line == line
    assert str(error).startswith(f"{toml}:{line}: ")


def test_an_unknown_field_is_named_with_its_line(toml: Path):
    line = edit(toml, "rate = 165", "rate = 165\nvolume = 11")
    error = load_error(toml)
    assert error.message == "unknown field 'speech.volume'" and error.line == line + 1


def test_several_problems_are_counted_in_the_one_sentence(toml: Path):
    edit(toml, "rate = 165", "rate = 5")
    edit(toml, "pitch = 45", "pitch = 500")
    assert "(and 1 more problems)" in load_error(toml).message


def test_broken_toml_is_reported_at_its_line(toml: Path):
    line = edit(toml, 'voice = "ko"', 'voice = "ko')
    error = load_error(toml)
    assert "not valid TOML" in error.message and error.line == line


def test_settings_that_are_not_utf8_are_reported(toml: Path):
    toml.write_bytes(toml.read_bytes().replace("편집팀".encode(), "편집팀".encode("cp949"), 1))
    error = load_error(toml)
    assert "not UTF-8" in error.message and error.line is not None


def test_a_byte_order_mark_is_accepted(toml: Path):
    toml.write_bytes(b"\xef\xbb\xbf" + toml.read_bytes())
    assert load_settings(toml).title == "Asia Tech Brief"


def test_missing_settings_say_how_to_make_a_show(tmp_path: Path):
    error = load_error(tmp_path / "show.toml")
    assert "briefing init" in error.message


def test_the_workspace_is_found_from_a_subfolder(show_dir: Path):
    assert find_workspace(show_dir / "scripts").root == show_dir.resolve()


def test_setting_lines_follow_tables_dotted_and_quoted_keys():
    text = '[speech]\nvoice = "ko"\n\n[audio]\n"bitrate" = 9\nmusic.intro = "a.wav"\n'
    assert setting_line(text, ("speech", "voice")) == 2
    assert setting_line(text, ("audio", "bitrate")) == 5
    assert setting_line(text, ("audio", "music", "intro")) == 6
    assert setting_line(text, ("audio", "missing")) == 4
    assert setting_line(text, ("title",)) is None


def test_an_unknown_speech_engine_is_named_with_the_field(repo_root, tmp_path):
    text = (repo_root / "show.toml").read_text(encoding="utf-8")
    broken = tmp_path / "show.toml"
    broken.write_text(text.replace('engine = "auto"', 'engine = "polly"'), encoding="utf-8")
    with pytest.raises(BriefingError) as caught:
        load_settings(broken)
    assert "speech.engine" in str(caught.value) and "espeak" in str(caught.value)
    assert str(broken) in str(caught.value)
