"""The show's settings (`show.toml`), loaded into one validated, frozen object, and the workspace layout."""

from __future__ import annotations

import re
import tomllib
import urllib.parse
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl, ValidationError, field_validator

from briefing.errors import BriefingError
from briefing.feedspec.xmltext import unwritable_problem
from briefing.userfile import read_user_text

SHOW_FILE = "show.toml"

# What `briefing init` writes where the producer has not said yet; `briefing validate` warns while any is left. The
# example.com host is not the example show's (podcast.example.com), so a new show never passes for the example.
PLACEHOLDER_DESCRIPTION = "이 팟캐스트를 한두 문장으로 소개해 주세요."
PLACEHOLDER_BASE_URL = "https://example.com/{slug}/"
PLACEHOLDER_EMAIL = "editor@example.com"

# What `[speech] engine`, a script's `engine` and `--engine` accept: `auto`, then every engine in the registry
# (`briefing.speech.engines.ENGINES`, which a test keeps in step with this list). Kept here, so that checking
# show.toml needs no speech code.
AUTO_ENGINE = "auto"
ENGINE_NAMES = (AUTO_ENGINE, "supertonic", "edge", "gtts", "espeak")
SUPERTONIC_MODELS = ("supertonic-3", "supertonic-2")  # the Supertonic models that speak Korean
# What a presenter's name may not contain: it is written in speaker marks (**name:**) and VTT voice spans (<v name>).
_NAME_FORBIDDEN = re.compile(r"[*:<>&\n\r\t]")


def unknown_engine(name: str) -> str:
    """The sentence for an engine name nobody knows."""
    return f"unknown speech engine '{name}' (choose one of: {', '.join(ENGINE_NAMES)})"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _writable(value: str) -> str:
    """Text that goes into the feed as it is: refused when it holds a character no feed can carry."""
    if problem := unwritable_problem(value):
        raise ValueError(problem)
    if not value.strip():
        raise ValueError("must say something, not only spaces")
    return value


class Owner(_Strict):
    name: str = Field(min_length=1)
    email: EmailStr

    _name_writable = field_validator("name")(_writable)


class Category(_Strict):
    primary: str = "News"
    sub: str | None = "Tech News"


class Speech(_Strict):
    engine: str = AUTO_ENGINE  # one of ENGINE_NAMES
    voice: str = "ko"  # espeak-ng's and gTTS's voice for the first presenter; [[presenters]] may name others
    rate: int = Field(default=165, ge=80, le=450, description="espeak words per minute")
    pitch: int = Field(default=45, ge=0, le=99, description="espeak base pitch")
    gtts_tld: str = "com"
    gtts_endpoint: str | None = None  # a gTTS-compatible host, e.g. a proxy; None means Google
    edge_endpoint: str | None = None  # a ws:// or wss:// host speaking Edge's read-aloud protocol; None: Microsoft
    edge_rate: str = Field(default="+0%", pattern=r"^[+-]\d{1,3}%$", description="Edge speaking rate, e.g. +10%")
    edge_pitch: str = Field(default="+0Hz", pattern=r"^[+-]\d{1,3}Hz$", description="Edge pitch shift, e.g. -5Hz")
    supertonic_model: Literal["supertonic-3", "supertonic-2"] = "supertonic-3"
    model_dir: Path | None = None  # a Supertonic model folder; None: the user cache 'briefing voices fetch' fills
    supertonic_steps: int = Field(default=8, ge=1, le=100, description="denoising steps: 5 fast … 12 best")
    supertonic_speed: float = Field(default=1.05, ge=0.7, le=2.0)
    concurrency: int = Field(default=4, ge=1, le=32)
    timeout: float = Field(default=10.0, gt=0)
    retries: int = Field(default=4, ge=0, le=10)

    @field_validator("engine")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if value not in ENGINE_NAMES:
            raise ValueError(f"must be one of {', '.join(ENGINE_NAMES)}")
        return value

    @field_validator("edge_endpoint")
    @classmethod
    def _websocket_url(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urllib.parse.urlsplit(value)
            if parts.scheme not in ("ws", "wss") or not parts.hostname or parts.query or parts.fragment:
                raise ValueError("must be a ws:// or wss:// URL such as ws://127.0.0.1:8765 (no query)")
        return value


class Presenter(_Strict):
    """A named presenter and the voice each engine gives them; a voice left out is the engine's default for the
    presenter's place in the list (see `briefing voices`)."""

    name: str = Field(min_length=1, max_length=40)
    espeak: str | None = None  # an espeak-ng voice, with a variant after '+': "ko+f3"
    pitch: int | None = Field(default=None, ge=0, le=99, description="espeak base pitch for this presenter")
    rate: int | None = Field(default=None, ge=80, le=450, description="espeak words per minute for this presenter")
    gtts: str | None = None
    edge: str | None = None  # e.g. "ko-KR-InJoonNeural"
    supertonic: str | None = None  # e.g. "M3"

    @field_validator("name")
    @classmethod
    def _speakable_name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value or _NAME_FORBIDDEN.search(value):
            raise ValueError("must be a name without '*', ':', '<', '>' or '&' (it is written in speaker marks)")
        return value

    def voice_for(self, engine: str) -> str | None:
        """The voice this presenter asked for on `engine`, if any."""
        return getattr(self, engine, None)


class Music(_Strict):
    intro: Path = Path("audio/music/intro.wav")
    outro: Path = Path("audio/music/outro.wav")
    transition: Path = Path("audio/music/transition.wav")


class Audio(_Strict):
    # MPEG-1 Layer III: the bitrates and sample rates an episode's MP3 frames can have
    bitrate: Literal[32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] = Field(
        default=96, description="MP3 CBR bitrate in kb/s"
    )
    sample_rate: Literal[32000, 44100, 48000] = 44100
    loudness_lufs: float = Field(default=-16.0, ge=-30, le=-9)
    true_peak_dbtp: float = Field(default=-1.0, ge=-6, le=0)
    pause_sentence_ms: int = Field(default=350, ge=0, le=5000)
    pause_paragraph_ms: int = Field(default=700, ge=0, le=5000)
    pause_chapter_ms: int = Field(default=1000, ge=0, le=10000)


# How often a new episode comes: the closing tells listeners when to come back ("다음 주에 다시 찾아뵙겠습니다").
Cadence = Literal["daily", "weekdays", "weekly", "biweekly", "monthly", "irregular"]


class Source(_Strict):
    """Where the newsletter publishes its issues: `briefing fetch` reads this RSS or Atom feed."""

    feed: HttpUrl | None = None


class Funding(_Strict):
    url: HttpUrl
    text: str = Field(default="", max_length=128)


class Txt(_Strict):
    text: str = Field(min_length=1, max_length=4000)
    purpose: str | None = Field(default=None, max_length=128)


class Podcasting(_Strict):
    """The Podcasting 2.0 tags the show sets for the whole feed (podcast:locked, funding, txt, season)."""

    locked: bool = True  # podcast:locked, with the owner's e-mail
    funding: tuple[Funding, ...] = ()
    txt: tuple[Txt, ...] = ()
    season: int | None = Field(default=None, ge=1)  # every episode's season, unless its script names one
    season_name: str | None = Field(default=None, max_length=128)


# Cache lifetimes a deploy gives: the feed and pages change with every episode, the audio hardly ever.
SHORT_CACHE_SECONDS = 300
LONG_CACHE_SECONDS = 7 * 24 * 3600


class _Deploy(_Strict):
    short_cache: int = Field(default=SHORT_CACHE_SECONDS, ge=0, description="max-age of the feed, pages, text files")
    long_cache: int = Field(default=LONG_CACHE_SECONDS, ge=0, description="max-age of the MP3s and the cover")
    delete: bool = False  # remove files the published site no longer has


class S3Deploy(_Deploy):
    """An S3-compatible bucket; the credentials come from the environment only (AWS_ACCESS_KEY_ID, ...)."""

    target: Literal["s3"]
    bucket: str = Field(min_length=3, max_length=63)
    prefix: str = ""  # a folder in the bucket, e.g. "asia-tech-brief/"
    endpoint: HttpUrl | None = None  # None: AWS itself; else R2, B2, MinIO, ...
    region: str | None = None

    @field_validator("prefix")
    @classmethod
    def _folder(cls, value: str) -> str:
        value = value.strip("/")
        return value + "/" if value else ""


class FolderDeploy(_Deploy):
    """A folder on this machine that a web server publishes."""

    target: Literal["folder"]
    path: Path


class RsyncDeploy(_Deploy):
    """An rsync destination, `host:/path/` or a local path, reached with the machine's own ssh set-up."""

    target: Literal["rsync"]
    destination: str = Field(min_length=1)


Deploy = Annotated[S3Deploy | FolderDeploy | RsyncDeploy, Field(discriminator="target")]


class ShowSettings(_Strict):
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    author: str = Field(min_length=1)
    language: Literal["ko"] = "ko"
    base_url: HttpUrl
    explicit: bool = False
    type: Literal["episodic", "serial"] = "episodic"
    cadence: Cadence = "weekly"
    timezone: str = "Asia/Seoul"  # the show's own clock: episode dates and publish_at without an offset
    cover: Path | None = None  # None: a cover is generated
    templates: Path = Path("templates")
    lexicon: Path = Path("lexicon.toml")
    owner: Owner
    category: Category = Category()
    speech: Speech = Speech()
    presenters: tuple[Presenter, ...] = ()  # none: one unnamed presenter, with the engines' first voices
    music: Music = Music()
    audio: Audio = Audio()
    source: Source = Source()
    podcast: Podcasting = Podcasting()
    deploy: Deploy | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be a time zone name such as Asia/Seoul") from None
        return value

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    _text_writable = field_validator("title", "description", "author")(_writable)

    @field_validator("base_url")
    @classmethod
    def _base_url_ends_with_slash(cls, value: HttpUrl) -> HttpUrl:
        # Every URL of the feed is this one with a file's path added: a query or fragment would end up in the
        # middle of each, and a user name or password would be published in all of them.
        if value.query or value.fragment:
            raise ValueError("must be a folder's address, without a query (?…) or fragment (#…)")
        if value.username or value.password:
            raise ValueError("must not carry a user name or password: it is published in every URL of the feed")
        text = str(value)
        return value if text.endswith("/") else HttpUrl(text + "/")


@dataclass(frozen=True)
class Workspace:
    """A show's folder: show.toml plus issues/, scripts/, audio/, feed/."""

    root: Path
    settings: ShowSettings

    @property
    def issues_dir(self) -> Path:
        return self.root / "issues"

    @property
    def scripts_dir(self) -> Path:
        return self.root / "scripts"

    @property
    def music_dir(self) -> Path:
        return self.root / "audio" / "music"

    @property
    def episodes_dir(self) -> Path:
        return self.root / "audio" / "episodes"

    @property
    def feed_dir(self) -> Path:
        return self.root / "feed"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    def path(self, relative: Path) -> Path:
        """A path from show.toml, relative to the workspace root."""
        return relative if relative.is_absolute() else self.root / relative

    @property
    def feed_url(self) -> str:
        return str(self.settings.base_url) + "feed.xml"


def _describe(error: Mapping[str, Any]) -> str:
    """One of pydantic's error details, in a sentence."""
    field = ".".join(str(part) for part in error["loc"]) or "(top level)"
    if error["type"] == "missing":
        return f"required field '{field}' is missing"
    if error["type"] == "extra_forbidden":
        return f"unknown field '{field}'"
    text = error["msg"].removeprefix("Value error, ")  # pydantic's prefix for a validator's own sentence
    message = text[:1].lower() + text[1:]
    return f"field '{field}': {message} (it is {error['input']!r})"


_TABLE_LINE = re.compile(r"^\s*\[(?P<name>[^\[\]]+)\]\s*(?:#.*)?$")
_ARRAY_LINE = re.compile(r"^\s*\[\[(?P<name>[^\[\]]+)\]\]\s*(?:#.*)?$")
_KEY_LINE = re.compile(
    r"^\s*(?P<key>(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="
)


def _dotted(name: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.split(r"\.(?=(?:[^\"']|\"[^\"]*\"|'[^']*')*$)", name))


def setting_line(text: str, loc: tuple[int | str, ...]) -> int | None:
    """The line of show.toml that sets the field at `loc` (or the table it belongs in), if there is one."""
    wanted = tuple(str(part) for part in loc)
    table: tuple[str, ...] = ()
    arrays: dict[tuple[str, ...], int] = {}  # [[name]] tables seen so far: the next one's index
    best, best_depth = None, 0
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _ARRAY_LINE.match(line):
            name = _dotted(header["name"])
            arrays[name] = arrays.get(name, -1) + 1
            table = found = (*name, str(arrays[name]))
        elif header := _TABLE_LINE.match(line):
            table = _dotted(header["name"])
            found = table
        elif key := _KEY_LINE.match(line):
            found = table + _dotted(key["key"])
        else:
            continue
        if found and wanted[: len(found)] == found and len(found) > best_depth:
            best, best_depth = number, len(found)
    return best


def load_settings(path: Path) -> ShowSettings:
    text = read_user_text(path, "show settings file", hint=" (run 'briefing init' to make a show)")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at_line = re.search(r"at line (\d+)", str(exc))
        raise BriefingError(f"not valid TOML ({exc})", path, int(at_line[1]) if at_line else None) from None
    try:
        settings = ShowSettings.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise BriefingError(_describe(errors[0]) + more, path, setting_line(text, errors[0]["loc"])) from None
    names = [presenter.name for presenter in settings.presenters]
    for index, name in enumerate(names):
        if name in names[:index]:
            line = setting_line(text, ("presenters", index, "name"))
            raise BriefingError(f"two presenters are called '{name}'; each needs a name of their own", path, line)
    return settings


def settings_error(workspace: Workspace, message: str, loc: tuple[str | int, ...]) -> BriefingError:
    """A BriefingError about the setting at `loc` (e.g. ("presenters", 1, "edge")), naming show.toml and its line.

    For what only a later stage can check, such as whether an engine knows a voice."""
    path = workspace.root / SHOW_FILE
    try:
        line = setting_line(path.read_text(encoding="utf-8-sig"), loc)
    except (OSError, UnicodeDecodeError):
        line = None
    return BriefingError(message, path, line)


def find_workspace(start: Path | None = None) -> Workspace:
    """The workspace containing `start` (default: the current folder), found by its show.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SHOW_FILE).exists():
            return Workspace(root=folder, settings=load_settings(folder / SHOW_FILE))
    raise BriefingError(f"no {SHOW_FILE} here or in any parent folder (run 'briefing init DIR' to make a show)", here)
