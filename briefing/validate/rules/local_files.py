"""The feed's own files, when they are next to it: enclosure lengths and durations checked against the files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from briefing.validate.document import FeedDocument
from briefing.validate.rules.elements import item_duration, item_label, itunes
from briefing.validate.rules.family import Family, Problems

DURATION_TOLERANCE_S = 2.0

family = Family("local files")


def _local_enclosures(doc: FeedDocument) -> Iterator[tuple[etree._Element, etree._Element, Path]]:
    for item in doc.items:
        enclosure = item.find("enclosure")
        if enclosure is None:
            continue
        path = doc.local_file(enclosure.get("url"))
        if path is not None:
            yield item, enclosure, path


@family.rule("local.enclosure-length", "error", "Set the enclosure length to the file's exact size in bytes.")
def enclosure_length_matches(doc: FeedDocument) -> Problems:
    for item, enclosure, path in _local_enclosures(doc):
        size = path.stat().st_size
        if (enclosure.get("length") or "").strip() != str(size):
            yield enclosure, f"{item_label(item)}: enclosure length {enclosure.get('length')} ≠ file size {size}"


@family.rule("local.duration", "error", "Set itunes:duration to the audio's real length.")
def duration_matches_audio(doc: FeedDocument) -> Problems:
    import mutagen

    for item, _enclosure, path in _local_enclosures(doc):
        duration = item.find(itunes("duration"))
        stated = item_duration(item)
        if duration is None or stated is None:
            continue
        try:
            audio = mutagen.File(path)
        except mutagen.MutagenError:
            audio = None
        if audio is None or audio.info is None:
            yield item, f"{item_label(item)}: the audio file {path.name} cannot be read"
            continue
        actual = audio.info.length
        if abs(actual - stated) > DURATION_TOLERANCE_S:
            yield duration, f"{item_label(item)}: itunes:duration {stated:g} s, audio {actual:.1f} s"
