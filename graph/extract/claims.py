"""A relation a post asserts (`Claim`), the predicates the relation finder states, and the span of
evidence of a mention (its sentence)."""

from __future__ import annotations

from dataclasses import dataclass

from graph.extract.extraction import Mention
from graph.extract.text import Prose
from graph.namespaces import PG, SCHEMA, SEO

COLOCATED = str(SEO.colocatedWith)
LOCATION = str(SCHEMA.location)
ORGANIZER = str(SCHEMA.organizer)
START, END = str(SCHEMA.startDate), str(SCHEMA.endDate)
THEME, FEATURES = str(PG.theme), str(PG.features)


@dataclass(frozen=True)
class Claim:
    """One relation a post asserts, with the span of the source file that supports it."""

    subject: str
    predicate: str
    object: str  # an IRI, or an ISO date for startDate/endDate
    start: int
    end: int
    confidence: float
    method: str
    literal: bool = False


def sentence_of(doc: Prose, m: Mention) -> tuple[int, int]:
    """The span of the sentence of `m` (else its block, else `m` itself)."""
    if m.sentence:
        return m.sentence
    block = doc.block_at(m.start)
    return (block.start, block.end) if block else (m.start, m.end)
