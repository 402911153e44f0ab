"""Many episodes at once on this machine: `--jobs` builds them in local processes, byte for byte what a build
here makes; a broken script fails alone, and the batch says what was built, reused and failed."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.batch_shows import copy_show, episode_files

from briefing.batch import build_batch, plan_batch
from briefing.errors import BriefingError
from briefing.settings import find_workspace
from briefing.task import pack_episode, pack_show, run_episode_task, store_result


def briefing(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefing", *args], cwd=root, capture_output=True, text=True,
                          timeout=600, check=False)  # fmt: skip


def test_jobs_build_in_local_processes_what_a_build_here_makes(built_batch, tmp_path):
    root = copy_show(built_batch, tmp_path / "show", cache=False)

    pooled = briefing(root, "build", "--engine", "espeak", "--jobs", "2")
    assert pooled.returncode == 0, pooled.stderr
    assert "3 episodes in 2 local processes: 3 built, 0 up to date, 0 failed" in pooled.stdout
    assert pooled.stdout.count("engine: espeak") == 1
    made = episode_files(root)
    assert len(made) == 6

    # The same scripts built one after the other in one process, from the clips the processes cached.
    for path in (root / "audio" / "episodes").iterdir():
        path.unlink()
    here = briefing(root, "build", "--engine", "espeak", "--jobs", "1")
    assert here.returncode == 0, here.stderr
    assert "3 episodes in this process: 3 built" in here.stdout and "utterances 0 synthesised" in here.stdout
    assert episode_files(root) == made

    again = briefing(root, "build", "--engine", "espeak")
    assert again.returncode == 0 and "3 episodes in this process: 0 built, 3 up to date, 0 failed" in again.stdout


def test_a_broken_script_fails_alone_and_the_batch_says_so(built_batch, tmp_path):
    root = copy_show(built_batch, tmp_path / "show")
    scripts = root / "scripts"
    good = sorted(scripts.glob("*.md"))
    # Refused while planning (its front matter is not YAML) and while building (its chapters say nothing).
    (scripts / "bad-yaml.md").write_text("---\nslug: [unclosed\n---\n\n## 오프닝\n\n안녕하세요.\n", encoding="utf-8")
    silent = good[0].read_text(encoding="utf-8").split("\n## ", 1)[0]
    silent = re.sub(r"(?m)^slug: .*$", "slug: silent-099", silent)
    silent = re.sub(r"(?m)^guid: .*$", "guid: 0e0c9a4e-5d0a-5b8f-9a54-000000000099", silent)
    (scripts / "silent-099.md").write_text(silent + "\n## 오프닝\n\n## 클로징\n", encoding="utf-8")

    result = briefing(root, "build", "--engine", "espeak", "--jobs", "2")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2, result.stderr
    assert any("bad-yaml.md" in line for line in errors) and any("silent-099.md" in line for line in errors)
    assert "5 episodes in 2 local processes: 3 built, 0 up to date, 2 failed" in result.stdout
    built = episode_files(root)
    assert sorted(built) == sorted(f"{path.stem}{suffix}" for path in good for suffix in (".json", ".mp3"))


def test_a_batch_on_auto_probes_once(built_batch, tmp_path, fake_google):
    root = copy_show(built_batch, tmp_path / "show")
    toml = root / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "retries = 4", f'retries = 0\ngtts_endpoint = "{fake_google.url}"'), encoding="utf-8")  # fmt: skip
    fake_google.respond = lambda text, seen: "500"  # Google is down: auto takes espeak

    result = build_batch(find_workspace(root), sorted((root / "scripts").glob("*.md")), jobs=2)

    assert [outcome.status for outcome in result.outcomes] == ["built"] * 3
    assert {outcome.report.engine for outcome in result.outcomes} == {"espeak"}
    assert len(fake_google.requests) == 1


def test_two_scripts_of_one_episode_are_refused_once(built_batch, tmp_path):
    root = copy_show(built_batch, tmp_path / "show", episodes=True)
    first = sorted((root / "scripts").glob("*.md"))[0]
    twin = root / "scripts" / "twin.md"
    twin.write_bytes(first.read_bytes())

    batch = plan_batch(find_workspace(root), [first, twin], engine="espeak")

    assert batch.to_build == () and [outcome.status for outcome in batch.done] == ["up to date", "failed"]
    assert "twin.md: makes the same episode (asia-tech-brief-002) as" in batch.done[1].error


def test_a_task_needs_only_what_it_is_shipped(built_batch, tmp_path):
    """The task path in this process: the client packs bytes, the task builds them in a folder of its own, the
    client writes what comes back — the very bytes of the build here, and the task names no file of the show."""
    root = copy_show(built_batch, tmp_path / "show")
    show = find_workspace(root)
    batch = plan_batch(show, sorted(show.scripts_dir.glob("*.md")), engine="espeak")
    plan = batch.to_build[0]
    bundle, _origins = pack_show(show)
    # Every clip the show has cached (on a cluster the client ships those the episode says; here: all of them).
    cache = {path.relative_to(show.cache_dir).as_posix(): path.read_bytes()
             for path in show.cache_dir.glob("speech/*/*.clip")}  # fmt: skip
    task = pack_episode(plan, cache)
    assert str(root).encode() not in pickle.dumps((bundle, task))

    result = run_episode_task(bundle, task, workdir=str(tmp_path))
    store_result(show, plan, result)

    slug = plan.script.meta.slug
    reference = episode_files(built_batch)
    assert episode_files(root) == {name: reference[name] for name in (f"{slug}.json", f"{slug}.mp3")}
    assert result.report.synthesised == 0 and result.cache  # its MP3 segments, new to this show's cache
    assert list(tmp_path.glob("briefing-task-*")) == []  # the task's folder is gone


def test_a_worker_with_other_versions_refuses_the_task(built_batch, tmp_path):
    show = find_workspace(copy_show(built_batch, tmp_path / "show"))
    plan = plan_batch(show, sorted(show.scripts_dir.glob("*.md")), engine="espeak").to_build[0]
    bundle, _origins = pack_show(show)
    task = pack_episode(plan)
    older = type(task)(**{**task.__dict__, "environment": {**task.environment, "briefing": "0.0.1"}})

    with pytest.raises(BriefingError, match="would not be byte-identical"):
        run_episode_task(bundle, older, workdir=str(tmp_path))


def test_a_task_ships_the_entries_of_every_cache(tmp_path):
    """The names a task ships and takes back are those the caches store their entries under."""
    from briefing.mix.segments import SegmentCache
    from briefing.settings import Workspace, load_settings
    from briefing.speech.cache import ClipCache
    from briefing.task import CACHE_ENTRY

    show = Workspace(root=tmp_path, settings=load_settings(Path(__file__).resolve().parents[1] / "show.toml"))
    for store in (ClipCache.of(show), SegmentCache.of(show)):
        assert CACHE_ENTRY.fullmatch(store.file("ab" * 32).relative_to(show.cache_dir).as_posix())
    assert not CACHE_ENTRY.fullmatch("speech/ab/" + "ab" * 32 + ".clip.tmp")
