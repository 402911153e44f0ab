"""Bad input, command by command: every case exits 2 with one sentence that names the file (and line), with no
traceback, and leaves the workspace exactly as it was (nothing half written, no stray files).

Each case breaks one thing in a copy of a small built and published show, then runs one command as a user would (in
this process, as `briefing` itself runs it). Every case runs under a memory bound and a watchdog, so that a command
that reads a device whole or waits on a pipe fails its case instead of exhausting or hanging the test run.
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import re
import resource
import shutil
import struct
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.tiny_show import TINY_SCRIPT

from briefing import cli

SCRIPT = "scripts/tiny-001.md"
TIMELINE = "audio/episodes/tiny-001.json"
ISSUE = "issues/asia-tech-brief-001.txt"
MORE_MEMORY = 2 << 30  # bytes a case may add to this process: reading a device whole would take more
HANG_SECONDS = 300  # far beyond any of these commands; only a hang reaches it (the run then ends, with stacks)
ANY_LINE = -1


# ---------------------------------------------------------------------------------------------- the show


@pytest.fixture(scope="module")
def built_show(built_tiny_show) -> Path:
    return built_tiny_show


def snapshot(root: Path) -> dict[str, tuple]:
    """Every file and link under `root` with its size and modification time (a rewrite changes the time)."""
    found = {}
    for folder, folders, files in os.walk(root):
        for name in files + [f for f in folders if os.path.islink(os.path.join(folder, f))]:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            found[os.path.relpath(path, root)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


# -------------------------------------------------------------------------------------- ways to break it


def edit(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def setting(line: str, *, table: str | None = None) -> Callable[[Path], None]:
    """Replace show.toml's line for the same key (in `table`, or at the top), or add it there."""

    def apply(root: Path) -> None:
        path = root / "show.toml"
        lines = path.read_text(encoding="utf-8").splitlines()
        key = line.split("=")[0].strip()
        current = None
        for index, text in enumerate(lines):
            if text.startswith("["):
                current = text.split("]")[0][1:]
            elif current == table and text.split("=")[0].strip().lstrip("# ") == key:
                lines[index] = line
                break
        else:
            start = next(i for i, text in enumerate(lines) if text.startswith(f"[{table}]")) + 1 if table else 0
            lines.insert(start, line)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return apply


def write(relative: str, data: str | bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return apply


def write_more(relative: str, text: str) -> Callable[[Path], None]:
    """Text added at the end of a file (a table at the end of show.toml)."""

    def apply(root: Path) -> None:
        with open(root / relative, "a", encoding="utf-8") as handle:
            handle.write(text)

    return apply


def fifo(relative: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        path.unlink(missing_ok=True)
        os.mkfifo(path)

    return apply


def sparse(relative: str, size: int) -> Callable[[Path], None]:
    """A file that says it is `size` bytes without taking the disk."""

    def apply(root: Path) -> None:
        with open(root / relative, "wb") as handle:
            handle.truncate(size)

    return apply


def folder(relative: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        if path.is_dir():
            return
        path.unlink(missing_ok=True)
        path.mkdir(parents=True)

    return apply


def remove(relative: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / relative).unlink()

    return apply


def timeline(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / TIMELINE
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    return apply


def steps(*functions: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        for function in functions:
            function(root)

    return apply


def png_claiming(side: int) -> bytes:
    """A valid PNG header claiming side×side pixels (a decompression bomb's shape), with no pixels behind it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def png(width: int, height: int, *, cut: int = 0, noise: bool = False) -> bytes:
    import io
    import random

    from PIL import Image

    if noise:
        image = Image.frombytes("RGB", (width, height), random.Random(1).randbytes(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), (20, 40, 80))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data = buffer.getvalue()
    return data[:-cut] if cut else data


def script_with_chapters(count: int) -> str:
    head = TINY_SCRIPT.split("## 오프닝")[0]
    stories = "".join(f"## 소식 {n}\n\n소식 {n}입니다.\n\n" for n in range(count - 2))
    return head + "## 오프닝\n\n안녕하십니까.\n\n" + stories + "## 클로징\n\n고맙습니다.\n"


def made_script(root: Path) -> None:
    """The example issue's script, as `briefing script` makes it."""
    from briefing.ingest import read_issue
    from briefing.script import make_script, write_script
    from briefing.settings import find_workspace

    show = find_workspace(root)
    write_script(show, make_script(read_issue(root / ISSUE), show))


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# ---------------------------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    setup: Callable[[Path], None]
    names: str  # what the sentence names: a file's name or the end of its path
    line: int | None = None  # ANY_LINE: some line, which the case does not pin down
    says: str = ""  # words the sentence must hold
    cwd: str = ""  # where to run, relative to the show ("" the show itself)
    pending: str = ""  # why this case does not hold yet (it is then expected to fail)


def case(id: str, args: str, setup: Callable[[Path], None], names: str, **more) -> Case:
    return Case(id, tuple(args.split()), setup, names, **more)


nothing = steps()

CASES = [
    # show.toml, through several commands
    case("show-missing", "build", nothing, "empty", cwd="empty", says="no show.toml"),
    case("show-not-toml", "build", write("show.toml", 'title = "x\nauthor = 3\n'), "show.toml", line=1),
    case("show-not-utf8", "publish", write("show.toml", b'title = "\xff\xfe"\n'), "show.toml", line=1),
    case(
        "show-field-missing",
        "publish",
        edit("show.toml", 'title = "Asia Tech Brief"\n', ""),
        "show.toml",
        says="'title'",
    ),
    case("show-unknown-field", "validate", setting('colour = "red"'), "show.toml", line=1, says="colour"),
    case(
        "show-base-url-query",
        "publish",
        setting('base_url = "https://a.example.com/show/?ref=feed"'),
        "show.toml",
        line=ANY_LINE,
        says="query",
    ),
    case(
        "show-base-url-fragment",
        "build",
        setting('base_url = "https://a.example.com/show/#top"'),
        "show.toml",
        line=ANY_LINE,
        says="fragment",
    ),
    case(
        "show-base-url-password",
        "publish",
        setting('base_url = "https://me:secret@a.example.com/show/"'),
        "show.toml",
        line=ANY_LINE,
        says="password",
    ),
    case("show-base-url-ftp", "publish", setting('base_url = "ftp://a.example.com/show/"'), "show.toml", line=ANY_LINE),
    case("show-engine-unknown", "build", setting('engine = "loud"', table="speech"), "show.toml", says="engine"),
    case("show-bitrate", "build", setting("bitrate = 100", table="audio"), "show.toml", says="bitrate"),
    case("show-category", "publish", setting('sub = "Tech Gossip"', table="category"), "show.toml", says="category"),
    case("show-fifo", "build", fifo("show.toml"), "show.toml", says="not a regular file"),
    case("show-folder", "publish", folder("show.toml"), "show.toml", says="folder"),
    case("show-huge", "build", sparse("show.toml", 100 << 20), "show.toml", says="limit"),
    # the cover
    case("cover-dev-zero", "build", setting('cover = "/dev/zero"'), "/dev/zero", says="not a regular file"),
    case(
        "cover-fifo",
        "publish",
        steps(fifo("cover.png"), setting('cover = "cover.png"')),
        "cover.png",
        says="not a regular file",
    ),
    case("cover-missing", "build", setting('cover = "art/cover.png"'), "cover.png", says="not found"),
    case("cover-folder", "publish", steps(folder("art"), setting('cover = "art"')), "art", says="folder"),
    case(
        "cover-not-image",
        "publish",
        steps(write("cover.png", "not a picture"), setting('cover = "cover.png"')),
        "cover.png",
        says="not an image",
    ),
    case(
        "cover-bomb-build",
        "build",
        steps(write("cover.png", png_claiming(20_000)), setting('cover = "cover.png"')),
        "cover.png",
        says="20000×20000",
    ),
    case(
        "cover-bomb-publish",
        "publish",
        steps(write("cover.png", png_claiming(20_000)), setting('cover = "cover.png"')),
        "cover.png",
        says="20000×20000",
    ),
    case(
        "cover-truncated-build",
        "build",
        steps(write("cover.png", png(1400, 1400, cut=40_000, noise=True)), setting('cover = "cover.png"')),
        "cover.png",
        says="cut-short",
    ),
    case(
        "cover-truncated-publish",
        "publish",
        steps(write("cover.png", png(1400, 1400, cut=40_000, noise=True)), setting('cover = "cover.png"')),
        "cover.png",
        says="cut-short",
    ),
    case(
        "cover-not-square",
        "build",
        steps(write("cover.png", png(1400, 1500)), setting('cover = "cover.png"')),
        "cover.png",
        says="square",
    ),
    case(
        "cover-too-small",
        "publish",
        steps(write("cover.png", png(300, 300)), setting('cover = "cover.png"')),
        "cover.png",
        says="1400",
    ),
    # music
    case(
        "music-dev-urandom",
        "build",
        setting('intro = "/dev/urandom"', table="music"),
        "/dev/urandom",
        says="not a regular file",
    ),
    case(
        "music-fifo",
        "build",
        fifo("audio/music/transition.wav"),
        "transition.wav",
        says="not a regular file",
    ),
    case("music-missing", "build", remove("audio/music/outro.wav"), "outro.wav", says="not found"),
    case(
        "music-not-audio",
        "build",
        write("audio/music/intro.wav", "RIFF but not really"),
        "intro.wav",
        says="intro music",
    ),
    case(
        "music-folder",
        "build",
        steps(remove("audio/music/intro.wav"), folder("audio/music/intro.wav")),
        "intro.wav",
        says="folder",
    ),
    # the lexicon
    case("lexicon-not-toml", "build", write("lexicon.toml", 'JD = "징동"\nKB = \n'), "lexicon.toml", line=2),
    case("lexicon-not-text", "build", write("lexicon.toml", 'JD = "징동"\nKB = 3\n'), "lexicon.toml", line=2),
    case("lexicon-not-utf8", "build", write("lexicon.toml", b'JD = "\xb0\xa1"\n'), "lexicon.toml", line=1),
    case("lexicon-fifo", "build", fifo("lexicon.toml"), "lexicon.toml", says="not a regular file"),
    case("lexicon-check-bad", "lexicon check", write("lexicon.toml", "= 3\n"), "lexicon.toml", line=1),
    # scripts
    case(
        "script-date-impossible",
        "build",
        edit(SCRIPT, "date: 2026-11-23", "date: 2017-02-30"),
        "tiny-001.md",
        line=5,
    ),
    case(
        "script-date-month-13",
        "build",
        edit(SCRIPT, "date: 2026-11-23", "date: 2023-13-02"),
        "tiny-001.md",
        line=5,
    ),  # fmt: skip
    case(
        "script-guid-control",
        "build",
        edit(SCRIPT, "guid: 0b5cf7a2", 'guid: "\\x01"  # 0b5cf7a2'),
        "tiny-001.md",
        line=7,
        says="U+0001",
    ),
    case(
        "script-title-control",
        "build",
        edit(SCRIPT, "title: 짧은 소식", 'title: "짧은\\x1b 소식"'),
        "tiny-001.md",
        line=4,
        says="U+001B",
    ),
    case(
        "script-title-surrogate",
        "build",
        edit(SCRIPT, "title: 짧은 소식", 'title: "짧은\\ud800"'),
        "tiny-001.md",
        line=4,
    ),
    case("script-256-chapters", "build", write(SCRIPT, script_with_chapters(256)), "tiny-001.md", says="255"),
    case("script-no-closing-fence", "build", edit(SCRIPT, "voice:\n---\n", "voice:\n"), "tiny-001.md", line=1),
    case("script-unknown-field", "build", edit(SCRIPT, "voice:\n", "voice:\nmood: calm\n"), "tiny-001.md", line=11),
    case("script-episode-text", "build", edit(SCRIPT, "episode: 1", "episode: one"), "tiny-001.md", line=3),
    case("script-slug-upper", "build", edit(SCRIPT, "slug: tiny-001", "slug: Tiny-001"), "tiny-001.md", line=6),
    case("script-engine-unknown", "build", edit(SCRIPT, "engine: espeak", "engine: loud"), "tiny-001.md", line=9),
    case("script-yaml-broken", "build", edit(SCRIPT, "title: 짧은 소식", 'title: "짧은 소식'), "tiny-001.md"),
    case(
        "script-text-before-heading",
        "build",
        edit(SCRIPT, "---\n\n## 오프닝", "---\n\n인사말\n\n## 오프닝"),
        "tiny-001.md",
        line=13,
    ),
    case("script-h3", "build", edit(SCRIPT, "오늘은 짧습니다.", "### 짧습니다"), "tiny-001.md", line=19),
    case("script-bad-source", "build", edit(SCRIPT, "> 출처: https://", "> 출처 https://"), "tiny-001.md", line=21),
    case("script-empty-chapter", "build", edit(SCRIPT, "오늘은 짧습니다.\n", ""), "tiny-001.md", line=17),
    case("script-one-chapter", "build", write(SCRIPT, TINY_SCRIPT.split("## 소식")[0]), "tiny-001.md"),
    case(
        "script-not-utf8",
        "build",
        write(SCRIPT, TINY_SCRIPT.encode("utf-8") + b"\xff\n"),
        "tiny-001.md",
        line=TINY_SCRIPT.count("\n") + 1,
    ),
    case("script-empty", "build", write(SCRIPT, ""), "tiny-001.md", line=1),
    case("script-fifo", "build", fifo("scripts/other.md"), "other.md", says="not a regular file"),
    case("script-named-missing", "build scripts/nowhere.md", nothing, "nowhere.md", says="not found"),
    case("script-named-folder", "build scripts", nothing, "scripts", says="folder"),
    case("script-same-slug", "build", write("scripts/tiny-copy.md", TINY_SCRIPT), "tiny-copy.md", says="tiny-001.md"),
    case("build-engine-flag", "build --engine loud", nothing, "", says="unknown speech engine"),
    case("build-no-scripts", "build", remove(SCRIPT), "scripts", says="no scripts"),
    # built episodes and the ledger, through publish
    case("timeline-title-null", "publish", timeline(lambda d: d.update(title=None)), "tiny-001.json", says="title"),
    case("timeline-not-json", "publish", write(TIMELINE, "{"), "tiny-001.json"),
    case(
        "timeline-later-format", "publish", timeline(lambda d: d.update(format=99)), "tiny-001.json", says="format 99"
    ),
    case(
        "timeline-chapters-object",
        "publish",
        timeline(lambda d: d.update(chapters={})),
        "tiny-001.json",
        says="chapters",
    ),
    case(
        "timeline-duration-text",
        "publish",
        timeline(lambda d: d.update(duration_ms="long")),
        "tiny-001.json",
        says="duration_ms",
    ),
    case("timeline-infinite", "publish", write(TIMELINE, '{"format": 2, "episode": 1e400}'), "tiny-001.json"),
    case("timeline-nested", "publish", write(TIMELINE, nested(100_000)), "tiny-001.json"),
    case(
        "timeline-guid-control",
        "publish",
        timeline(lambda d: d.update(guid="a\u0007b")),
        "tiny-001.json",
        says="U+0007",
    ),
    case("timeline-missing-key", "publish", timeline(lambda d: d.pop("slug")), "tiny-001.json", says="slug"),
    case(
        "timeline-fifo",
        "publish",
        fifo("audio/episodes/other.json"),
        "other.json",
        says="not a regular file",
    ),
    case("mp3-missing", "publish", remove("audio/episodes/tiny-001.mp3"), "tiny-001.mp3", says="missing"),
    case("ledger-not-json", "publish", write("published.json", "{"), "published.json"),
    case(
        "ledger-no-zone",
        "publish",
        write(
            "published.json",
            '{"format": 1, "episodes": {"g": {"slug": "x", "published": "2026-01-01T00:00:00",'
            ' "updated": "2026-01-01T00:00:00", "fingerprint": "f"}}}',
        ),
        "published.json",
        says="time zone",
    ),
    case(
        "ledger-slug-null",
        "publish",
        write(
            "published.json",
            '{"format": 1, "episodes": {"g": {"slug": null, "published": "2026-01-01T00:00:00Z",'
            ' "updated": "2026-01-01T00:00:00Z", "fingerprint": "f"}}}',
        ),
        "published.json",
    ),
    case("ledger-nested", "publish", write("published.json", nested(100_000)), "published.json"),
    case("unpublish-unknown", "unpublish nothing-here", nothing, "published.json", says="nothing-here"),
    # validate
    case("validate-missing", "validate feed/nope.xml", nothing, "nope.xml", says="not found"),
    case("validate-folder", "validate feed", nothing, "feed", says="folder"),
    case(
        "validate-fifo",
        "validate feed/pipe.xml",
        fifo("feed/pipe.xml"),
        "pipe.xml",
        says="not a regular file",
    ),
    case("validate-dev-zero", "validate /dev/zero", nothing, "/dev/zero", says="not a regular file"),
    case(
        "validate-refused",
        "validate --timeout 2 http://127.0.0.1:9/feed.xml",
        nothing,
        "http://127.0.0.1:9/feed.xml",
        says="could not connect",
    ),
    # user text in the sentence is printed as it is, never read as markup
    case("markup-path", "script issues/[/]x.txt", nothing, "[/]x.txt"),
    case("markup-music", "build", remove("audio/music/outro.wav"), "outro.wav", says="[music]"),
    case(
        "markup-category",
        "publish",
        setting('sub = "Tech Gossip"', table="category"),
        "show.toml",
        says="[category]",
    ),
    # script: issues and templates
    case("issue-missing", f"script {ISSUE}x", nothing, "asia-tech-brief-001.txtx"),
    case("issue-folder", "script issues", nothing, "issues", says="not a file"),
    case("issue-fifo", "script issues/pipe.txt", fifo("issues/pipe.txt"), "pipe.txt"),
    case("issue-binary", "script issues/b.txt", write("issues/b.txt", bytes(range(256)) * 40), "b.txt", says="binary"),
    case("issue-empty", "script issues/e.txt", write("issues/e.txt", "\n \n"), "e.txt", says="empty"),
    case("issue-huge", "script issues/h.txt", sparse("issues/h.txt", 6 << 20), "h.txt", says="limit"),
    case(
        "issue-encoding-unknown",
        f"script --encoding klingon {ISSUE}",
        nothing,
        "asia-tech-brief-001.txt",
        says="klingon",
    ),
    case("issue-encoding-wrong", f"script --encoding ascii {ISSUE}", nothing, "asia-tech-brief-001.txt", says="ascii"),
    case(
        "issue-no-title",
        "script issues/t.txt",
        write("issues/t.txt", "그냥 글입니다.\n두 번째 줄입니다.\n"),
        "t.txt",
        line=1,
    ),
    case("issue-title-only", "script issues/t.txt", write("issues/t.txt", "[쇼] 3. 제목뿐\n"), "t.txt"),
    case(
        "template-fifo",
        f"script {ISSUE}",
        fifo("templates/story.j2"),
        "story.j2",
        says="not a regular file",
    ),
    case("template-syntax", f"script {ISSUE}", write("templates/opening.j2", "{% if %}\n"), "opening.j2", line=1),
    case(
        "template-undefined",
        f"script {ISSUE}",
        write("templates/closing.j2", "\n{{ show.titel }}\n"),
        "closing.j2",
        line=2,
    ),
    case("template-not-utf8", f"script {ISSUE}", write("templates/story.j2", b"\xff\xfe{{ x }}"), "story.j2"),
    case(
        "script-edited",
        f"script {ISSUE}",
        steps(
            made_script,
            edit("scripts/asia-tech-brief-001.md", "## 오프닝", "## 여는 말"),
        ),
        "asia-tech-brief-001.md",
        says="--force",
    ),
    # run
    case("run-issue-missing", "run issues/none.txt", nothing, "none.txt"),
    case("run-issue-binary", "run issues/b.txt", write("issues/b.txt", bytes(range(256)) * 40), "b.txt"),
    case("run-show-broken", f"run {ISSUE}", write("show.toml", "title = \n"), "show.toml", line=1),
    # init
    case("init-into-file", "init show.toml", nothing, "show.toml", says="file"),
    case("init-under-file", "init show.toml/new", nothing, "show.toml", says="file, not a folder"),
    case("init-into-proc", "init /proc/briefing-show", nothing, "/proc/briefing-show"),
    case("init-over-show", "init .", nothing, "show.toml", says="already"),
    # init --ci, fetch, run --new, deploy
    case("init-ci-unknown", "init --ci jenkins", nothing, "", says="jenkins"),
    case("init-ci-deploy-unknown", "init --ci github --deploy nowhere", nothing, "", says="nowhere"),
    case("fetch-no-source", "fetch", nothing, "show.toml", says="[source]"),
    case("fetch-not-http", "fetch ftp://news.example.com/rss", nothing, "ftp://news.example.com/rss", says="http"),
    case("fetch-refused", "fetch http://127.0.0.1:9/rss", nothing, "http://127.0.0.1:9/rss"),
    case(
        "fetch-source-not-http",
        "fetch",
        write_more("show.toml", '\n[source]\nfeed = "file:///etc/passwd"\n'),
        "show.toml",
        line=ANY_LINE,
    ),
    case("fetch-ledger-broken", "fetch http://127.0.0.1:9/rss", write("fetched.json", "{"), "fetched.json"),
    case("run-new-and-issues", f"run --new {ISSUE}", nothing, "", says="not both"),
    case("run-nothing", "run", nothing, "", says="issue"),
    case("deploy-no-target", "deploy", nothing, "show.toml", says="[deploy]"),
    case(
        "deploy-target-unknown",
        "deploy",
        write_more("show.toml", '\n[deploy]\ntarget = "ftp"\n'),
        "show.toml",
        line=ANY_LINE,
        says="target",
    ),
    case(
        "deploy-folder-is-file",
        "deploy",
        write_more("show.toml", '\n[deploy]\ntarget = "folder"\npath = "show.toml"\n'),
        "show.toml",
        says="file",
    ),
    case(
        "deploy-s3-no-bucket",
        "deploy",
        write_more("show.toml", '\n[deploy]\ntarget = "s3"\n'),
        "show.toml",
        line=ANY_LINE,
        says="bucket",
    ),
    case(
        "deploy-nothing-published",
        "deploy",
        steps(
            lambda root: shutil.rmtree(root / "feed"),
            write_more("show.toml", '\n[deploy]\ntarget = "folder"\npath = "../site"\n'),
        ),
        "feed",
        says="publish",
    ),
    # serve, cache, lexicon, normalize
    case("serve-base-url", "serve --port 0 --base-url ftp://x/", nothing, "", says="--base-url"),
    case(
        "serve-nothing-published",
        "serve --port 0",
        lambda root: shutil.rmtree(root / "feed"),
        "feed",
        says="nothing published",
    ),
    case("cache-outside-show", "cache size", nothing, "empty", cwd="empty", says="no show.toml"),
    case("lexicon-check-missing", "lexicon check scripts/none.md", nothing, "none.md"),
]


def test_there_are_enough_cases_over_every_command():
    assert len(CASES) >= 80
    assert len({c.id for c in CASES}) == len(CASES)
    commands = {c.args[0] for c in CASES}
    assert commands >= {"script", "build", "publish", "unpublish", "validate", "run", "serve", "init", "cache",
                        "lexicon", "fetch", "deploy"}  # fmt: skip


# ----------------------------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run_in_process(args: tuple[str, ...], cwd: Path, monkeypatch, capsys) -> Outcome:
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["briefing", *args])
    code = 0
    try:
        cli.main()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


@contextlib.contextmanager
def bounded() -> Iterator[None]:
    """A bound on the memory this process may take on, and a watchdog that ends the run (printing every thread's
    stack) should a command hang."""
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    in_use = int(re.search(r"VmData:\s+(\d+) kB", Path("/proc/self/status").read_text())[1]) * 1024
    limit = in_use + MORE_MEMORY if hard == resource.RLIM_INFINITY else min(hard, in_use + MORE_MEMORY)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=sys.__stderr__)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


@pytest.mark.parametrize(
    "bad",
    [pytest.param(c, marks=[pytest.mark.xfail(reason=c.pending, strict=False)] if c.pending else []) for c in CASES],
    ids=[c.id for c in CASES],
)
def test_bad_input_is_one_sentence_and_changes_nothing(bad: Case, built_show, tmp_path, monkeypatch, capsys):
    root = tmp_path / "show"
    shutil.copytree(built_show, root, symlinks=True)
    (tmp_path / "empty").mkdir()
    bad.setup(root)
    where = tmp_path / bad.cwd if bad.cwd else root
    before = snapshot(tmp_path)

    with bounded():
        outcome = run_in_process(bad.args, where, monkeypatch, capsys)

    lines = [line for line in outcome.err.splitlines() if line.strip()]
    assert "Traceback" not in outcome.err + outcome.out, outcome.err
    assert outcome.code == 2, (outcome.code, outcome.err, outcome.out[-500:])
    assert len(lines) == 1 and lines[0].startswith("error: "), outcome.err
    sentence = lines[0]
    assert bad.names in sentence, sentence
    if bad.line == ANY_LINE:
        assert re.search(rf"{re.escape(bad.names)}:\d+: ", sentence), sentence
    elif bad.line is not None:
        assert f"{bad.names}:{bad.line}:" in sentence, sentence
    assert bad.says in sentence, sentence
    assert snapshot(tmp_path) == before, "the command changed the workspace"
