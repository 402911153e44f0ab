"""feed/ is swapped in one step: at every instant it is the old complete site or the new one; what killed runs left
beside it is removed by the next; a failed swap leaves the ledger as it was; a symlinked feed/ is published through
(or refused in one sentence), never replaced by a plain folder."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode

from briefing import fsutil
from briefing.errors import BriefingError
from briefing.release import publish
from briefing.settings import find_workspace
from briefing.validate import validate_feed

FIRST = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 11, 9, 18, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> tuple[bytes, int]:
    path = tmp_path_factory.mktemp("tone") / "tone.mp3"
    encode_tone_mp3(path, 2.0)
    return path.read_bytes(), mp3_duration_ms(path)


@pytest.fixture
def show(show_dir, tone) -> Path:
    """The example show with episode 1 built and published."""
    add_episode(show_dir, tone, 1)
    publish(find_workspace(show_dir), now=FIRST)
    return show_dir


def add_episode(root: Path, tone, number: int) -> None:
    mp3, duration_ms = tone
    write_built_episode(root / "audio" / "episodes", synthetic_timeline(number, duration_ms), mp3)


def titles(feed: Path) -> list[str]:
    text = (feed / "feed.xml").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if "<guid" in line]


# ------------------------------------------------------------------------------------------ every instant


def test_at_every_rename_of_a_publish_feed_is_a_whole_site(show, tone, monkeypatch):
    """Every rename and exchange a publish makes, watched from inside: after each, feed/ is a site that validates."""
    add_episode(show, tone, 2)
    seen: list[tuple[str, bool]] = []
    feed = show / "feed"

    def watch(name: str, call):
        def watched(*args, **kwargs):
            result = call(*args, **kwargs)
            ok = (feed / "feed.xml").is_file() and validate_feed(str(feed / "feed.xml")).findings == ()
            seen.append((f"{name} {Path(args[-1]).name}", ok))
            return result

        return watched

    monkeypatch.setattr(os, "replace", watch("replace", os.replace))
    monkeypatch.setattr(os, "rename", watch("rename", os.rename))
    monkeypatch.setattr(fsutil, "exchange", watch("exchange", fsutil.exchange))

    publish(find_workspace(show), now=LATER)

    assert any(name.startswith("exchange") for name, _ok in seen)
    assert [name for name, ok in seen if not ok] == []
    assert len(titles(feed)) == 2


def test_without_an_exchange_the_next_run_puts_the_old_site_back(show, tone, monkeypatch):
    """Where the file system cannot exchange, a run killed between the two renames is undone by the next."""
    monkeypatch.setattr(fsutil, "exchange", lambda *paths: False)
    feed = show / "feed"
    aside = show / ".feed.old.killed"
    aside.mkdir()
    os.replace(feed, aside / "feed")  # as the killed run left it: the old site moved aside, no feed/
    add_episode(show, tone, 2)

    publish(find_workspace(show), now=LATER)

    assert len(titles(feed)) == 2 and validate_feed(str(feed / "feed.xml")).findings == ()
    assert sorted(path.name for path in show.iterdir() if path.name.startswith(".feed")) == []


def test_leftovers_of_killed_runs_are_removed_by_the_next(show):
    for name in (".feed.new.a1b2c3", ".feed.old.d4e5f6"):
        (show / name / "episodes").mkdir(parents=True)
        (show / name / "episodes" / "big.mp3").write_bytes(bytes(1 << 20))
    (show / ".feed.old.d4e5f6" / "feed").mkdir()

    publish(find_workspace(show), now=LATER)

    assert sorted(path.name for path in show.iterdir() if path.name.startswith(".feed")) == []
    assert validate_feed(str(show / "feed" / "feed.xml")).findings == ()


def test_a_folder_another_run_is_still_staging_is_left_alone(show):
    busy = show / ".feed.new.busy"
    busy.mkdir()
    with fsutil.held(busy):
        fsutil.remove_leftovers(show, [".feed.new.*"])
        assert busy.is_dir()
    fsutil.remove_leftovers(show, [".feed.new.*"])
    assert not busy.exists()


def test_a_failed_swap_leaves_feed_and_ledger_as_they_were(show, tone, monkeypatch):
    ledger = (show / "published.json").read_bytes()
    feed = (show / "feed" / "feed.xml").read_bytes()
    add_episode(show, tone, 2)

    def refused(*paths):
        raise PermissionError(13, "Permission denied", str(paths[-1]))

    monkeypatch.setattr(fsutil, "exchange", refused)
    with pytest.raises(BriefingError, match="Permission denied|permission"):
        publish(find_workspace(show), now=LATER)

    assert (show / "published.json").read_bytes() == ledger
    assert (show / "feed" / "feed.xml").read_bytes() == feed
    assert sorted(path.name for path in show.iterdir() if path.name.startswith(".feed")) == []


def test_a_failed_first_publish_leaves_no_ledger(show_dir, tone, monkeypatch):
    add_episode(show_dir, tone, 1)
    (show_dir / "feed" / "old.txt").write_text("a site from before")

    def refused(*paths):
        raise OSError(28, "No space left on device", str(paths[-1]))

    monkeypatch.setattr(fsutil, "exchange", refused)
    with pytest.raises(BriefingError):
        publish(find_workspace(show_dir), now=FIRST)
    assert not (show_dir / "published.json").exists()


# ------------------------------------------------------------------------------------------ a symlinked feed/


def linked_show(show: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(show / "feed", target)
    (show / "feed").symlink_to(target, target_is_directory=True)
    return target


def test_a_linked_feed_is_published_through_and_stays_a_link(show, tone, tmp_path):
    web_root = linked_show(show, tmp_path / "www" / "show")
    add_episode(show, tone, 2)

    publish(find_workspace(show), now=LATER)

    assert (show / "feed").is_symlink() and Path(os.readlink(show / "feed")) == web_root
    assert len(titles(web_root)) == 2 and validate_feed(str(show / "feed" / "feed.xml")).findings == ()
    assert sorted(path.name for path in web_root.parent.iterdir()) == ["show"]  # nothing left beside it


def test_a_link_to_a_folder_yet_to_be_made_is_published_into(show_dir, tone, tmp_path):
    add_episode(show_dir, tone, 1)
    (show_dir / "feed").rmdir()
    (tmp_path / "www").mkdir()
    (show_dir / "feed").symlink_to(tmp_path / "www" / "show")

    publish(find_workspace(show_dir), now=FIRST)

    assert (show_dir / "feed").is_symlink() and (tmp_path / "www" / "show" / "feed.xml").is_file()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda www: (www / "index.html").write_text("another site") and www, "holds files that were not published"),
        (lambda www: (www / "file.txt").write_text("x") and www / "file.txt", "which is not a folder"),
        (lambda www: www / "missing" / "show", "does not exist"),
        (lambda www: www.parent, "a folder that holds it"),
    ],
    ids=["foreign-folder", "a-file", "no-parent", "an-ancestor"],
)
def test_a_link_that_cannot_be_published_through_is_refused_in_one_sentence(show, tmp_path, make, words):
    www = tmp_path / "www"
    www.mkdir()
    target = make(www)
    if target == www.parent:
        target = show.parent
    os.replace(show / "feed", tmp_path / "old-feed")
    (show / "feed").symlink_to(target)
    before = sorted(path.name for path in show.iterdir())

    result = subprocess.run([sys.executable, "-m", "briefing", "publish"], cwd=show, capture_output=True, text=True,
                            timeout=120)  # fmt: skip

    message = " ".join(result.stderr.split())
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert message.startswith("error:") and "feed" in message and words in message, message
    assert (show / "feed").is_symlink() and sorted(path.name for path in show.iterdir()) == before


def test_a_link_to_a_folder_that_cannot_be_written_beside_is_refused(show, tmp_path, monkeypatch):
    web_root = linked_show(show, tmp_path / "www" / "show")
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if Path(path) == web_root.parent else real_access(path, mode)
    )

    with pytest.raises(BriefingError, match="must be writable"):
        publish(find_workspace(show), now=LATER)
    assert (show / "feed").is_symlink()
