"""feedgen extensions for the namespaces feedgen lacks: Podcasting 2.0 (`podcast`), Podlove Simple Chapters
(`psc`), and Apple's current true/false `itunes:explicit` (feedgen's own podcast extension writes yes/no)."""

from __future__ import annotations

from dataclasses import dataclass

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from lxml import etree

from briefing.feedspec.json_chapters import JSON_CHAPTERS_TYPE
from briefing.feedspec.namespaces import ITUNES_NS, PODCAST_NS, PSC_NS

PSC_VERSION = "1.2"


@dataclass(frozen=True)
class Transcript:
    url: str
    type: str
    language: str | None = None
    rel: str | None = None


@dataclass(frozen=True)
class Funding:
    url: str
    text: str = ""  # what an app shows beside the link


@dataclass(frozen=True)
class Txt:
    text: str
    purpose: str | None = None  # e.g. "verify", "applepodcastsverify"


@dataclass(frozen=True)
class Season:
    number: int
    name: str | None = None


@dataclass(frozen=True)
class Soundbite:
    start_s: float
    duration_s: float
    title: str = ""


def seconds_text(seconds: float) -> str:
    """Seconds as the namespace writes them: "73.0", "1234.5"."""
    return f"{seconds:.3f}".rstrip("0").rstrip(".") + ("" if seconds % 1 else ".0")


@dataclass(frozen=True)
class Person:
    """podcast:person: someone who makes the show (a presenter is role "host", group "cast")."""

    name: str
    role: str = "host"
    group: str = "cast"


def _person_elements(parent: etree._Element, people: list[Person]) -> None:
    for person in people:
        xml_elem(f"{{{PODCAST_NS}}}person", parent, role=person.role, group=person.group).text = person.name


@dataclass(frozen=True)
class PscChapter:
    start: str  # Normal Play Time
    title: str
    href: str | None = None


def _txt_elements(parent: etree._Element, txts: list[Txt]) -> None:
    for txt in txts:
        element = xml_elem(f"{{{PODCAST_NS}}}txt", parent)
        element.text = txt.text
        if txt.purpose:
            element.attrib["purpose"] = txt.purpose


class PodcastIndexExtension(BaseExtension):
    """Channel elements of the Podcasting 2.0 namespace: podcast:guid, podcast:locked, podcast:funding,
    podcast:txt and podcast:person."""

    def __init__(self) -> None:
        self._guid: str | None = None
        self._locked: bool | None = None
        self._locked_owner: str | None = None
        self._funding: list[Funding] = []
        self._txt: list[Txt] = []
        self._people: list[Person] = []

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, rss_feed: etree._Element) -> etree._Element:
        channel = rss_feed[0]
        if self._guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self._guid
        if self._locked is not None:
            locked = xml_elem(f"{{{PODCAST_NS}}}locked", channel)
            locked.text = "yes" if self._locked else "no"
            if self._locked_owner:
                locked.attrib["owner"] = self._locked_owner
        for funding in self._funding:
            xml_elem(f"{{{PODCAST_NS}}}funding", channel, url=funding.url).text = funding.text
        _txt_elements(channel, self._txt)
        _person_elements(channel, self._people)
        return rss_feed

    def person(self, person: Person | None = None) -> list[Person]:
        if person is not None:
            self._people.append(person)
        return list(self._people)

    def guid(self, guid: str | None = None) -> str | None:
        if guid is not None:
            self._guid = guid
        return self._guid

    def locked(self, locked: bool | None = None, owner: str | None = None) -> bool | None:
        if locked is not None:
            self._locked, self._locked_owner = locked, owner
        return self._locked

    def funding(self, funding: Funding | None = None) -> list[Funding]:
        if funding is not None:
            self._funding.append(funding)
        return list(self._funding)

    def txt(self, txt: Txt | None = None) -> list[Txt]:
        if txt is not None:
            self._txt.append(txt)
        return list(self._txt)


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item elements of the Podcasting 2.0 namespace: podcast:chapters, podcast:transcript, podcast:season,
    podcast:soundbite, podcast:txt and podcast:person."""

    def __init__(self) -> None:
        self._chapters: tuple[str, str] | None = None
        self._transcripts: list[Transcript] = []
        self._season: Season | None = None
        self._soundbites: list[Soundbite] = []
        self._txt: list[Txt] = []
        self._people: list[Person] = []

    def extend_rss(self, entry: etree._Element) -> etree._Element:
        if self._chapters:
            url, type_ = self._chapters
            xml_elem(f"{{{PODCAST_NS}}}chapters", entry, url=url, type=type_)
        for transcript in self._transcripts:
            element = xml_elem(f"{{{PODCAST_NS}}}transcript", entry, url=transcript.url, type=transcript.type)
            if transcript.language:
                element.attrib["language"] = transcript.language
            if transcript.rel:
                element.attrib["rel"] = transcript.rel
        if self._season:
            season = xml_elem(f"{{{PODCAST_NS}}}season", entry)
            season.text = str(self._season.number)
            if self._season.name:
                season.attrib["name"] = self._season.name
        for bite in self._soundbites:
            element = xml_elem(f"{{{PODCAST_NS}}}soundbite", entry)
            element.attrib["startTime"] = seconds_text(bite.start_s)
            element.attrib["duration"] = seconds_text(bite.duration_s)
            element.text = bite.title
        _txt_elements(entry, self._txt)
        _person_elements(entry, self._people)
        return entry

    def person(self, person: Person | None = None) -> list[Person]:
        if person is not None:
            self._people.append(person)
        return list(self._people)

    def chapters(self, url: str | None = None, type: str = JSON_CHAPTERS_TYPE) -> tuple[str, str] | None:
        if url is not None:
            self._chapters = (url, type)
        return self._chapters

    def transcript(self, transcript: Transcript | None = None) -> list[Transcript]:
        if transcript is not None:
            self._transcripts.append(transcript)
        return list(self._transcripts)

    def season(self, season: Season | None = None) -> Season | None:
        if season is not None:
            self._season = season
        return self._season

    def soundbite(self, soundbite: Soundbite | None = None) -> list[Soundbite]:
        if soundbite is not None:
            self._soundbites.append(soundbite)
        return list(self._soundbites)

    def txt(self, txt: Txt | None = None) -> list[Txt]:
        if txt is not None:
            self._txt.append(txt)
        return list(self._txt)


class PodloveChaptersExtension(BaseExtension):
    """Declares the psc namespace on the feed; the chapters themselves belong to items."""

    def extend_ns(self) -> dict[str, str]:
        return {"psc": PSC_NS}


class PodloveChaptersEntryExtension(BaseEntryExtension):
    """Inline Podlove Simple Chapters: <psc:chapters version="1.2"><psc:chapter start=… title=… href=…/>."""

    def __init__(self) -> None:
        self._chapters: list[PscChapter] = []

    def extend_rss(self, entry: etree._Element) -> etree._Element:
        if self._chapters:
            chapters = xml_elem(f"{{{PSC_NS}}}chapters", entry, version=PSC_VERSION)
            for chapter in self._chapters:
                element = xml_elem(f"{{{PSC_NS}}}chapter", chapters, start=chapter.start, title=chapter.title)
                if chapter.href:
                    element.attrib["href"] = chapter.href
        return entry

    def chapters(self, chapters: list[PscChapter] | None = None) -> list[PscChapter]:
        if chapters is not None:
            self._chapters = list(chapters)
        return list(self._chapters)


class AppleExplicitExtension(BaseExtension):
    """itunes:explicit as Apple now specifies it: "true" or "false"."""

    def __init__(self) -> None:
        self._explicit: bool | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS}

    def extend_rss(self, rss_feed: etree._Element) -> etree._Element:
        if self._explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", rss_feed[0]).text = "true" if self._explicit else "false"
        return rss_feed

    def explicit(self, explicit: bool | None = None) -> bool | None:
        if explicit is not None:
            self._explicit = explicit
        return self._explicit


def register_extensions(fg: FeedGenerator) -> None:
    """Load feedgen's podcast (iTunes) extension and ours on a FeedGenerator."""
    fg.load_extension("podcast")
    fg.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    fg.register_extension("psc", PodloveChaptersExtension, PodloveChaptersEntryExtension)
    fg.register_extension("apple", AppleExplicitExtension, None)
