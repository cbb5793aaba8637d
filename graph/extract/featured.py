"""What an event was about: the themes a post announces or lists (graph.extract.themes) and the
projects it featured, where a sentence of a post about the event says the event showed them (a
talk, a session, a demo, a keynote on it)."""

from __future__ import annotations

import re

from graph.extract.claims import FEATURES, THEME
from graph.extract.editions import Editions
from graph.extract.positions import ByStart
from graph.extract.text import Prose
from graph.extract.themes import ANNOUNCED, LISTED, announced_sections, listed_topics
from graph.model import Claim, Extraction, Mention

# A sentence that says an event showed a project (not merely that the project exists or was discussed)
_FEATURING = re.compile(
    r"^\W*\d{1,2}:\d\d\b|"  # a programme line: "14:00 Flux's Top 10 Features with …"
    r"\b(?:featur(?:ed|ing)|showcas\w*|updates? on|demo(?:s|ed|nstrat\w*)?|keynotes?|"
    r"(?:talks?|sessions?|presentations?|workshops?|tracks?|panels?)\s+(?:on|about|covered|featured|showed|"
    r"presented|highlighted)|"
    r"presentad[oa]s?|present[óo]|demostr\w*|(?:charlas?|sesi[oó]n(?:es)?|talleres?|ponencias?)\s+(?:sobre|de)|"
    r"apresentad[oa]s?|apresentou|demonstr\w*|(?:palestras?|sess(?:ão|ões)|oficinas?)\s+(?:sobre|de))\b", re.I)
# a sentence that proposes or supposes rather than reports ("We can do … lightning talks on Flux +
# Helm … Whatever people want", "if you would like a demo of …"): the event showed nothing yet
_SUPPOSED = re.compile(r"\b(?:we can|we could|could|would|might|whatever|if you|podr[íi]amos|podemos|"
                       r"poder[íi]amos|se quiser|si quieres)\b", re.I)


class Featured:
    """The theme and featured-project claims of one post."""

    def __init__(self, editions: Editions) -> None:
        self.editions = editions

    def find(self, doc: Prose, ext: Extraction, events: ByStart[Mention], main: list[str]) -> list[Claim]:
        """Themes only where the post announces them (see graph/extract/themes.py); a project is
        featured when a sentence of that post says the event showed it (a talk, a session, a demo,
        a keynote on it)."""
        if not main:
            return []
        first_heading = doc.blocks[doc.headings[0]].start if doc.headings else len(doc.text)
        intro = [m.iri for m in events if m.start < first_heading and m.iri in main]
        event = intro[-1] if intro else main[0]
        claims: list[Claim] = []
        topics = [m for m in ext.mentions if m.kind == "topic"]
        for theme, start, end in announced_sections(doc, topics):
            claims.append(Claim(event, THEME, theme, start, end, 0.8, ANNOUNCED))
        others = [m for m in events if m.iri != event and m.iri not in main
                  and self.editions.series_of(event, ext) != m.iri]
        for theme, start, end in listed_topics(doc, topics, others):
            claims.append(Claim(event, THEME, theme, start, end, 0.75, LISTED))
        projects = [m for m in ext.mentions if m.kind == "project" and m.block != "front-matter"]
        featuring: dict[int, bool] = {}  # sentence start -> whether it says the event showed a project
        for m in projects:
            sentence = doc.sentence_at(m.start)
            if sentence is None:
                continue
            if sentence.start not in featuring:
                said = doc.masked[sentence.start:sentence.end]
                featuring[sentence.start] = bool(_FEATURING.search(said)) and not _SUPPOSED.search(said)
            if not featuring[sentence.start]:
                continue
            named = {e.iri for e in events.within(sentence.start, sentence.end)}
            if event not in named and (len(main) > 1 or named - {self.editions.series_of(event, ext)}):
                # a post about several events, or a line of another event's programme ("11:40
                # Prometheus Days: …"): only a sentence that names the event decides
                continue
            claims.append(Claim(event, FEATURES, m.iri, sentence.start, sentence.end, 0.7, "pattern:featured-project"))
        return claims
