"""Where an edition takes place: a place the text puts it in ("KCD Colombia 2025 took place in
Bogotá", a place in the post's title, "This super-event in Bogotá"), the city written in the
edition's name ("KubeCon London"), its venue or host university ("Venue: CUCEA"); the most specific
place per event (a city rather than its country); co-located events share theirs."""

from __future__ import annotations

import collections
import re

from graph.extract.claims import COLOCATED, LOCATION, START, sentence_of
from graph.extract.cues import EVENT_ANAPHOR
from graph.extract.positions import ByStart
from graph.extract.text import Prose
from graph.extract.vocabulary import Vocabulary
from graph.model import Claim, Extraction, Mention

_CITY_HOSTS = re.compile(r"\s+(?:to host|hosts|will host|is hosting|es sede|será sede|é sede|será a sede|sedia)\b", re.I)
_AT_PLACE = re.compile(r"\b(in|en|em|at|no|na|hosted in|held in|celebrad[oa] en|realizad[oa] em)\s*$", re.I)

#: a place in a sentence that names no event, and that sentence: the main event's, if it dates it
Unplaced = tuple[Mention, int, int]


class Locations:
    """The location claims of one post."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary

    def find(self, doc: Prose, ext: Extraction, editions: ByStart[Mention], places: ByStart[Mention],
             main: list[str], events: ByStart[Mention]) -> tuple[list[Claim], list[Unplaced]]:
        """Where editions take place: a place after "in", "en", "at" in a sentence naming the
        edition (or in the title), the city of an edition in its name, the venue or host
        university. With the places of sentences that name no event (`place_of_dated_main_event`)."""
        claims: list[Claim] = []
        unplaced: list[Unplaced] = []
        ending: dict[int, list[Mention]] = {}  # places by where they end
        for p in places:
            ending.setdefault(p.end, []).append(p)
        for place in places:
            start, end = sentence_of(doc, place)
            before = doc.masked[max(start, place.start - 24):place.start]
            in_title = place.block == "title"
            after_place = re.search(r",\s*$", before) and any(  # "Guadalajara, Mexico": the city's country
                self._contains(place.iri, p.iri, ext) for gap in (1, 2, 3) for p in ending.get(place.start - gap, ()))
            contextual = bool(_AT_PLACE.search(before)) or in_title or bool(after_place)
            if not contextual or place.method == "gazetteer:event-name" or "/place/region/" in place.iri:
                continue  # a world region ("in North America") names where a series runs, not a venue
            here = editions.within(start, end)
            subjects = list(dict.fromkeys(m.iri for m in here)) or ([*main] if in_title else [])
            if not subjects and len(main) == 1 and not events.any_within(start, end):
                city = place.iri in ext.entities and ext.entities[place.iri].place is not None and \
                    ext.entities[place.iri].place.kind not in ("Country", "Continent", "AdministrativeArea", "State")
                if (city and EVENT_ANAPHOR.search(doc.masked[max(start, place.start - 48):place.start])) or (
                        place.block == "title" and _CITY_HOSTS.match(doc.masked, place.end)):
                    # "This super-event in Bogotá", "KCD Colombia 2025: Bogotá to Host …" (a title)
                    claims.append(Claim(main[0], LOCATION, place.iri, start, end, 0.7, "pattern:this-event-in-place"))
                    continue
                unplaced.append((place, start, end))  # placed if the sentence dates the main event
            for subject in subjects:
                claims.append(Claim(subject, LOCATION, place.iri, start, end, 0.8 if here else 0.7,
                                    "pattern:event-in-place" if here else "pattern:title-place"))
        # "KubeCon London", "KubeCon Atlanta 2025": the vocabulary's city of the edition, written in its name
        for place in places:
            if place.method != "gazetteer:edition-venue":
                continue
            edition = next((m for m in reversed(editions) if m.start <= place.start and place.start - m.end <= 40),
                           None)
            if edition is not None:
                start, end = sentence_of(doc, edition)
                claims.append(Claim(edition.iri, LOCATION, place.iri, start, end, 0.75, "pattern:edition-venue"))
        # "Venue: CUCEA", "hosted by Indiana University": the host institution is where it happens
        for m in ext.mentions:
            if m.kind not in ("organization", "place") or m.block == "front-matter" or not main or (
                    m.kind == "place" and m.method != "pattern:venue"):
                continue
            before = doc.masked[max(0, m.start - 40):m.start]
            venue = re.search(r"(?im)^[ \t]*(?:venue|sede|local|lugar)\s*:\s*$", before)
            university = re.search(r"hosted (?:at|by)\s*(?:the\s*)?$|sede (?:en|em)\s*(?:la\s*|a\s*)?$", before, re.I) \
                and self._is_university(m.iri, ext)
            if venue or university:
                start, end = sentence_of(doc, m)
                # the post's own event: the edition its title names, else the first it is about
                titled = [e.iri for e in editions if e.block == "title" and e.iri in main]
                claims.append(Claim((titled or main)[0], LOCATION, m.iri, start, end, 0.7, "pattern:venue"))
        return self._most_specific(claims, ext), unplaced

    def place_of_dated_main_event(self, claims: list[Claim], main: list[str], ext: Extraction,
                                  unplaced: list[Unplaced]) -> list[Claim]:
        """"Join us on September 11 - 12 in Amsterdam for our first European Helm Summit": a sentence
        naming no other event that gives the main event's dates places it too."""
        dated = [c for c in claims if c.predicate == START and c.method == "pattern:date-of-main-event"]
        found = [Claim(main[0], LOCATION, place.iri, start, end, 0.7, "pattern:place-of-main-event")
                 for place, start, end in unplaced if any(start <= c.start < end for c in dated)]
        return self._most_specific(found, ext)

    def _most_specific(self, claims: list[Claim], ext: Extraction) -> list[Claim]:
        # keep the most specific place per event: a city rather than its country
        by_subject: dict[str, list[Claim]] = {}
        for c in claims:
            by_subject.setdefault(c.subject, []).append(c)
        kept: list[Claim] = []
        for subject_claims in by_subject.values():
            # a claim goes when another claim's place lies in its place; counted, not compared pairwise
            # (a post placing its event in the same city in every sentence made thousands of claims)
            inside: collections.Counter[str] = collections.Counter()
            for o in subject_claims:
                inside.update(self._outer_places(o.object, ext))
            kept += [c for c in subject_claims
                     if inside[c.object] - (c.object in self._outer_places(c.object, ext)) == 0]
        return kept

    def _is_university(self, iri: str, ext: Extraction) -> bool:
        entry = self.vocabulary.entries.get(iri)
        types = entry.types if entry is not None else frozenset(ext.entities[iri].types) if iri in ext.entities else ()
        name = " ".join(entry.names.values()) if entry is not None else " ".join(
            ext.entities[iri].names.values()) if iri in ext.entities else ""
        return any(t.endswith(("CollegeOrUniversity", "EducationalOrganization")) for t in types) or bool(
            re.search(r"universi|college|instituto|institute|facultad|faculdade", name, re.I))

    def _contains(self, outer: str, inner: str, ext: Extraction) -> bool:
        return outer in self._outer_places(inner, ext)

    @staticmethod
    def _outer_places(inner: str, ext: Extraction) -> set[str]:
        """The places (IRIs) a place lies in: its state or province, its country."""
        entity = ext.entities.get(inner)
        place = entity.place if entity else None
        if place is None:
            return set()
        base = inner[: len(inner) - len(place.path)]
        return {base + p for p in (place.admin, place.country) if p}

    @staticmethod
    def shared(claims: list[Claim]) -> list[Claim]:
        """Co-located events share the place, unless the text gives one of them its own."""
        located: dict[str, Claim] = {}
        for c in claims:  # share the city, not a venue: co-located events may be in different buildings
            if c.predicate == LOCATION and (c.subject not in located or located[c.subject].method == "pattern:venue"):
                located[c.subject] = c
        shared = []
        for c in claims:
            if c.predicate != COLOCATED or c.method not in ("pattern:co-located", "pattern:event-at-event"):
                continue  # a sentence says they were held together; a schedule heading or a link says less
            for a, b in ((c.subject, c.object), (c.object, c.subject)):
                if a in located and b not in located:
                    where = located[a]
                    shared.append(Claim(b, LOCATION, where.object, c.start, c.end, 0.7, "co-location:shared-place"))
        return shared
