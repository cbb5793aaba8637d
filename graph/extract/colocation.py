"""Co-location: events held together. A sentence with a cue in en/es/pt ("co-located with",
"alongside", "junto a", "ao lado de"; a pronoun resolved within the paragraph), an event held at
another ("Linkerd Day at KubeCon London"), a "Co-located events" section of a post about an event,
a schedule heading giving a day of its week to another event, a link whose path says co-located.
Co-location is a fact about two editions: a series is taken as its edition of the other's year."""

from __future__ import annotations

import itertools
import re

from graph.extract.claims import COLOCATED
from graph.extract.cues import COLOCATED_HEADING, SCHEDULE_DAY
from graph.extract.editions import Editions
from graph.extract.positions import ByStart
from graph.extract.scan import finditer_bracketed
from graph.extract.text import Block, Prose
from graph.extract.vocabulary import Entry, Vocabulary
from graph.ids import slugify
from graph.model import Claim, Extraction, Mention

_COLOCATION = re.compile(
    r"co-?locat\w*|colocalizad\w*|co-?localiz\w*|alongside|held together with|together with|joining forces|"
    r"in conjunction with|side by side with|junto (?:a|al|con|com|ao|à)\b|en el marco de|no âmbito d[aoe]|"
    r"al lado de|ao lado d[aoe]|lado a lado|paralel[oa] a", re.I)
# "Linkerd Day at KubeCon", "my Linkerd Day talk at KubeCon London" (links masked: "](   )")
_EVENT_AT = re.compile(r"(?:\s+(?:talk|talks|keynote|session|sessions|panel|presentation))?\]?(?:\([ \t]*\))?"
                       r"\s+(?:at|en|em|@)\s+\[?", re.I)
_COLOCATED_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]*co-?located[^)\s]*)\)")

#: a day of the main event's week given to another event: (that event, the heading, the heading's match)
ScheduleDay = tuple[str, Block, re.Match[str]]


class Colocation:
    """The co-location claims of one post."""

    def __init__(self, editions: Editions, vocabulary: Vocabulary) -> None:
        self.editions = editions
        self.vocabulary = vocabulary
        self._slugs: dict[str, Entry] | None = None  # slug of an event series' label -> the series

    def find(self, doc: Prose, ext: Extraction, events: ByStart[Mention], main: list[str]
             ) -> tuple[list[Claim], list[ScheduleDay]]:
        """Events held together: a sentence saying so ("co-located with", "junto a", "alongside
        it"), one held at another ("Linkerd Day at KubeCon"), a "Co-located events" section, a day
        of the main event's week given to another event, a link whose path says co-located. With
        the schedule days found (each other event's day, for its date)."""
        claims: list[Claim] = []
        day_dates: list[ScheduleDay] = []
        for sentence in doc.sentences:
            text = doc.masked[sentence.start:sentence.end]
            cue = _COLOCATION.search(text)
            if not cue:
                claims += self._event_at_event(doc, ext, events, sentence)
                continue
            here = events.within(sentence.start, sentence.end)
            pairs: list[tuple[str, str]] = []
            distinct = list(dict.fromkeys(m.iri for m in here))
            cue_at = sentence.start + cue.start()
            before = [m for m in here if m.start < cue_at]
            if len(distinct) >= 2 and before:
                after = [m for m in here if m.start >= cue_at and m.iri != before[-1].iri]
                partners = after or [m for m in here if m.iri != before[-1].iri]
                pairs += [(before[-1].iri, p.iri) for p in partners[:1]]
            elif distinct:
                # "the 2-day co-located event, GitOpsCon-CDCon": the cue comes first, so the
                # events after it were co-located with the one the paragraph is about, not with
                # each other
                others = [iri for iri in distinct[1:] if self.editions.is_edition(iri, ext)]
                distinct = distinct[:1]
                antecedent = self._antecedent(doc, events, sentence.start, distinct[0]) or next(
                    (iri for iri in main if iri != distinct[0]), None) or (
                    # "… at the co-located event, GitOpsCon, as well as at the core conference, Open
                    # Source Summit NA 2023": the one edition the sentence names besides it
                    others[0] if len(others) == 1 else None)
                if antecedent:
                    pairs.append((distinct[0], antecedent))
            for a, b in pairs:
                a, b = self.editions.edition_like(a, b, ext), self.editions.edition_like(b, a, ext)
                # co-location is a fact about two editions; between series it says too much
                if a != b and self.editions.is_edition(a, ext) and self.editions.is_edition(b, ext):
                    claims.append(Claim(a, COLOCATED, b, sentence.start, sentence.end, 0.85, "pattern:co-located"))
        # a "Co-located events" section lists events held with the post's main event
        by_section: dict[int, list[Mention]] | None = None
        for index in doc.headings:
            heading = doc.blocks[index]
            if not main or not COLOCATED_HEADING.search(doc.masked[heading.start:heading.end]):
                continue
            if by_section is None:  # each event's section, found once
                by_section = {}
                for m in events:
                    if (block := doc.block_at(m.start)) is not None:
                        by_section.setdefault(block.section, []).append(m)
            for m in by_section.get(heading.section, ()):
                if m.iri not in main:
                    other = self.editions.edition_like(m.iri, main[0], ext)
                    if not self.editions.is_edition(other, ext):
                        continue
                    claims.append(Claim(main[0], COLOCATED, other, m.start, m.end, 0.8, "pattern:co-located-section"))
        # a day of the main event's week given to another event: "## Tuesday - GitOpsCon",
        # "## Tuesday, October 25 (GitOpsCon)" in a post about KubeCon: held with it, on that day
        if len(main) == 1:
            for index in doc.headings:
                heading = doc.blocks[index]
                text = doc.masked[heading.start:heading.end]
                day = SCHEDULE_DAY.match(text.strip())
                if not day:
                    continue
                named = [m for m in events.within(heading.start, heading.end) if m.iri != main[0]]
                if len(named) != 1:
                    continue
                other = self.editions.edition_like(named[0].iri, main[0], ext)
                if self.editions.is_edition(other, ext) and other != main[0]:
                    claims.append(Claim(other, COLOCATED, main[0], heading.start, heading.end, 0.7,
                                        "pattern:day-of-main-event"))
                    day_dates.append((other, heading, day))
        # links whose path says co-located
        for link in finditer_bracketed(_COLOCATED_LINK, doc.text, "["):
            host = self._series_in_path(link.group(2))
            for m in events.within(link.start(1), link.end(1)):
                if host is not None and link.start(1) <= m.start < link.end(1) and self.editions.is_edition(m.iri, ext):
                    # ".../kubecon-cloudnativecon-europe/co-located-events/fluxcon/": the path names the host
                    other = self.editions.edition_like(host.iri, m.iri, ext)
                    if other != host.iri and other != m.iri:
                        claims.append(Claim(m.iri, COLOCATED, other, link.start(), link.end(), 0.75,
                                            "pattern:co-located-link"))
                        continue
                if link.start(1) <= m.start < link.end(1) and main and m.iri not in main:
                    other = self.editions.edition_like(m.iri, main[0], ext)
                    if not self.editions.is_edition(other, ext):
                        continue
                    claims.append(Claim(main[0], COLOCATED, other, link.start(), link.end(), 0.75,
                                        "pattern:co-located-link"))
        return claims, day_dates

    def _event_at_event(self, doc: Prose, ext: Extraction, events: ByStart[Mention], sentence) -> list[Claim]:
        """"Linkerd Day at KubeCon London", "Cloud Native Rust Day at KubeCon EU 2021": an event
        held at another event is held with it."""
        here = events.within(sentence.start, sentence.end)
        out = []
        for a, b in itertools.pairwise(here):
            between = doc.masked[a.end:b.start]
            if not _EVENT_AT.fullmatch(between) or a.iri == b.iri:
                continue
            host = b.iri if self.editions.is_edition(b.iri, ext) else None
            if host is None:
                continue
            guest = self.editions.edition_like(a.iri, host, ext)
            if self.editions.is_edition(guest, ext) and guest != host:
                out.append(Claim(guest, COLOCATED, host, sentence.start, sentence.end, 0.75, "pattern:event-at-event"))
        return out

    def _series_in_path(self, url: str) -> Entry | None:
        """The event series a URL path segment before "co-located…" is the slug of."""
        path = url.split("://", 1)[-1].split("/")
        index = next((i for i, part in enumerate(path) if re.match(r"(?:cncf-hosted-)?co-?located", part)), None)
        if not index:
            return None
        segment = path[index - 1].lower()
        if self._slugs is None:
            self._slugs = {}
            for entry in self.vocabulary.entries.values():
                if entry.kind == "event" and entry.is_series:
                    for label, _ in entry.labels:
                        self._slugs.setdefault(slugify(label), entry)
        return self._slugs.get(segment)

    @staticmethod
    def _antecedent(doc: Prose, events: ByStart[Mention], offset: int, other_than: str) -> str | None:
        """The event the paragraph named last before `offset` (for "alongside it", "junto a él")."""
        block = doc.block_at(offset)
        if block is None:
            return None
        earlier = [m for m in events.within(block.start, offset) if m.iri != other_than]
        return earlier[-1].iri if earlier else None
