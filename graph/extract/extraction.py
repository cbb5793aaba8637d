"""What extraction yields: mentions (spans of the source file that refer to an entity), the
entities a post defines itself (editions, places, new names), and the confidence of each method."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.extract.places import Place
from graph.extract.text import Prose

CONFIDENCE = {"vocabulary": 0.95, "vocabulary:context": 0.8, "front-matter": 0.9, "gazetteer": 0.85,
              "gazetteer:event-name": 0.8, "gazetteer:edition-venue": 0.8,
              "gazetteer:country": 0.9, "edition:explicit": 0.95, "edition:this-year": 0.8,
              "edition:title": 0.7, "edition:discourse": 0.7, "edition:tense": 0.65, "edition:venue": 0.8, "edition:first": 0.85}


class Spans:
    """Which characters of a text some accepted mention already covers (constant-time checks)."""

    def __init__(self, length: int) -> None:
        self._taken = bytearray(length + 1)

    def add(self, start: int, end: int) -> None:
        self._taken[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return self._taken.find(1, start, end) != -1


@dataclass(frozen=True)
class Mention:
    """A span of the source file that refers to an entity."""

    iri: str
    kind: str
    start: int
    end: int
    confidence: float
    method: str
    block: str = "paragraph"
    sentence: tuple[int, int] | None = None


@dataclass
class NewEntity:
    """An entity the vocabulary does not define (edition, place, unknown name): defined in the post's graph."""

    iri: str
    kind: str
    types: tuple[str, ...]
    names: dict[str, str] = field(default_factory=dict)
    series: str | None = None  # editions: their series
    year: int | None = None
    place: Place | None = None
    repository: str | None = None
    aliases: set[tuple[str, str]] = field(default_factory=set)  # (label, language), e.g. an acronym
    confidence: float = 0.9
    method: str = "vocabulary"


@dataclass
class Extraction:
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, NewEntity] = field(default_factory=dict)
    about: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # iri -> kind of every entity referenced
    tag_links: list[tuple[str, str, str]] = field(default_factory=list)  # (taxonomy, term, entity iri)
    prose: Prose | None = None

    def referenced(self) -> list[str]:
        return list(dict.fromkeys(m.iri for m in self.mentions))
