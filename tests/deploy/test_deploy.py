"""`briefing deploy` against moto's S3 server on 127.0.0.1 (and a folder, and rsync): only what changed is sent, with
the right Content-Type and Cache-Control, feed.xml last; an upload cut off half-way is completed by a rerun, and the
feed never goes up before its audio."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.s3_server import BUCKET, running_s3
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode

from briefing.deploy import deploy_site
from briefing.deploy.s3 import PART_BYTES, local_etag
from briefing.errors import BriefingError
from briefing.release import publish
from briefing.settings import find_workspace

NOW = dt.datetime(2026, 1, 4, 9, 0, tzinfo=dt.UTC)
PREFIX = "asia-tech-brief/"


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> tuple[bytes, int]:
    path = tmp_path_factory.mktemp("tone") / "tone.mp3"
    encode_tone_mp3(path, 3.0)
    return path.read_bytes(), mp3_duration_ms(path)


@pytest.fixture
def s3(monkeypatch):
    with running_s3(monkeypatch) as server:
        yield server


def add_episode(show_dir: Path, tone, number: int) -> None:
    mp3, duration_ms = tone
    write_built_episode(show_dir / "audio" / "episodes", synthetic_timeline(number, duration_ms), mp3)


def with_deploy(show_dir: Path, table: str) -> None:
    with (show_dir / "show.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[deploy]\n" + table)


def s3_show(show_dir: Path, tone, s3, episodes: int = 2) -> None:
    with_deploy(show_dir, f'target = "s3"\nbucket = "{BUCKET}"\nprefix = "{PREFIX}"\nendpoint = "{s3.endpoint}"\n')
    for number in range(1, episodes + 1):
        add_episode(show_dir, tone, number)
    publish(find_workspace(show_dir), now=NOW)


def site_keys(show_dir: Path) -> list[str]:
    site = show_dir / "feed"
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and not p.name.startswith("."))


def puts(s3) -> list[str]:
    return [path.split("?")[0].removeprefix(f"/{BUCKET}/{PREFIX}") for method, path in s3.methods if method == "PUT"]


def test_the_site_goes_up_typed_and_cached_feed_last_then_nothing_twice(show_dir, tone, s3):
    s3_show(show_dir, tone, s3)
    result = deploy_site(find_workspace(show_dir))
    objects = s3.objects(PREFIX)
    assert sorted(key.removeprefix(PREFIX) for key in objects) == site_keys(show_dir) == sorted(result.sent)
    assert result.sent[-1] == "feed.xml" and puts(s3)[-1] == "feed.xml"
    assert all(key.endswith(".html") for key in result.sent[-1 - 3 : -1])  # the pages just before the feed
    feed, audio = objects[PREFIX + "feed.xml"], objects[PREFIX + "episodes/episode-001.mp3"]
    assert feed["ContentType"] == "application/rss+xml; charset=utf-8"
    assert feed["CacheControl"] == "public, max-age=300"
    assert audio["ContentType"] == "audio/mpeg" and audio["CacheControl"] == "public, max-age=604800"
    assert objects[PREFIX + "index.html"]["ContentType"] == "text/html; charset=utf-8"
    assert objects[PREFIX + "transcripts/episode-001.vtt"]["ContentType"] == "text/vtt; charset=utf-8"
    assert (
        s3.client().get_object(Bucket=BUCKET, Key=PREFIX + "feed.xml")["Body"].read()
        == (show_dir / "feed" / "feed.xml").read_bytes()
    )

    s3.methods.clear()
    again = deploy_site(find_workspace(show_dir))
    assert again.sent == () and again.unchanged == len(site_keys(show_dir)) and puts(s3) == []


def test_only_what_changed_is_sent(show_dir, tone, s3):
    s3_show(show_dir, tone, s3)
    workspace = find_workspace(show_dir)
    deploy_site(workspace)
    add_episode(show_dir, tone, 3)
    publish(workspace, now=NOW + dt.timedelta(days=1))
    result = deploy_site(workspace)
    assert "episodes/episode-003.mp3" in result.sent and result.sent[-1] == "feed.xml"
    assert "episodes/episode-001.mp3" not in result.sent and "cover.png" not in result.sent
    assert not [key for key in result.sent if "episode-001" in key]  # the old episode's files are the same bytes


def test_an_interrupted_upload_is_completed_by_a_rerun_and_the_feed_waits(show_dir, tone, s3):
    s3_show(show_dir, tone, s3)
    workspace = find_workspace(show_dir)
    s3.cut_after = 3  # the network goes down after three uploads
    with pytest.raises(BriefingError) as caught:
        deploy_site(workspace)
    assert str(caught.value).startswith(f"s3://{BUCKET}/{PREFIX}: the upload failed")
    uploaded = {key.removeprefix(PREFIX) for key in s3.objects(PREFIX)}
    assert len(uploaded) == 3 and "feed.xml" not in uploaded  # no listener sees a feed before its audio

    s3.cut_after = None
    s3.methods.clear()
    rerun = deploy_site(workspace)
    assert set(rerun.sent) == set(site_keys(show_dir)) - uploaded  # exactly what was missing
    assert rerun.sent[-1] == "feed.xml" and rerun.unchanged == 3
    assert sorted(key.removeprefix(PREFIX) for key in s3.objects(PREFIX)) == site_keys(show_dir)


def test_large_files_go_up_in_parts_and_are_recognised_afterwards(show_dir, tone, s3):
    s3_show(show_dir, tone, s3, episodes=1)
    big = show_dir / "feed" / "episodes" / "special.mp3"
    big.write_bytes(os.urandom(PART_BYTES + 123_456))
    workspace = find_workspace(show_dir)
    deploy_site(workspace)
    remote = s3.objects(PREFIX)[PREFIX + "episodes/special.mp3"]
    assert remote["ETag"].strip('"') == local_etag(big) and local_etag(big).endswith("-2")
    assert "episodes/special.mp3" not in deploy_site(workspace).sent


def test_removed_files_go_only_with_delete_and_after_the_feed(show_dir, tone, s3):
    s3_show(show_dir, tone, s3)
    workspace = find_workspace(show_dir)
    deploy_site(workspace)
    s3.client().put_object(Bucket=BUCKET, Key=PREFIX + "episodes/old.mp3", Body=b"old")
    assert deploy_site(workspace).deleted == ()
    assert PREFIX + "episodes/old.mp3" in s3.objects(PREFIX)
    s3.methods.clear()
    assert deploy_site(workspace, delete=True).deleted == ("episodes/old.mp3",)
    assert PREFIX + "episodes/old.mp3" not in s3.objects(PREFIX)


def test_credentials_come_from_the_environment_only(show_dir, tone, s3, monkeypatch):
    s3_show(show_dir, tone, s3, episodes=1)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(BriefingError, match="set AWS_SECRET_ACCESS_KEY in the environment"):
        deploy_site(find_workspace(show_dir))
    with (show_dir / "show.toml").open("a", encoding="utf-8") as handle:
        handle.write('aws_secret_access_key = "in-the-file"\n')
    with pytest.raises(BriefingError, match="unknown field 'deploy.s3.aws_secret_access_key'|unknown field"):
        find_workspace(show_dir)


def test_the_command_sends_and_fails_in_one_sentence(show_dir, tone, s3):
    s3_show(show_dir, tone, s3, episodes=1)
    command = [sys.executable, "-m", "briefing", "deploy", "--workspace", str(show_dir)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    assert f"deployed to s3://{BUCKET}/{PREFIX}: {len(site_keys(show_dir))} file(s) sent, 0 unchanged" in done.stdout
    toml = show_dir / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(f'bucket = "{BUCKET}"', 'bucket = "no-such-bucket"'))
    failed = subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    assert failed.stderr.startswith("error: s3://no-such-bucket/asia-tech-brief/: NoSuchBucket")
    assert len(failed.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("target", ["folder", "rsync"])
def test_a_folder_or_rsync_target_gets_the_same_site_feed_last(show_dir, tone, tmp_path, target):
    destination = tmp_path / "www" / "show"
    table = f'target = "folder"\npath = "{destination}"\n' if target == "folder" else (
        f'target = "rsync"\ndestination = "{destination}"\n'
    )  # fmt: skip
    with_deploy(show_dir, table)
    add_episode(show_dir, tone, 1)
    workspace = find_workspace(show_dir)
    publish(workspace, now=NOW)
    first = deploy_site(workspace)
    assert sorted(first.sent) == site_keys(show_dir) and first.sent[-1] == "feed.xml"
    copied = sorted(p.relative_to(destination).as_posix() for p in destination.rglob("*") if p.is_file())
    assert copied == site_keys(show_dir)
    assert (destination / "feed.xml").read_bytes() == (show_dir / "feed" / "feed.xml").read_bytes()
    assert deploy_site(workspace).sent == ()
    (destination / "episodes" / "stale.mp3").write_bytes(b"x")
    assert deploy_site(workspace, delete=True).deleted == ("episodes/stale.mp3",)
    assert not (destination / "episodes" / "stale.mp3").exists()
