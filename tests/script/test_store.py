"""write_script: creates, leaves identical scripts alone, never overwrites a producer's edit unless forced."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from support.requirements import FIXTURES

from briefing.errors import BriefingError
from briefing.script import load_script, render_script, write_script
from briefing.script.store import backup_path
from briefing.settings import find_workspace

SAMPLE = FIXTURES / "script" / "sample.md"


@pytest.fixture
def workspace(show_dir: Path):
    return find_workspace(show_dir)


@pytest.fixture
def script():
    return load_script(SAMPLE)


def test_a_new_script_is_created_as_rendered(workspace, script):
    result = write_script(workspace, script)
    assert result.status == "created" and result.backup is None
    assert result.path == workspace.scripts_dir / "asia-tech-brief-003.md"
    assert result.path.read_bytes() == SAMPLE.read_bytes()
    assert [p.name for p in workspace.scripts_dir.iterdir()] == ["asia-tech-brief-003.md"]  # no temporary left


def test_an_identical_script_is_left_untouched(workspace, script):
    path = write_script(workspace, script).path
    before = path.stat().st_mtime_ns
    result = write_script(workspace, script)
    assert result.status == "unchanged"
    assert path.stat().st_mtime_ns == before


def test_an_edited_script_is_refused_and_left_as_it_is(workspace, script):
    path = write_script(workspace, script).path
    edited = path.read_text(encoding="utf-8").replace("## 도쿄 반도체 공장", "## 도쿄 2나노 공장")
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(BriefingError, match="--force") as caught:
        write_script(workspace, script)
    assert caught.value.path == path
    assert path.read_text(encoding="utf-8") == edited
    assert sorted(p.name for p in workspace.scripts_dir.iterdir()) == [path.name]


def test_force_replaces_an_edited_script_and_keeps_the_old_one(workspace, script):
    path = write_script(workspace, script).path
    edited = path.read_text(encoding="utf-8").replace("## 도쿄 반도체 공장", "## 도쿄 2나노 공장")
    path.write_text(edited, encoding="utf-8")
    result = write_script(workspace, script, force=True)
    assert result.status == "replaced"
    assert result.backup is not None and result.backup.parent == workspace.scripts_dir
    assert result.backup.name.startswith("asia-tech-brief-003.md.") and result.backup.suffix == ".bak"
    assert result.backup.read_text(encoding="utf-8") == edited
    assert path.read_bytes() == SAMPLE.read_bytes()


def test_a_rewrite_keeps_the_guid_the_script_was_created_with(workspace, script):
    path = write_script(workspace, script).path
    regenerated = dataclasses.replace(script, meta=dataclasses.replace(script.meta, guid="another-guid"))
    assert write_script(workspace, regenerated).status == "unchanged"
    regenerated = dataclasses.replace(regenerated, meta=dataclasses.replace(regenerated.meta, title="새 제목"))
    result = write_script(workspace, regenerated, force=True)
    assert result.script.meta.guid == script.meta.guid
    assert load_script(path).meta.guid == script.meta.guid


def test_the_guid_survives_even_a_script_the_producer_broke(workspace, script):
    path = write_script(workspace, script).path
    path.write_text(render_script(script).replace("## 오프닝", "# 오프닝"), encoding="utf-8")
    regenerated = dataclasses.replace(script, meta=dataclasses.replace(script.meta, guid="another-guid"))
    result = write_script(workspace, regenerated, force=True)
    assert load_script(result.path).meta.guid == script.meta.guid


def test_backups_never_overwrite_each_other(tmp_path: Path):
    path = tmp_path / "a-001.md"
    now = dt.datetime(2026, 11, 26, 21, 30, 5, tzinfo=dt.UTC)
    first = backup_path(path, now)
    first.write_text("old")
    second = backup_path(path, now)
    assert first.name == "a-001.md.20261126T213005Z.bak"
    assert second.name == "a-001.md.20261126T213005Z-2.bak"
