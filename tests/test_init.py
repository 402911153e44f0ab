"""`init_workspace`: a new show with the repository's layout, a commented show.toml that loads, and no clobbering."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

from briefing.errors import BriefingError
from briefing.init import FOLDERS, init_workspace, show_toml
from briefing.script.templating import SHIPPED_TEMPLATES, TEMPLATE_NAMES
from briefing.settings import ShowSettings, load_settings


@pytest.fixture(scope="module")
def new_show(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shows") / "아침 테크 브리핑"
    init_workspace(root)
    return root


def test_the_layout_is_the_repositorys(new_show: Path):
    for folder in FOLDERS:
        assert (new_show / folder).is_dir(), folder
    assert {"issues", "scripts", "audio/music", "audio/episodes", "feed", "templates"} <= set(FOLDERS)


def test_the_new_show_toml_loads_and_is_named_after_the_folder(new_show: Path):
    settings = load_settings(new_show / "show.toml")
    assert settings.title == "아침 테크 브리핑" and settings.owner.name == "아침 테크 브리핑"
    assert str(settings.base_url) == "https://example.com/achim-tekeu-beuliping/"  # a placeholder validate warns of


def _key_paths(table: dict, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    paths = set()
    for key, value in table.items():
        paths.add((*prefix, key))
        if isinstance(value, dict):
            paths |= _key_paths(value, (*prefix, key))
    return paths


def _mentioned(text: str, path: tuple[str, ...]) -> bool:
    # A key counts when it is set or shown commented out, inside its table.
    if len(path) == 1 and any(form in text for form in (f"\n[{path[0]}]", f"\n# [{path[0]}]", f"[[{path[0]}]]")):
        return True
    table_start = text.index(f"[{path[0]}]") if len(path) > 1 else 0
    section = text[table_start:]
    return any(line.lstrip("# ").startswith(f"{path[-1]} =") for line in section.splitlines())


def test_the_new_show_toml_mirrors_the_repositorys(new_show: Path, repo_root: Path):
    example = tomllib.loads((repo_root / "show.toml").read_text(encoding="utf-8"))
    text = (new_show / "show.toml").read_text(encoding="utf-8")
    for path in _key_paths(example):
        assert _mentioned(text, path), path


def test_every_setting_is_shown_in_the_new_show_toml(new_show: Path):
    text = (new_show / "show.toml").read_text(encoding="utf-8")
    for name, field in ShowSettings.model_fields.items():
        nested = field.annotation if isinstance(field.annotation, type) else None
        if nested is not None and hasattr(nested, "model_fields"):
            for inner in nested.model_fields:
                assert _mentioned(text, (name, inner)), f"{name}.{inner}"
        else:
            assert _mentioned(text, (name,)), name


def test_the_lexicon_is_empty_but_explained(new_show: Path):
    text = (new_show / "lexicon.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text) == {}
    assert "spoken form" in text


def test_the_templates_readme_names_every_shipped_template(new_show: Path):
    readme = (new_show / "templates" / "README.md").read_text(encoding="utf-8")
    shipped = {path.name for path in SHIPPED_TEMPLATES.glob("*.j2")}
    assert set(TEMPLATE_NAMES) == shipped
    assert all(f"`{name}`" in readme for name in shipped)


@pytest.mark.skipif(importlib.util.find_spec("briefing.mix.music") is None, reason="no music generator installed")
def test_the_music_the_show_names_is_made(new_show: Path):
    settings = load_settings(new_show / "show.toml")
    for music in (settings.music.intro, settings.music.outro, settings.music.transition):
        assert (new_show / music).is_file() and (new_show / music).stat().st_size > 1000


def test_a_folder_with_a_show_is_refused_and_left_alone(new_show: Path):
    before = (new_show / "show.toml").read_bytes()
    with pytest.raises(BriefingError, match="already") as caught:
        init_workspace(new_show)
    assert caught.value.path == new_show / "show.toml"
    assert (new_show / "show.toml").read_bytes() == before


def test_a_file_is_not_a_show_folder(tmp_path: Path):
    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(BriefingError, match="not a folder"):
        init_workspace(path)


@pytest.mark.parametrize("title", ['Quote "Show"', "백슬래시 \\ 쇼", "★"])
def test_any_folder_name_makes_valid_settings(title: str, tmp_path: Path):
    path = tmp_path / "show.toml"
    path.write_text(show_toml(title), encoding="utf-8")
    settings = load_settings(path)
    assert settings.title == title
    assert str(settings.base_url).startswith("https://example.com/")


def test_the_example_show_explains_its_template_folder_as_init_does(repo_root):
    from briefing.init import templates_readme

    assert (repo_root / "templates" / "README.md").read_text(encoding="utf-8") == templates_readme()
