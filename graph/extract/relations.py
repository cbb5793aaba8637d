"""Relations between the entities of a post, each with the sentence that supports it.

Built on an `Extraction` (graph.extract): co-location of events (en/es/pt cues, pronouns resolved
within the paragraph, "Co-located events" sections and links), where an edition takes place, when
(dates written out in the three languages, the year taken from the post when the text omits it),
who organises it, and which themes and projects it featured (section headings of a post that
reports on an event). Every relation is a `Claim` with a span of the source file, a method and a
confidence; graph.mentions writes them as `pg:Claim`s next to the statements themselves.
"""

from __future__ import annotations

import bisect
import collections
import datetime as dt
import itertools
import math
import re
from dataclasses import dataclass

from graph.extract.extraction import Extraction, Mention
from graph.extract.extractor import Extractor
from graph.extract.positions import ByStart
from graph.extract.scan import finditer_bracketed
from graph.extract.text import Block, Prose
from graph.extract.themes import ANNOUNCED, LISTED, announced_sections, listed_topics
from graph.extract.vocabulary import Entry
from graph.ids import slugify
from graph.namespaces import PG, SCHEMA, SEO
from graph.read.post import Page

COLOCATED = str(SEO.colocatedWith)
LOCATION = str(SCHEMA.location)
ORGANIZER = str(SCHEMA.organizer)
START, END = str(SCHEMA.startDate), str(SCHEMA.endDate)
THEME, FEATURES = str(PG.theme), str(PG.features)

_COLOCATION = re.compile(
    r"co-?locat\w*|colocalizad\w*|co-?localiz\w*|alongside|held together with|together with|joining forces|"
    r"in conjunction with|side by side with|junto (?:a|al|con|com|ao|à)\b|en el marco de|no âmbito d[aoe]|"
    r"al lado de|ao lado d[aoe]|lado a lado|paralel[oa] a", re.I)
_PRONOUN_AFTER = re.compile(r"^\W{0,3}(it|them|él|ella|ello|ele|ela|dele|dela)\b", re.I)
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
# a time of day right after a date: a session or a meeting ("June 24 at 9 a.m. PT", "12 de marzo, 10:00")
_TIME_OF_DAY = re.compile(r"\W{0,3}(?:at|a las|às|as|from|de)?\s*\d{1,2}(?::\d\d)?\s*(?:a\.?\s?m\.?|p\.?\s?m\.?|h\b)|"
                          r"\W{0,3}(?:at|a las|às)?\s*\d{1,2}:\d\d", re.I)
# "Linkerd Day at KubeCon", "my Linkerd Day talk at KubeCon London" (links masked: "](   )")
_EVENT_AT = re.compile(r"(?:\s+(?:talk|talks|keynote|session|sessions|panel|presentation))?\]?(?:\([ \t]*\))?"
                       r"\s+(?:at|en|em|@)\s+\[?", re.I)
# what a date in a post may be about other than the event itself
_NOT_THE_EVENTS_DATE = re.compile(
    r"\b(?:registration|register|tickets?|early[- ]bird|call for (?:papers|proposals|speakers|sponsors)|CFPs?|"
    r"deadline|submissions?|submit|nominations?|sponsors?hip|inscripci[oó]n|inscripciones|registro|boletos|"
    r"entradas|convocatoria|fecha l[ií]mite|propuestas|inscri[çc][ãa]o|inscri[çc][õo]es|ingressos|chamada|"
    r"prazo|submiss[ãa]o|patrocin\w*|founded|established|fundad[oa]|cread[oa]|criad[oa])\b", re.I)
#: the nouns of en/es/pt that name an event ("its event", "the conference", "este evento")
_EVENT_NOUNS = ("event|events|evento|eventos|conference|conferences|conferencia|conferencias|conferência|"
                "conferências|summit|cumbre|encuentro|encontro")
# "this event", "the conference", "this \"super-event\"", "este evento", "a conferência": the post's event
_EVENT_ANAPHOR = re.compile(
    r"\b(?:this|the|our|este|esta|el|la|nuestro|nuestra|o|a|nosso|nossa|esse|essa)\s+[\"'“”]?(?:s[uú]per-?)?"
    rf"(?:{_EVENT_NOUNS}|meetup|gathering|edition|edición|edição)[\"'“”]?\s", re.I)
_CITY_HOSTS = re.compile(r"\s+(?:to host|hosts|will host|is hosting|es sede|será sede|é sede|será a sede|sedia)\b", re.I)
_YEAR_IN = re.compile(r"\b(?:19|20)\d{2}\b")
_WEEKDAYS = (r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|lunes|martes|miércoles|jueves|viernes|"
             r"sábado|domingo|segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira)")
# "Tuesday - GitOpsCon", "Tuesday 17 May - GitOpsCon", "Tuesday, October 25 (GitOpsCon)", "Day 0: Linkerd Day"
_SCHEDULE_DAY = re.compile(rf"^(?:{_WEEKDAYS}|Day\s+\d)\b[ \t,]*(?P<date>[^-–—:(\[]{{0,24}}?)[ \t]*[-–—:(\[]", re.I)
_COLOCATED_HEADING = re.compile(r"co-?locat|colocaliz|co-?localiz", re.I)
_ORGANIZED_BY = re.compile(
    r"\b(?:organi[sz]ed|hosted|run|put on|convened) by\b|\borganizad[oa] por\b|"
    r"\borganizad[oa] pel[oa]\b|\bpromovid[oa] por\b|\bpromovid[oa] pel[oa]\b|\bauspiciad[oa] por\b", re.I)
_ORG_HOSTS = re.compile(
    r"\)?\s+(?:is|are|will be|has been|was|were|está|estará|estão|está a)?\s*(?:hosting|organi[sz]ing|"
    r"organi[sz]es|hosts|organi[sz]ed|hosted|runs|running|organiza|organizará|organizó|organizou|"
    r"organizando|realiza|realizará|realizó|realizou)\s+(?:the\s+|el\s+|la\s+|o\s+|a\s+|os\s+|as\s+)?",
    re.I)
_POSSESSIVE = re.compile(r"\b(its|their|su|sus|seu|sua|seus|suas)\b", re.I)
# "its event X", "su evento X", "seu evento X": an event noun may stand between the possessive and the name
_EVENT_NOUN = re.compile(rf"\W{{0,4}}(?:own\s+|propi[oa]s?\s+|própri[oa]s?\s+)?(?:{_EVENT_NOUNS})\b", re.I)
_EVENT_WORD = re.compile(rf"\b(?:{_EVENT_NOUNS}|meetup|day|días?|dia|edition|edición|edição|it|este|esta|this)\b",
                         re.I)
_AT_PLACE = re.compile(r"\b(in|en|em|at|no|na|hosted in|held in|celebrad[oa] en|realizad[oa] em)\s*$", re.I)
_GENERIC_HEADINGS = re.compile(
    r"^(abstract|introduc|conclusi|conclus|summary|resumen|resumo|what|qué|que|o que|why|por qu|agenda|venue|sede|"
    r"local|lugar|sponsor|patrocin|speaker|ponente|palestrante|registr|inscri|save the date|reserv|"
    r"tickets|boletos|ingressos|about|acerca|sobre|contact|contacto|contato|faq|questions|preguntas|"
    r"perguntas|presentations|presentaciones|apresenta|references|referencias|referências|resources|"
    r"recursos|next steps|próximos pasos|próximos passos|thank|gracias|agradec|obrigad|gratitude|join|"
    r"únete|junte|how to|cómo|como|get involved|involúcrate|participe|the takeaway|final thoughts|getting started|"
    r"primeros pasos|começando|primeiros passos|the challenge|el desafío|o desafio|conclusion|final words|"
    r"pre-?requisites|requisitos|installation|instalación|instalação)", re.I)

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "novembro": 11, "dezembro": 12,
}
_M = "(?P<m>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_M2 = "(?P<m2>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_D1, _D2 = r"(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?", r"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?:,?\s*(?:de\s+|del\s+)?(?P<y>(?:19|20)\d{2}))?"
_SEP = r"\s*(?:-|–|—|to|through|until|and|&|,|y|e|al|a|ao|hasta|até)\s*"
_DATE_PATTERNS = [
    # November 12 - 15, 2024 · February 23, 24 2024 · October 15-16 · March 6–9, 2025
    re.compile(rf"\b{_M}\s+{_D1}(?:{_SEP}(?:{_M2}\s+)?{_D2})?(?!\d){_Y}", re.I),
    # 29 de marzo de 2025 · del 12 al 15 de noviembre · 23 e 24 de fevereiro de 2024 · 15-16 October 2024
    re.compile(rf"\b(?:del\s+|de\s+|entre\s+)?{_D1}(?:{_SEP}{_D2})?\s+(?:de\s+)?{_M}{_Y}", re.I),
]


_COLOCATED_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]*co-?located[^)\s]*)\)")


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


def _sentence_of(doc: Prose, m: Mention) -> tuple[int, int]:
    if m.sentence:
        return m.sentence
    block = doc.block_at(m.start)
    return (block.start, block.end) if block else (m.start, m.end)


class RelationFinder:
    """Finds the claims of one post; uses the extractor for the vocabulary and minted entities."""

    def __init__(self, extractor: Extractor) -> None:
        self.x = extractor
        self.editions = extractor.editions
        self._slugs: dict[str, Entry] | None = None  # slug of an event series' label -> the series

    def find(self, page: Page, ext: Extraction) -> list[Claim]:
        doc = ext.prose
        if doc is None:
            return []
        claims: list[Claim] = []
        # by where they start: what a sentence names is found by bisection, not by walking them all
        events = ByStart(m for m in ext.mentions if m.kind == "event" and m.block != "front-matter")
        editions = ByStart(m for m in events if self._is_edition(m.iri, ext))
        places = ByStart(m for m in ext.mentions if m.kind == "place")
        orgs = ByStart(m for m in ext.mentions if m.kind == "organization" and m.block != "front-matter")
        year = page.date.year if page.date is not None else None
        main = [iri for iri in ext.about if self._is_edition(iri, ext)]
        claims += self._colocation(doc, ext, events, main, year)
        claims += self._locations(doc, ext, editions, places, main, events)
        claims += self._shared_locations(claims)
        claims += self._dates(doc, ext, editions, main, year, page)
        claims += self._dates_of_days(ext, year, page)
        if not any(c.predicate == LOCATION and c.subject in main for c in claims):
            claims += self._place_of_dated_main_event(claims, main, ext)
        claims += self._organizers(doc, ext, events, orgs, main)
        claims += self._themes(doc, ext, events, main, page)
        # an event is not co-located with itself, nor with another edition of its own series
        claims = [c for c in claims if c.predicate != COLOCATED or (
            c.subject != c.object and {c.subject, self.editions.series_of(c.subject, ext)}.isdisjoint(
                {c.object, self.editions.series_of(c.object, ext)}))]
        unique: dict[tuple[str, str, str], Claim] = {}
        for c in claims:
            key = (c.subject, c.predicate, c.object)
            if key not in unique or c.confidence > unique[key].confidence:
                unique[key] = c
        return list(unique.values())

    # -- helpers ----------------------------------------------------------------------------------
    def _is_edition(self, iri: str, ext: Extraction) -> bool:
        return self.editions.is_edition(iri, ext)

    def _edition_like(self, iri: str, other: str, ext: Extraction) -> str:
        return self.editions.edition_like(iri, other, ext)

    # -- co-location ------------------------------------------------------------------------------
    def _colocation(self, doc: Prose, ext: Extraction, events: ByStart[Mention], main: list[str],
                    year: int | None) -> list[Claim]:
        claims: list[Claim] = []
        self._day_dates: list[tuple[str, Block, re.Match[str]]] = []
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
                others = [iri for iri in distinct[1:] if self._is_edition(iri, ext)]
                distinct = distinct[:1]
                antecedent = self._antecedent(doc, events, sentence.start, distinct[0]) or next(
                    (iri for iri in main if iri != distinct[0]), None) or (
                    # "… at the co-located event, GitOpsCon, as well as at the core conference, Open
                    # Source Summit NA 2023": the one edition the sentence names besides it
                    others[0] if len(others) == 1 else None)
                if antecedent:
                    pairs.append((distinct[0], antecedent))
            for a, b in pairs:
                a, b = self._edition_like(a, b, ext), self._edition_like(b, a, ext)
                # co-location is a fact about two editions; between series it says too much
                if a != b and self._is_edition(a, ext) and self._is_edition(b, ext):
                    claims.append(Claim(a, COLOCATED, b, sentence.start, sentence.end, 0.85, "pattern:co-located"))
        # a "Co-located events" section lists events held with the post's main event
        by_section: dict[int, list[Mention]] | None = None
        for index in doc.headings:
            heading = doc.blocks[index]
            if not main or not _COLOCATED_HEADING.search(doc.masked[heading.start:heading.end]):
                continue
            if by_section is None:  # each event's section, found once
                by_section = {}
                for m in events:
                    if (block := doc.block_at(m.start)) is not None:
                        by_section.setdefault(block.section, []).append(m)
            for m in by_section.get(heading.section, ()):
                if m.iri not in main:
                    other = self._edition_like(m.iri, main[0], ext)
                    if not self._is_edition(other, ext):
                        continue
                    claims.append(Claim(main[0], COLOCATED, other, m.start, m.end, 0.8, "pattern:co-located-section"))
        # a day of the main event's week given to another event: "## Tuesday - GitOpsCon",
        # "## Tuesday, October 25 (GitOpsCon)" in a post about KubeCon: held with it, on that day
        if len(main) == 1:
            for index in doc.headings:
                heading = doc.blocks[index]
                text = doc.masked[heading.start:heading.end]
                day = _SCHEDULE_DAY.match(text.strip())
                if not day:
                    continue
                named = [m for m in events.within(heading.start, heading.end) if m.iri != main[0]]
                if len(named) != 1:
                    continue
                other = self._edition_like(named[0].iri, main[0], ext)
                if self._is_edition(other, ext) and other != main[0]:
                    claims.append(Claim(other, COLOCATED, main[0], heading.start, heading.end, 0.7,
                                        "pattern:day-of-main-event"))
                    self._day_dates.append((other, heading, day))
        # links whose path says co-located
        for link in finditer_bracketed(_COLOCATED_LINK, doc.text, "["):
            host = self._series_in_path(link.group(2))
            for m in events.within(link.start(1), link.end(1)):
                if host is not None and link.start(1) <= m.start < link.end(1) and self._is_edition(m.iri, ext):
                    # ".../kubecon-cloudnativecon-europe/co-located-events/fluxcon/": the path names the host
                    other = self._edition_like(host.iri, m.iri, ext)
                    if other != host.iri and other != m.iri:
                        claims.append(Claim(m.iri, COLOCATED, other, link.start(), link.end(), 0.75,
                                            "pattern:co-located-link"))
                        continue
                if link.start(1) <= m.start < link.end(1) and main and m.iri not in main:
                    other = self._edition_like(m.iri, main[0], ext)
                    if not self._is_edition(other, ext):
                        continue
                    claims.append(Claim(main[0], COLOCATED, other, link.start(), link.end(), 0.75,
                                        "pattern:co-located-link"))
        del year
        return claims

    def _event_at_event(self, doc: Prose, ext: Extraction, events: ByStart[Mention], sentence) -> list[Claim]:
        """"Linkerd Day at KubeCon London", "Cloud Native Rust Day at KubeCon EU 2021": an event
        held at another event is held with it."""
        here = events.within(sentence.start, sentence.end)
        out = []
        for a, b in itertools.pairwise(here):
            between = doc.masked[a.end:b.start]
            if not _EVENT_AT.fullmatch(between) or a.iri == b.iri:
                continue
            host = b.iri if self._is_edition(b.iri, ext) else None
            if host is None:
                continue
            guest = self._edition_like(a.iri, host, ext)
            if self._is_edition(guest, ext) and guest != host:
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
            for entry in self.x.vocabulary.entries.values():
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

    # -- places -----------------------------------------------------------------------------------
    def _locations(self, doc: Prose, ext: Extraction, editions: ByStart[Mention], places: ByStart[Mention],
                   main: list[str], events: ByStart[Mention]) -> list[Claim]:
        claims: list[Claim] = []
        self._unplaced: list[tuple[Mention, int, int]] = []
        ending: dict[int, list[Mention]] = {}  # places by where they end
        for p in places:
            ending.setdefault(p.end, []).append(p)
        for place in places:
            start, end = _sentence_of(doc, place)
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
                if (city and _EVENT_ANAPHOR.search(doc.masked[max(start, place.start - 48):place.start])) or (
                        place.block == "title" and _CITY_HOSTS.match(doc.masked, place.end)):
                    # "This super-event in Bogotá", "KCD Colombia 2025: Bogotá to Host …" (a title)
                    claims.append(Claim(main[0], LOCATION, place.iri, start, end, 0.7, "pattern:this-event-in-place"))
                    continue
                self._unplaced.append((place, start, end))  # placed if the sentence dates the main event
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
                start, end = _sentence_of(doc, edition)
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
                start, end = _sentence_of(doc, m)
                # the post's own event: the edition its title names, else the first it is about
                titled = [e.iri for e in editions if e.block == "title" and e.iri in main]
                claims.append(Claim((titled or main)[0], LOCATION, m.iri, start, end, 0.7, "pattern:venue"))
        return self._most_specific(claims, ext)

    def _place_of_dated_main_event(self, claims: list[Claim], main: list[str], ext: Extraction) -> list[Claim]:
        """"Join us on September 11 - 12 in Amsterdam for our first European Helm Summit": a sentence
        naming no other event that gives the main event's dates places it too."""
        dated = [c for c in claims if c.predicate == START and c.method == "pattern:date-of-main-event"]
        found = [Claim(main[0], LOCATION, place.iri, start, end, 0.7, "pattern:place-of-main-event")
                 for place, start, end in self._unplaced if any(start <= c.start < end for c in dated)]
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
        entry = self.x.entity(iri)
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
    def _shared_locations(claims: list[Claim]) -> list[Claim]:
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

    @staticmethod
    def _timeline_items(doc: Prose) -> set[int]:
        """Indexes of list items that start with a date, in a section with at least three of them (a
        list of key dates: registration opens, CFP closes, the event)."""
        dated: dict[int, list[int]] = {}
        for i, block in enumerate(doc.blocks):
            if block.kind != "item":
                continue
            head = doc.masked[block.start:block.start + 40].strip()
            if any(p.match(head) for p in _DATE_PATTERNS):
                dated.setdefault(block.section, []).append(i)
        return {i for items in dated.values() if len(items) >= 3 for i in items}

    def _dates_of_days(self, ext: Extraction, year: int | None, page: Page) -> list[Claim]:
        """"## Tuesday 17 May - GitOpsCon": the date of a schedule heading is that day's event's own."""
        out = []
        for subject, heading, day in self._day_dates:
            written = day.group("date").strip()
            if not written:
                continue
            for pattern in _DATE_PATTERNS:
                m = pattern.search(written)
                span = parse_dates(m, year, page.date) if m else None
                if span is None or span[0] != span[1] or not self._plausible_dates(subject, span[0], ext):
                    continue
                s = heading.start + day.start("date")
                out.append(Claim(subject, START, span[0].isoformat(), s, s + len(written), 0.7,
                                 "pattern:date-of-day", literal=True))
                break
        return out

    # -- dates ------------------------------------------------------------------------------------
    def _plausible_dates(self, subject: str, first: dt.date, ext: Extraction) -> bool:
        """A date belongs to an edition only if it falls in the edition's year and, when the
        vocabulary knows the edition's start, is that start: otherwise the clause dates something
        else (a call for papers, a meeting, a co-located day)."""
        edition_year = self.editions.year_of(subject, ext)
        if edition_year is not None and first.year != edition_year:
            return False
        entry = self.x.entity(subject)
        if entry is not None:
            known = [t.object.value for t in self.x.vocabulary.by_subject.get(subject, ()) if t.predicate.value == START]
            if known and first.isoformat() not in {k[:10] for k in known}:
                return False
        return True

    @staticmethod
    def _in_heading(doc: Prose, offset: int) -> bool:
        block = doc.block_at(offset)
        return block is not None and block.kind == "heading"

    def _dates(self, doc: Prose, ext: Extraction, editions: ByStart[Mention], main: list[str], year: int | None,
               page: Page) -> list[Claim]:
        claims: list[Claim] = []
        series = ByStart(m for m in ext.mentions if m.kind == "event" and not self._is_edition(m.iri, ext))
        longest = max((m.end - m.start for m in editions), default=0)
        timeline = self._timeline_items(doc)
        previous = None
        for sentence in doc.sentences:
            text = doc.masked[sentence.start:sentence.end]
            # a line that is only a date ("GitOps Days!\ June 8-9, 2022") goes with the sentence before it
            lo = previous.start if previous is not None and _only_a_date(text) and not \
                doc.masked[previous.end:sentence.start].strip(" \t\n*_[]()>\\") else sentence.start
            previous = sentence
            here = list(dict.fromkeys(m.iri for m in editions.within(lo, sentence.end)))
            if not here and sentence.block in timeline:
                continue  # "- August 16: CFP closes" in a list of key dates: each item dates its own milestone
            # "GitOps Days! June 8-9, 2022": a series named beside a date with its year is that year's edition
            series_here = list(dict.fromkeys(m.iri for m in series.within(lo, sentence.end)))
            subjects = here[:1] or (main[:1] if len(main) == 1 else [])
            if not here and not series_here and _EVENT_ANAPHOR.match(text.strip() + " "):
                # "The conference is from 6th-9th November in Chicago.": the edition just named before it
                before = [m for m in editions.within(sentence.start - 400 - longest, sentence.start)
                          if sentence.start - m.end <= 400]
                if before:
                    here = [before[-1].iri]
                    subjects = here
            if not subjects and len(series_here) != 1:
                continue
            dated = len(claims)  # the claims of this sentence start here
            for pattern in _DATE_PATTERNS:
                for m in pattern.finditer(text):
                    span = parse_dates(m, year, page.date)
                    if span is None:
                        continue
                    first, last = span
                    if not here and len(series_here) == 1 and _YEAR_IN.search(m.group()):
                        edition = self.editions.edition_in(ext, series_here[0], first.year)
                        if self._is_edition(edition, ext) and self._plausible_dates(edition, first, ext) and \
                                not _NOT_THE_EVENTS_DATE.search(text):
                            s, e = sentence.start + m.start(), sentence.start + m.end()
                            claims.append(Claim(edition, START, first.isoformat(), s, e, 0.7,
                                                "pattern:date-of-series-edition", literal=True))
                            if last != first:
                                claims.append(Claim(edition, END, last.isoformat(), s, e, 0.7,
                                                    "pattern:date-of-series-edition", literal=True))
                            continue
                    if not subjects:
                        continue
                    if not self._plausible_dates(subjects[0], first, ext):
                        continue
                    if not here and (_TIME_OF_DAY.match(text, m.end()) or self._in_heading(doc, sentence.start)):
                        continue  # "June 24 at 9 a.m.", "## Monday, December 10": a session's day, not the event's
                    line_start = text.rfind("\n", 0, m.start()) + 1
                    line_end = text.find("\n", m.end())
                    if not here and _NOT_THE_EVENTS_DATE.search(text[line_start:line_end if line_end >= 0 else None]):
                        continue  # "July 15: registration and the CFP open": the date of something else
                    if self._in_heading(doc, sentence.start) and _SCHEDULE_DAY.match(text.strip()):
                        continue  # "## Monday, October 24 (Flux Project Meeting at KubeCon)": a day of the programme
                    s, e = sentence.start + m.start(), sentence.start + m.end()
                    method = "pattern:date" if here else "pattern:date-of-main-event"
                    claims.append(Claim(subjects[0], START, first.isoformat(), s, e, 0.8, method, literal=True))
                    if last != first:
                        claims.append(Claim(subjects[0], END, last.isoformat(), s, e, 0.8, method, literal=True))
                if any(c.predicate == START for c in claims[dated:] if sentence.start <= c.start < sentence.end):
                    break
        # one start date per event: the first date of a sentence that names the event, else the first at all
        out, seen = [], set()
        for c in sorted(claims, key=lambda c: (c.method != "pattern:date", c.start)):
            if (c.subject, c.predicate) in seen:
                continue
            seen.add((c.subject, c.predicate))
            out.append(c)
        return out

    # -- organizers -------------------------------------------------------------------------------
    def _organizers(self, doc: Prose, ext: Extraction, events: ByStart[Mention], orgs: ByStart[Mention],
                    main: list[str]) -> list[Claim]:
        claims: list[Claim] = []
        named = ByStart(m for m in ext.mentions if m.kind in ("project", "organization"))
        for sentence in doc.sentences:
            here_events = events.within(sentence.start, sentence.end)
            here_orgs = orgs.within(sentence.start, sentence.end)
            if not here_orgs:
                continue
            text = doc.masked[sentence.start:sentence.end]
            for cue in _ORGANIZED_BY.finditer(text):
                at = sentence.start + cue.end()
                org = next((o for o in here_orgs if 0 <= o.start - at <= 6), None)
                if org is None or org.method == "pattern:organized-by":
                    continue  # a name known only because it follows "organized by" is too weak to state
                before = [m for m in here_events if m.start < at]
                subject = before[-1].iri if before else (main[0] if main and self._about_the_event(
                    doc, named, sentence.start, sentence.start + cue.start()) else None)
                if subject:
                    subject = self._edition_like(subject, main[0], ext) if main else subject
                    claims.append(Claim(subject, ORGANIZER, org.iri, sentence.start, sentence.end, 0.8,
                                        "pattern:organized-by"))
            # "the CNCF is hosting Linkerd Day", "la fundación organiza el Summit": the organisation acts
            for org in here_orgs:
                act = _ORG_HOSTS.match(doc.masked, org.end)
                if not act:
                    continue
                event = next((m for m in here_events if 0 <= m.start - act.end() <= 2), None)
                if event is not None:
                    editions = [iri for iri, e in ext.entities.items() if e.series == event.iri and e.year]
                    subject = editions[0] if len(editions) == 1 else event.iri  # the one this post dates
                    claims.append(Claim(subject, ORGANIZER, org.iri, sentence.start, sentence.end, 0.75,
                                        "pattern:org-hosts-event"))
            # "<Org> … its <Event>": the organisation presents the event as its own
            for org in here_orgs:
                for possessive in _POSSESSIVE.finditer(text, org.end - sentence.start):
                    at = sentence.start + possessive.end()
                    noun = _EVENT_NOUN.match(text, possessive.end())
                    if noun:
                        at = sentence.start + noun.end()
                    event = next((m for m in here_events if 0 <= m.start - at <= 4), None)
                    if event is not None:
                        claims.append(Claim(event.iri, ORGANIZER, org.iri, sentence.start, sentence.end, 0.75,
                                            "pattern:org-its-event"))
                        break
        return claims

    @staticmethod
    def _about_the_event(doc: Prose, named: ByStart[Mention], start: int, cue: int) -> bool:
        """Whether the words before an organising cue speak of an event ("The conference is hosted
        by …", "Este evento es organizado por …") rather than of a project or a company named there
        ("Linkerd is a community project and is hosted by the CNCF")."""
        if named.any_within(start, cue):  # a project or an organisation
            return False
        return bool(_EVENT_WORD.search(doc.masked[start:cue]))

    # -- themes and featured projects -------------------------------------------------------------
    def _themes(self, doc: Prose, ext: Extraction, events: ByStart[Mention], main: list[str],
                page: Page) -> list[Claim]:
        """Themes only where the post announces them (see graph/extract/themes.py); a project is
        featured when a sentence of that post says the event showed it (a talk, a session, a demo,
        a keynote on it)."""
        if not main:
            return []
        del page
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


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans as disjoint ones, in order (for `_inside`)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _inside(merged: list[tuple[int, int]], offset: int) -> bool:
    """Whether `offset` lies in one of the disjoint, ordered spans."""
    i = bisect.bisect_right(merged, (offset, math.inf)) - 1
    return i >= 0 and merged[i][0] <= offset < merged[i][1]


def _only_a_date(text: str) -> bool:
    """"June 8-9, 2022", "**October 15-16**": a line that is a date and (almost) nothing else."""
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if m:
            rest = re.sub(r"[\W_]+", " ", text[:m.start()] + " " + text[m.end():]).split()
            return len(rest) <= 1
    return False


def parse_dates(m: re.Match[str], year: int | None, post_date: object) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date expression names; the year from the text, else the post's."""
    groups = m.groupdict()
    month = MONTHS.get((groups.get("m") or "").lower().rstrip("."))
    month2 = MONTHS.get((groups.get("m2") or "").lower().rstrip(".")) or month
    if not month:
        return None
    y = int(groups["y"]) if groups.get("y") else year
    if y is None:
        return None
    try:
        first = dt.date(y, month, int(groups["d1"]))
        last = dt.date(y, month2, int(groups["d2"])) if groups.get("d2") else first
    except (ValueError, TypeError):
        return None
    if last < first:
        return None
    del post_date
    return first, last
