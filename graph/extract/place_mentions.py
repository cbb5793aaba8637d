"""Places the text names, found in the gazetteer (graph.extract.places) when the context says they
are places: "in Pasadena", "en Bogotá", "Guadalajara, México", the place that ends an event's name
("KCD Guadalajara"), the city of an edition written in its name ("KubeCon London"). Which of the
places of one name is meant: its own name, the state or country the post names, the population."""

from __future__ import annotations

import bisect
import re

from graph.extract.cues import LOCATION_NAME
from graph.extract.extraction import CONFIDENCE, Spans
from graph.extract.matcher import fold_keeping_offsets, key_of
from graph.extract.patterns import EVENT_HEADS, Run, capitalised_runs
from graph.extract.places import AMBIGUOUS_COUNTRIES, Gazetteer, Place
from graph.extract.text import Prose
from graph.extract.vocabulary import Vocabulary
from graph.model import Extraction, Mention, NewEntity

# "Southern California", "Sur de California", "Norte de Portugal": a region of a place, not the place
_DIRECTION_BEFORE = re.compile(
    r"\b(?:southern|northern|eastern|western|south|north|east|west|(?:sur|norte|este|oeste|sul|leste|"
    r"noroeste|nordeste|sudeste|suroeste|sudoeste)\s+(?:de|del|do|da|dos|das))\s+$", re.I)
_PLACE_PREPOSITIONS = {"in", "en", "em", "at", "near", "from", "desde", "no", "na", "cerca", "perto", "to",
                       "hosted", "held", "celebrado", "celebrada", "realizado", "realizada", "sede"}
_EVENT_WORDS = {*EVENT_HEADS, "Event", "Events", "Evento", "Eventos", "Edition", "Edición", "Edição", "Recap",
                "Resumen", "Resumo", "KCD", "Meetups"}


class PlaceFinder:
    """The places of a page's text, as mentions and as entities of the page (with their state and
    country). Made once per build; remembers per text which regions it names."""

    def __init__(self, vocabulary: Vocabulary, gazetteer: Gazetteer) -> None:
        self.vocabulary = vocabulary
        self.gazetteer = gazetteer
        self.base = vocabulary.base
        self._region_memo: dict = {}  # see _place_named

    def in_text(self, out: Extraction, doc: Prose, runs: dict[int, list[Run]], covered: Spans,
                events: list[tuple[int, int]], folded: str, lang: str) -> None:
        """Capitalised words the gazetteer knows, with a preposition, a country or an event beside them."""
        event_ends = {end for _start, end in events}
        for index, block_runs in runs.items():
            block = doc.blocks[index]
            for run in block_runs:
                i = 0
                while i < len(run):
                    found = self._place_at(out, doc, run, i, covered, event_ends, folded, lang, block.kind)
                    i = found if found > i else i + 1

    def _place_at(self, out: Extraction, doc: Prose, run: list[re.Match[str]], i: int,
                  covered: Spans, event_ends: set[int], folded: str, lang: str,
                  block_kind: str) -> int:
        for j in range(min(len(run), i + 5), i, -1):
            if not run[j - 1].group()[:1].isupper() or not run[i].group()[:1].isupper():
                continue  # a place name starts and ends with a capitalised word
            start, end = run[i].start(), run[j - 1].end()
            surface = doc.masked[start:end].rstrip(".'’")
            end = start + len(surface)
            if covered.overlaps(start, end):
                continue
            candidates = self.gazetteer.lookup(surface)
            if not candidates:
                continue
            place = self.choose(candidates, folded, surface)
            words_before = doc.masked[max(0, start - 25):start].split()
            word_before = words_before[-1].strip(",.;:").lower() if words_before else ""
            after = doc.masked[end:end + 40]
            next_word = after.split()[0].strip(",.;:") if after.split() else ""
            rest = run[j:]
            continues = bool(rest) and rest[0].group()[:1].isupper() and rest[0].start() - end <= 1
            if place.kind in ("Country", "Continent") and key_of(surface) not in AMBIGUOUS_COUNTRIES:
                # "América Móvil", "Mexico City Marriott": a country inside a longer name is not a place
                ok, method = not continues, "gazetteer:country"
            else:
                in_context = word_before in _PLACE_PREPOSITIONS or (word_before in ("de", "do", "da", "del") and \
                    len(words_before) > 1 and words_before[-2].strip(",.") in _EVENT_WORDS)
                followed = re.match(r"^\s*,\s*([A-ZÀ-Ý][\w ]+)", after)
                country_after = followed and key_of(followed.group(1).split(" ")[0]) in self.gazetteer.country_keys
                gap_before = doc.masked[max(0, start - 2):start]
                beside_event = next_word in _EVENT_WORDS or (bool(words_before) and words_before[-1] in _EVENT_WORDS) \
                    or (not gap_before.strip(" ") and not event_ends.isdisjoint((start, start - 1, start - 2)))
                # a town, unlike a big city, also needs its state or country named somewhere in the post
                known_region = place.population >= 100_000 or self._region_named(place, folded)
                # a big city with a name of several words ("Mexico City", "São Paulo") needs no context
                unmistakable = place.population >= 500_000 and len(surface.split()) >= 2
                ok = bool((in_context or country_after or beside_event) and known_region) or unmistakable
                method = "gazetteer"
            if not ok:
                continue
            self.add(out, doc, place, start, end, lang, surface, method, block_kind)
            covered.add(start, end)
            return j
        return i

    def in_event_names(self, out: Extraction, doc: Prose, events: list[tuple[int, int]], folded: str,
                       lang: str) -> None:
        """A place that qualifies an event's name ("KCD Colombia", "OpenInfra Summit Vancouver"): it
        ends the name. A place inside a longer name is part of that name, not a mention of the place
        ("Southern California Linux Expo" names no place)."""
        for start, end in events:
            for run in capitalised_runs(doc.masked, start, end):
                i = 0
                while i < len(run):
                    step = 1
                    for j in range(min(len(run), i + 4), i, -1):
                        s, e = run[i].start(), run[j - 1].end()
                        candidates = [p for p in self.gazetteer.lookup(doc.masked[s:e])
                                      if p.kind != "City" or p.population >= 100_000]
                        if j < len(run) and not run[j].group()[:1].isdigit():
                            continue  # more of the name follows
                        if _DIRECTION_BEFORE.search(doc.masked[start:s]):
                            continue  # "Sur de California", "Southern California": a part, not the place
                        if candidates and run[i].group()[:1].isupper():
                            block = doc.block_at(s)
                            self.add(out, doc, self.choose(candidates, folded, doc.masked[s:e]), s, e, lang,
                                     doc.masked[s:e], "gazetteer:event-name", block.kind if block else "")
                            step = j - i
                            break
                    i += step

    def city_in_name(self, out: Extraction, doc: Prose, edition: str, start: int, end: int, kind_block: str) -> None:
        """"KubeCon Atlanta 2025", "KubeCon London": the city the vocabulary holds the edition in is
        written in its name; it is a place of the post, and where that edition was held."""
        surface = doc.masked[start:end]
        for t in self.vocabulary.by_subject.get(edition, ()):
            if t.predicate.value != LOCATION_NAME:
                continue
            city = t.object.value.split(",")[0].strip()  # "Atlanta, Georgia, United States"
            at = re.search(rf"\b{re.escape(city)}\b", surface)
            if at is None:
                continue
            candidates = self.gazetteer.lookup(city)
            if candidates:
                place = self.choose(candidates, fold_keeping_offsets(t.object.value), city)
                self.add(out, doc, place, start + at.start(), start + at.end(), "en", at.group(),
                         "gazetteer:edition-venue", kind_block)
            return

    def _region_named(self, place: Place, folded: str) -> bool:
        return any(self._place_named(ref, folded) for ref in (place.admin, place.country))

    def _place_named(self, ref: str | None, folded: str) -> bool:
        """Whether the (folded) text names the gazetteer's place `ref`. Asked for every mention of a
        place, and each check scans the text: the answer is remembered per text."""
        if not ref or ref not in self.gazetteer.places:
            return False
        if self._region_memo.get("text") is not folded:
            self._region_memo.clear()
            self._region_memo["text"] = folded
        if ref not in self._region_memo:
            self._region_memo[ref] = any(key_of(n) in folded for _l, n in self.gazetteer.places[ref].names)
        return self._region_memo[ref]

    def choose(self, candidates: list[Place], folded: str, surface: str = "") -> Place:
        """The candidate whose own name this is (not an alternate name), whose state or country the
        post names, and then the most populous."""
        key = key_of(surface)

        def score(p: Place) -> tuple[int, int, int, int]:
            own = int(bool(key) and key in {key_of(n) for _l, n in p.names})
            rank = {"Country": 3, "Continent": 2, "AdministrativeArea": 1}.get(p.kind, 0)
            bonus = 0
            for ref in (p.admin, p.country):
                if self._place_named(ref, folded):
                    bonus += 2 if ref == p.admin else 1
            return own, rank, bonus, p.population
        return max(candidates, key=score)

    def add(self, out: Extraction, doc: Prose, place: Place, start: int, end: int, lang: str, surface: str,
            method: str, block_kind: str) -> None:
        """A mention of `place`, and the place (with its state and country) as entities of the page."""
        iri = self.base + place.path
        entity = out.entities.get(iri)
        if entity is None:
            entity = out.entities[iri] = NewEntity(iri, "place", ("https://schema.org/" + place.kind,),
                                                   dict(place.names), place=place, method="gazetteer")
        if surface != place.name(lang) and lang not in dict(place.names):
            entity.names.setdefault(lang, " ".join(surface.split()))
        for ref in (place.admin, place.country):
            if ref and self.base + ref not in out.entities and ref in self.gazetteer.places:
                parent = self.gazetteer.places[ref]
                out.entities[self.base + ref] = NewEntity(self.base + ref, "place",
                                                          ("https://schema.org/" + parent.kind,), dict(parent.names),
                                                          place=parent, method="gazetteer")
        out.kinds[iri] = "place"
        sentence = doc.sentence_at(start)
        out.mentions.append(Mention(iri, "place", start, end, CONFIDENCE[method], method, block_kind,
                                    (sentence.start, sentence.end) if sentence else None))


def without_series_regions(mentions: list[Mention], text: str) -> list[Mention]:
    """A world region that ends an event's name ("KubeCon + CloudNativeCon North America", "KubeCon
    Europe") says which regional series is meant; the post does not mention the region as a place."""
    ends = sorted(m.end for m in mentions if m.kind == "event")
    spans = [(m.start, m.end) for m in mentions if m.kind == "event"]
    out = []
    for m in mentions:
        if m.kind == "place" and "/place/region/" in m.iri:
            if any(start <= m.start < end for start, end in spans):
                continue
            i = bisect.bisect_right(ends, m.start) - 1
            between = text[ends[i]:m.start] if i >= 0 and m.start - ends[i] <= 30 else None
            if between is not None and "\n" not in between and not re.search(r"\b[a-zà-ÿ]", between):
                continue
        out.append(m)
    return out
