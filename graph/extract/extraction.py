"""How sure extraction is of each method (`CONFIDENCE`) and which characters of a text mentions
already cover (`Spans`); what extraction yields (`Extraction`, `Mention`, `NewEntity`) is in
graph.model."""

from __future__ import annotations

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


