"""The predicates the relation finder states (its `Claim`s are graph.model's) and the span of
evidence of a mention (its sentence)."""

from __future__ import annotations

from graph.extract.text import Prose
from graph.model import Mention
from graph.namespaces import PG, SCHEMA, SEO

COLOCATED = str(SEO.colocatedWith)
LOCATION = str(SCHEMA.location)
ORGANIZER = str(SCHEMA.organizer)
START, END = str(SCHEMA.startDate), str(SCHEMA.endDate)
THEME, FEATURES = str(PG.theme), str(PG.features)


def sentence_of(doc: Prose, m: Mention) -> tuple[int, int]:
    """The span of the sentence of `m` (else its block, else `m` itself)."""
    if m.sentence:
        return m.sentence
    block = doc.block_at(m.start)
    return (block.start, block.end) if block else (m.start, m.end)
