"""Reading and writing a built episode's timeline JSON (`audio/episodes/<slug>.json`).

Format 2 lists the episode's chapters under "chapters" and its build record under "build", and records the MP3's
SHA-256 under "mp3_sha256" (optional: timelines written before it are read without); format 1 (briefing
0.1.0) called them "sections" and "extra", and is read as it stands, so an episode built before still publishes,
and counts as up to date, without a rebuild. Optional in format 2, and absent from older files (read as one unnamed
presenter): "presenters" (the named presenters and their voices), each utterance's "speaker", and the build
record's "engine_reason".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from pathlib import Path
from typing import Any

from briefing.errors import BriefingError
from briefing.feedspec.xmltext import unwritable_problem
from briefing.fsutil import atomic_write_text
from briefing.models import (
    BuildRecord,
    MasteringRecord,
    ScriptMeta,
    Source,
    Speaker,
    TimedChapter,
    TimedUtterance,
    Timeline,
)
from briefing.userfile import read_user_text

FORMAT_VERSION = 2
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Where each format keeps the chapters and the build record.
FORMAT_KEYS = {1: {"chapters": "sections", "build": "extra"}, 2: {"chapters": "chapters", "build": "build"}}


class NewerFormatError(ValueError):
    """A timeline written by a later briefing, in a format this one does not know."""

    def __init__(self, version: int):
        super().__init__(f"format {version}")
        self.version = version


def timeline_to_dict(timeline: Timeline) -> dict[str, Any]:
    meta = timeline.meta
    return {
        "format": FORMAT_VERSION,
        "show": meta.show,
        "episode": meta.episode,
        "title": meta.title,
        "date": meta.date.isoformat(),
        "slug": meta.slug,
        "guid": meta.guid,
        "source": meta.source,
        **({"publish_at": meta.publish_at.isoformat()} if meta.publish_at else {}),
        **({"season": meta.season} if meta.season else {}),
        **({"soundbite": list(meta.soundbite)} if meta.soundbite else {}),
        "engine": timeline.engine,
        "voice": timeline.voice,
        **(
            {"presenters": [{"name": p.name, "voice": p.voice} for p in timeline.presenters]}
            if timeline.presenters
            else {}
        ),
        "duration_ms": timeline.duration_ms,
        "integrated_lufs": round(timeline.integrated_lufs, 2),
        "true_peak_dbtp": round(timeline.true_peak_dbtp, 2),
        "mp3_bytes": timeline.mp3_bytes,
        **({"mp3_sha256": timeline.mp3_sha256} if timeline.mp3_sha256 else {}),
        "chapters": [
            {
                "index": c.index,
                "kind": c.kind,
                "title": c.title,
                "start_ms": c.start_ms,
                "end_ms": c.end_ms,
                "paragraphs": list(c.paragraphs),
                "sources": [{"url": src.url, "kind": src.kind} for src in c.sources],
                **({"spoken_only": list(c.spoken_only)} if c.spoken_only else {}),
                "utterances": [
                    {
                        "start_ms": u.start_ms,
                        "end_ms": u.end_ms,
                        "paragraph": u.paragraph,
                        "written": u.written,
                        "spoken": u.spoken,
                        **({"speaker": u.speaker} if u.speaker is not None else {}),
                    }
                    for u in c.utterances
                ],
            }
            for c in timeline.chapters
        ],
        **({"build": build_record_to_dict(timeline.build)} if timeline.build else {}),
    }


def _presenters_to_dict(timeline: Timeline) -> dict[str, Any]:
    if not timeline.presenters:
        return {}
    return {"presenters": [{"name": p.name, "voice": p.voice} for p in timeline.presenters]}


def format_keys(data: dict[str, Any]) -> dict[str, str]:
    """The keys under which this timeline's format keeps its chapters and build record; a NewerFormatError for a
    later format."""
    version = data.get("format")
    if type(version) is not int:
        raise ValueError(f"its format is {version!r}, not a number")
    if version > FORMAT_VERSION:
        raise NewerFormatError(version)
    if version not in FORMAT_KEYS:
        raise ValueError(f"there is no format {version}")
    return FORMAT_KEYS[version]


def timeline_from_dict(data: object) -> Timeline:
    """A timeline of any format this version reads (see `FORMAT_KEYS`); a ValueError says what is wrong in it."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    keys = format_keys(data)
    meta = ScriptMeta(
        show=_text(data, "show"),
        episode=_whole(data, "episode"),
        title=_text(data, "title"),
        date=dt.date.fromisoformat(_text(data, "date")),
        slug=_text(data, "slug"),
        guid=_field(data, "guid"),
        source=_text(data, "source", default=""),
        engine=_text(data, "engine", default=None),
        voice=_text(data, "voice", default=None),
        publish_at=dt.datetime.fromisoformat(_text(data, "publish_at")) if data.get("publish_at") else None,
        season=_whole(data, "season") if data.get("season") else None,
        soundbite=_soundbite(data["soundbite"]) if data.get("soundbite") else None,
    )
    chapters = tuple(
        TimedChapter(
            index=_whole(c, "index"),
            kind=_text(c, "kind"),
            title=_text(c, "title"),
            start_ms=_whole(c, "start_ms"),
            end_ms=_whole(c, "end_ms"),
            paragraphs=tuple(_texts(c, "paragraphs")),
            sources=tuple(
                Source(url=_text(x, "url"), kind=_text(x, "kind", default="source")) for x in _objects(c, "sources")
            ),
            utterances=tuple(
                TimedUtterance(
                    start_ms=_whole(u, "start_ms"),
                    end_ms=_whole(u, "end_ms"),
                    written=_text(u, "written"),
                    spoken=_text(u, "spoken"),
                    paragraph=_whole(u, "paragraph", default=0),
                    speaker=_optional_text(u.get("speaker")),
                )
                for u in _objects(c, "utterances")
            ),
            spoken_only=tuple(int(i) for i in c.get("spoken_only", ())),
        )
        for c in _objects(data, keys["chapters"], required=True)
    )
    return Timeline(
        meta=meta,
        engine=_text(data, "engine"),
        voice=_text(data, "voice"),
        duration_ms=_whole(data, "duration_ms"),
        integrated_lufs=float(data["integrated_lufs"]),
        true_peak_dbtp=float(data["true_peak_dbtp"]),
        mp3_bytes=_whole(data, "mp3_bytes"),
        chapters=chapters,
        build=build_record_from_dict(data.get(keys["build"])),
        presenters=tuple(Speaker(name=str(p["name"]), voice=str(p["voice"])) for p in data.get("presenters", ())),
        mp3_sha256=_sha256_field(data.get("mp3_sha256")),
    )


_MISSING = object()


def _text(data: dict[str, Any], key: str, default: Any = _MISSING) -> Any:
    """`data[key]`, which must be text (`default` when it is absent, if one is given)."""
    if key not in data and default is not _MISSING:
        return default
    value = data[key]
    if not isinstance(value, str):
        raise ValueError(f"'{key}' is {json.dumps(value)[:40]}, not text")
    return value


def _field(data: dict[str, Any], key: str, default: Any = _MISSING) -> Any:
    """Text that is written into the feed as it is (the GUID): with no character a feed cannot carry. (The script
    refuses them; a hand-edited timeline may hold one. Titles and text are made XML-safe where the feed is written.)"""
    value = _text(data, key, default)
    if isinstance(value, str) and (problem := unwritable_problem(value)):
        raise ValueError(f"'{key}' {problem}")
    return value


def _whole(data: dict[str, Any], key: str, default: int | None = None) -> int:
    """`data[key]`, which must be a whole number (`default` when it is absent, if one is given)."""
    if key not in data and default is not None:
        return default
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value % 1:
        raise ValueError(f"'{key}' is {json.dumps(value)[:40]}, not a whole number")
    return int(value)


def _objects(data: dict[str, Any], key: str, *, required: bool = False) -> list[dict[str, Any]]:
    """`data[key]`, a list of JSON objects (empty when absent, unless `required`)."""
    value = data[key] if required else data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError(f"'{key}' is not a list of objects")
    return value


def _texts(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"'{key}' is not a list of texts")
    return value


def _soundbite(value: object) -> tuple[int, int]:
    """A soundbite: [start, end] in milliseconds."""
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError(f"'soundbite' is {json.dumps(value)[:40]}, not [start, end]")
    return _whole({"start": value[0]}, "start"), _whole({"end": value[1]}, "end")


def _optional_text(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"a speaker must be a name, not {value!r}")
    return value


def _sha256_field(value: object) -> str | None:
    """The recorded MP3 hash, or None where there is none or it is not one (the MP3's size is then compared)."""
    return value if isinstance(value, str) and _SHA256.fullmatch(value) else None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def describes(timeline: Timeline, mp3: Path, digest: str | None = None) -> bool:
    """Whether `mp3` is the file `timeline` was written for: its recorded hash (`digest`, if already worked out,
    is the file's), or for a timeline from before hashes were recorded, its size."""
    if timeline.mp3_sha256 is None:
        return mp3.stat().st_size == timeline.mp3_bytes
    return (digest or file_sha256(mp3)) == timeline.mp3_sha256


def build_record_to_dict(record: BuildRecord) -> dict[str, Any]:
    data: dict[str, Any] = {
        "build_key": record.build_key,
        "bitrate_kbps": record.bitrate_kbps,
        "sample_rate": record.sample_rate,
    }
    if record.engine_reason:
        data["engine_reason"] = record.engine_reason
    if record.mastering is not None:
        data["mastering"] = {
            "speech_lufs": record.mastering.speech_lufs,
            "music_db": dict(record.mastering.music_db),
            "gain_db": record.mastering.gain_db,
            "ceiling_dbtp": record.mastering.ceiling_dbtp,
            "loudness_lufs": record.mastering.loudness_lufs,
            "limit_dbtp": record.mastering.limit_dbtp,
        }
    return data


def build_record_from_dict(data: object) -> BuildRecord | None:
    """The build record, or None where there is none or it is damaged: the episode is then simply built again."""
    if not isinstance(data, dict):
        return None
    try:
        return BuildRecord(
            build_key=str(data["build_key"]),
            bitrate_kbps=int(data["bitrate_kbps"]),
            sample_rate=int(data["sample_rate"]),
            mastering=mastering_from_dict(data.get("mastering")),
            engine_reason=str(data["engine_reason"]) if data.get("engine_reason") else None,
        )
    except (KeyError, TypeError, ValueError):
        return None


def mastering_from_dict(data: object) -> MasteringRecord | None:
    if not isinstance(data, dict):
        return None
    try:
        return MasteringRecord(
            speech_lufs=float(data["speech_lufs"]),
            music_db={str(name): float(db) for name, db in data["music_db"].items()},
            gain_db=float(data["gain_db"]),
            ceiling_dbtp=float(data["ceiling_dbtp"]),
            loudness_lufs=float(data["loudness_lufs"]),
            limit_dbtp=float(data["limit_dbtp"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def write_timeline(path: Path, timeline: Timeline) -> None:
    text = json.dumps(timeline_to_dict(timeline), ensure_ascii=False, indent=2) + "\n"
    atomic_write_text(path, text)


def read_timeline(path: Path) -> Timeline:
    try:
        return timeline_from_dict(json.loads(read_user_text(path, "timeline", hint="; build the episode first")))
    except NewerFormatError as exc:
        raise BriefingError(
            f"the timeline is in format {exc.version}, from a later briefing than this one (which reads formats "
            f"up to {FORMAT_VERSION}); upgrade briefing, or build the episode again",
            path,
        ) from None
    except KeyError as exc:
        raise BriefingError(f"not a valid episode timeline ('{exc.args[0]}' is missing)", path) from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise BriefingError(f"not a valid episode timeline ({exc})", path) from None
    except RecursionError:
        raise BriefingError("not a valid episode timeline (nested too deeply)", path) from None
