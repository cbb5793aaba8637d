"""What a post talks about: entities found in its text and front matter, each with evidence.

A pure function of a page, the vocabulary and the gazetteer. Known names come from one matcher
pass (graph.matcher); places from the gazetteer when the context says they are places ("in
Pasadena", "en Bogotá", "Guadalajara, México", "KCD Guadalajara"); editions of event series from
an explicit year or edition number, from "this year" and the post's date, or from the post's
title; unknown events, projects and organisations from how they are named (graph.patterns).
Nothing here knows about particular posts.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.extract.matcher import Match, Matcher, entry_named, fold_keeping_offsets, key_of, label_index
from graph.extract.patterns import (
    EVENT_HEADS,
    REGION_ADJECTIVES,
    REGIONS,
    Candidate,
    Run,
    capitalised_runs,
    ends_with_event_head,
    find_affiliations,
    find_events,
    find_organizations,
    find_repository_links,
    find_venues,
)
from graph.extract.places import AMBIGUOUS_COUNTRIES, Gazetteer, Place, gazetteer
from graph.extract.positions import ByStart
from graph.extract.text import Prose, prose
from graph.extract.vocabulary import Entry, Vocabulary, load_vocabulary
from graph.ids import slugify
from graph.read.post import Page

#: Languages whose naming patterns and place cues the extractor knows; pages in other languages
#: ("ko", "uk") get only what the vocabulary and the gazetteer's event names say
PATTERN_LANGUAGES = frozenset({"en", "es", "pt"})
_ACRONYM_ASIDE = r"(?:\([^)\n]{1,12}\)[ \t]*)?"  # "Kubernetes Community Days (KCD) Colombia 2025"
_YEAR_AFTER = re.compile(
    rf"^[ \t]*{_ACRONYM_ASIDE}(?:(?:in|en|em)[ \t]+(?=[A-ZÀ-Ý]))?"
    rf"(?:(?:[A-ZÀ-Ý][\w'-]*|de|del|do|da)[ \t]+){{0,2}}?((?:19|20)\d{{2}})\b")
_EDITION_AFTER = re.compile(r"^[ \t]*(\d{1,3}[xX])\b")
_THIS_YEAR = re.compile(r"\b(this year|this year's|este año|este ano|neste ano|en este año|this month|este mes|"
                        r"este mês|next month|el próximo mes|o próximo mês|today|hoy|hoje|"
                        r"(?:this|last|next) week(?:'s|’s)?|esta semana|la semana pasada|la próxima semana|"
                        r"(?:na )?semana passada|(?:na )?próxima semana)\b", re.I)
_LAST_YEAR = re.compile(r"\b(last year|last year's|el año pasado|o ano passado|no ano passado)\b", re.I)
_NEXT_YEAR = re.compile(r"\b(next year|next year's|el próximo año|el año que viene|o próximo ano|no próximo ano)\b",
                        re.I)
# Tense that ties a single occurrence of an event to the time of the post ("KubeCon will be held in
# November", "se celebró", "aconteceu"): the edition of the post's year.
_DATED_TENSE = re.compile(
    r"\b(will (?:be )?(?:take place|held|happen|host|bring|gather|return|run)|is coming|upcoming|"
    r"took place|was held|were held|kicked off|wrapped up|se celebr(?:ó|ará|a)|se llevó a cabo|se llevará a cabo|"
    r"tendrá lugar|tuvo lugar|se realizar(?:á|on)|se realizó|aconteceu|acontecerá|foi realizad[oa]|será realizad[oa]|"
    r"ocorreu|ocorrerá)\b", re.I)
# "Southern California", "Sur de California", "Norte de Portugal": a region of a place, not the place
_DIRECTION_BEFORE = re.compile(
    r"\b(?:southern|northern|eastern|western|south|north|east|west|(?:sur|norte|este|oeste|sul|leste|"
    r"noroeste|nordeste|sudeste|suroeste|sudoeste)\s+(?:de|del|do|da|dos|das))\s+$", re.I)
# "last year's Summit", "the previous KubeCon", "la edición anterior": another edition than the one the
# post names ("the first KCD Guadalajara" is often the very edition announced, so ordinals do not count)
_OTHER_EDITION_BEFORE = re.compile(
    r"\b(?:previous|past|earlier|last year'?s?|next year'?s?|anterior|pasad[ao]|passad[ao]|del año pasado|"
    r"do ano passado)\W+(?:[\w'-]+\W+)?$", re.I)
# a version right after a name: " v3", " 2.8.0", " 3" (not a year: "Summit 2019")
_VERSION_AFTER = re.compile(r"[ \t]?(?:v\d+(?:\.\d+)*|\d{1,2}(?:\.\d+)*)(?![\w.]|\.\w)")
# "… in Salt Lake City", "… en Valencia", "… at Amsterdam": the city right after an event's name
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|enero|febrero|"
           "marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|"
           "maio|junho|julho|setembro|outubro|novembro|dezembro")
_PLACE_AFTER = re.compile(
    r"^\s*(?:\]\([ \t]*\)\s*)?(?:(?:[A-Z][\w+]*|\+)[ \t]+){0,4}?"
    rf"(?:(?:this|next|este|esta|próximo|en|em|in)\s+(?:{_MONTHS}|month|year|week)\s+)?"
    r"(?:in|en|em|at|à)[ \t]+((?:[A-ZÀ-Ý][\w'’-]*[ \t]?){1,3})")
_CITY_RIGHT_AFTER = re.compile(r"^[ \t]+((?:[A-ZÀ-Ý][\w'’-]*[ \t]?){1,3})")
_LOCATION_NAME = "https://w3id.org/postgraph/ns#locationName"
# "the first KubeCon", "la primera edición de": the first edition of the series
_FIRST_BEFORE = re.compile(r"\b(?:first|1st|inaugural|original|primer|primera|primeira|primeiro)\W+(?:[\w'-]+\W+)?$",
                           re.I)
# "the first KubeCon", "the inaugural KubeCon" (not "the first hybrid KubeCon": the first of a kind)
_FIRST_RIGHT_BEFORE = re.compile(r"\b(?:first|1st|inaugural|original|primer|primera|primeira|primeiro)(?:[- ]ever)?"
                                 r"\s+$", re.I)
_LIST_SEPARATOR = re.compile(r"\s*(?:[,/&+;]\s*(?:(?:and|y|e|or|o|ou)\s+)?|(?:and|y|e|or|o|ou)\s+)", re.I)
_PLACE_PREPOSITIONS = {"in", "en", "em", "at", "near", "from", "desde", "no", "na", "cerca", "perto", "to",
                       "hosted", "held", "celebrado", "celebrada", "realizado", "realizada", "sede"}
_EVENT_WORDS = {*EVENT_HEADS, "Event", "Events", "Evento", "Eventos", "Edition", "Edición", "Edição", "Recap",
                "Resumen", "Resumo", "KCD", "Meetups"}
_KIND_WORDS = {"project", "projects", "tool", "tools", "proyecto", "proyectos", "projeto", "projetos",
               "herramienta", "herramientas", "ferramenta", "ferramentas", "service", "services", "servicio",
               "serviço", "component", "componente", "distribution", "distribución", "distribuição"}

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


class Extractor:
    """Compiled once per build (and per worker process): vocabulary matcher and gazetteer."""

    def __init__(self, vocabulary: Vocabulary, gazetteer: Gazetteer, site_title: str | None = None) -> None:
        self.vocabulary = vocabulary
        self.gazetteer = gazetteer
        self.base = vocabulary.base
        self.matcher = Matcher(vocabulary.entries.values())
        self._region_memo: dict = {}  # see _region_named
        self._keys: dict[tuple[str, str], frozenset[str]] = {}  # see _keys_of
        self._labels: dict | None = None  # see term_entity
        self._regional: set[str] | None = None  # series with regional series of their own (edition_of)
        self._sites: dict[str, set[str]] | None = None  # entity -> its web sites and repositories (host/owner)
        self._narrower: dict[str, list[Entry]] | None = None  # series -> its regional series
        self._page_sites: set[str] = set()  # the sites the page being extracted links to
        self._starts: list[int] = []  # the page's match starts, and the entities it names in full
        self._full_named: set[str] = set()
        # what the site is named after ("Helm" for helm.sh's blog): its name needs no other context
        self.site_subjects = frozenset(self._named_exactly(site_title)) if site_title else frozenset()

    @classmethod
    def for_site(cls, entity_base: str, site_title: str | None) -> Extractor:
        """The extractor of a build: the vocabulary's matcher (entities minted under `entity_base`),
        the gazetteer, and what the site is named after."""
        return cls(load_vocabulary(entity_base), gazetteer(), site_title)

    def entity(self, iri: str) -> Entry | None:
        return self.vocabulary.entries.get(iri)

    def _named_exactly(self, title: str) -> list[str]:
        """IRIs of the entries one of whose labels is the whole site title (case-insensitively)."""
        if self._labels is None:
            self._labels = label_index(self.vocabulary.entries.values())
        return [entry.iri for _label, entry in self._labels.get(key_of(title.strip()), ())
                if entry.kind in ("project", "organization")]

    def term_entity(self, term: str) -> tuple[str, str] | None:
        """(IRI, kind) of the known entity a whole tag or category names ("OpenStack", "Comunidad")."""
        if self._labels is None:
            self._labels = label_index(self.vocabulary.entries.values())
        entry = entry_named((), term, self._labels)
        return (entry.iri, entry.kind) if entry is not None else None

    # -- the whole page -------------------------------------------------------------------------
    def extract(self, page: Page) -> Extraction:
        doc = prose(page.text, page.body_offset)
        out = Extraction(prose=doc)
        year = page.date.year if page.date is not None else None
        folded_text = fold_keeping_offsets(doc.masked)
        matches = self.matcher.find(doc.masked)
        tags = {key_of(t) for terms in page.taxonomies.values() for t in terms}
        named = _written_as_names(doc, matches)
        self._page_sites = {_site_of(u) for u in _URL.findall(page.text)}
        # asked for each ambiguous match: computed once per page, so a page repeating a name stays linear
        self._starts = [o.start for o in matches]  # matches come in text order
        self._full_named = {i for o in matches if " " in key_of(doc.masked[o.start:o.end]) for i in o.iris}
        kept: list[Match] = []
        for index, m in enumerate(matches):
            entries = [e for e in (self.entity(i) for i in m.iris) if e is not None]
            if not entries:
                continue
            entry = entries[0]
            one_word = " " not in key_of(doc.masked[m.start:m.end])
            common = any(sf.common_word for sf in m.surfaces)
            ambiguous = common or (entry.needs_context and one_word)
            if ambiguous and entry.iri not in named and not self._has_context(doc, m, entry, matches, tags,
                                                                               strict=common, index=index):
                continue
            kept.append(m)
            self._add_known(out, doc, m, entry, year)
        self._resolve_discourse(out, doc)
        # where the vocabulary holds the editions the post names ("Pasadena, California") helps to
        # tell the post's Pasadena from the other ones
        folded_text += "".join(" " + fold_keeping_offsets(t.object.value) for iri in {m.iri for m in out.mentions}
                               for t in self.vocabulary.by_subject.get(iri, ()) if t.predicate.value == _LOCATION_NAME)
        covered = Spans(len(page.text))
        for m in kept:
            if not all(i in self.matcher.topics for i in m.iris):  # a theme's word may start a name: "GitOps Days"
                covered.add(m.start, m.end)
        events = [(m.start, m.end) for m in out.mentions if m.kind == "event"]
        runs = {i: capitalised_runs(doc.masked, b.start, b.end) for i, b in enumerate(doc.blocks) if b.kind != "alt"}
        self._places_in_event_names(out, doc, events, folded_text, page.lang)
        patterns = page.lang.split("-")[0].lower() in PATTERN_LANGUAGES or not page.lang
        if patterns:  # naming patterns and place cues are written for en/es/pt; elsewhere the vocabulary only
            self._places(out, doc, runs, covered, events, folded_text, page.lang)
            self._unknown(out, doc, runs, covered, page)
            self._resolve_pattern_series(out, doc)
        self._front_matter(out, page, year)
        self._about(out, doc)
        out.mentions = _without_series_regions(out.mentions, doc.masked)
        # one mention per span and entity (a tag and the text can both name it), best first
        best: dict[tuple[int, int, str], Mention] = {}
        for m in out.mentions:
            key = (m.start, m.end, m.iri)
            if key not in best or m.confidence > best[key].confidence:
                best[key] = m
        out.mentions = sorted(best.values(), key=lambda m: (m.start, m.end, m.iri))
        return out

    # -- known entities -------------------------------------------------------------------------
    def _has_context(self, doc: Prose, m: Match, entry: Entry, matches: list[Match], tags: set[str],
                     strict: bool = False, index: int | None = None) -> bool:
        """An ambiguous name counts only with a tag naming it, a kind word beside it ("the Helm
        project"), its full name elsewhere in the post, or — for names that are not everyday words —
        another thing of its kind in the same sentence. An everyday word ("Tempo") needs more: a
        neighbour of its kind in the same enumeration ("k3s, MicroK8s, Kind, & Minikube")."""
        if entry.iri in self.site_subjects or any(key_of(label) in tags for label, _ in entry.labels):
            return True
        if entry.part_of and entry.part_of in self.site_subjects:
            return True  # on Flux's own site, Flagger (a part of Flux) is that Flagger
        if entry.kind == "project" and _VERSION_AFTER.match(doc.masked, m.end):
            return True  # "Helm v3", "Flux 2.8": software has versions
        if self._links_to_itself(doc.text, m, entry):
            return True  # "[Buoyant](https://buoyant.io/)": the link goes to the entity's own site
        if self._sites_of(entry.iri) & self._page_sites:
            return True  # the post links to the entity's own site somewhere ("buoyant.io/blog/…")
        if entry.kind == "organization" and (_ROLE_AT.search(doc.masked[max(0, m.start - 40):m.start])
                                             or _ORG_AFTER.match(doc.masked, m.end)
                                             or _PERSON_BRACKET.search(doc.masked[max(0, m.start - 60):m.start])):
            return True  # "software engineer at Buoyant", "Orange VP of Engineering", "Buoyant's CEO"
        if entry.iri in self._full_named and " " not in key_of(doc.masked[m.start:m.end]):
            return True  # its full name elsewhere in the post ("Helm charts" … "Helm")
        sentence = doc.sentence_at(m.start)
        block = doc.blocks[sentence.block] if sentence else doc.block_at(m.start)
        if entry.part_of and block is not None and any(
                entry.part_of in o.iris for o in self._between(matches, block.start, block.end)):
            return True  # "OpenStack … virtual machines (Nova)": a component beside its project
        lo, hi = (sentence.start, sentence.end) if sentence else (m.start - 80, m.end + 80)
        window = doc.masked[max(lo, m.start - 20):min(hi, m.end + 20)].lower().split()
        if any(w.strip(".,;:()") in _KIND_WORDS for w in window):
            return True
        if index is not None and self._in_long_list(doc, index, entry, matches):
            return True
        # another thing of its kind in the sentence (a few hundred characters around it at most: a
        # 2 MB "sentence" is not read once per name it holds)
        for other in self._between(matches, max(lo, m.start - 400), min(hi, m.end + 400)):
            if other is m:
                continue
            e = self.entity(other.iris[0])
            if e is None or e.kind != entry.kind or (e.needs_context and e.iri not in self.site_subjects):
                continue  # an ambiguous neighbour proves nothing, unless it is what the site is about
            between = doc.masked[min(m.end, other.end):max(m.start, other.start)]
            if not strict or (len(between) <= 6 and re.fullmatch(r"\s*(,|&|/|and|y|e|or|o|ou)?\s*,?\s*&?\s*",
                                                                   between)):
                return True
        return False

    def _sites_of(self, iri: str) -> set[str]:
        if self._sites is None:
            self._sites = {}
            for subject, triples in self.vocabulary.by_subject.items():
                for t in triples:
                    if t.predicate.value in _HOME_PREDICATES and isinstance(t.object, ox.NamedNode):
                        site = _site_of(t.object.value)
                        if site not in _CODE_HOSTS:  # "github.com" alone is everybody's
                            self._sites.setdefault(subject, set()).add(site)
        return self._sites.get(iri, set())

    def _links_to_itself(self, text: str, m: Match, entry: Entry) -> bool:
        link = _LINK_AFTER.match(text, m.end)
        return bool(link) and _site_of(link.group(1)) in self._sites_of(entry.iri)

    def _between(self, matches: list[Match], start: int, end: int) -> list[Match]:
        """The matches that start in [start, end), found by bisection of the page's match starts."""
        return matches[bisect.bisect_left(self._starts, start):bisect.bisect_left(self._starts, end)]

    def _in_long_list(self, doc: Prose, i: int, entry: Entry, matches: list[Match]) -> bool:
        """"near the LitmusChaos/Flux/Cortex/Falco booths": three or more names of one kind joined only by
        separators are a list of such things, even when each name alone is also a word. `i` is the
        match's index in `matches` (walked outwards from there, not searched for)."""
        run = 1
        for step in (-1, 1):
            k = i
            while 0 <= k + step < len(matches):
                a, b = (matches[k + step], matches[k]) if step < 0 else (matches[k], matches[k + step])
                other = self.entity(matches[k + step].iris[0])
                if other is None or other.kind != entry.kind or not _LIST_SEPARATOR.fullmatch(doc.masked[a.end:b.start]):
                    break
                run += 1
                if run >= 3:
                    return True  # enough: a long list is not walked to its end for each of its names
                k += step
        return False

    def _add_known(self, out: Extraction, doc: Prose, m: Match, entry: Entry, year: int | None) -> None:
        block = doc.block_at(m.start)
        sentence = doc.sentence_at(m.start)
        sent = (sentence.start, sentence.end) if sentence else None
        kind_block = block.kind if block else "paragraph"
        if entry.kind != "event" or not entry.is_series:
            out.kinds[entry.iri] = entry.kind
            if entry.series and entry.kind == "event":  # a known edition: its series is referenced too
                out.kinds.setdefault(entry.series, "event")
            out.mentions.append(Mention(entry.iri, entry.kind, m.start, m.end, CONFIDENCE["vocabulary"],
                                        "vocabulary", kind_block, sent))
            if entry.kind == "event":
                self._city_in_name(out, doc, entry.iri, m.start, m.end, kind_block)
            return
        # A series: which edition does the text mean? First, a broader series followed by a place
        # ("Kubernetes Community Days in Guadalajara, Mexico") means its regional series.
        entry = self._regional_series(entry, doc.masked[m.end:m.end + 60])
        after = doc.masked[m.end:m.end + 60]
        edition: str | None = None
        end = m.end
        method = "vocabulary"
        number = _EDITION_AFTER.match(after)
        explicit = _YEAR_AFTER.match(after)
        if _FIRST_RIGHT_BEFORE.search(doc.masked[max(0, m.start - 40):m.start]) and not explicit:
            first = [e for e in self.vocabulary.editions_of(entry.iri).values() if e.edition_label == "1"]
            if first:  # "the first KubeCon", "the inaugural KubeCon": the edition the vocabulary marks as the 1st
                edition, method = first[0].iri, "edition:first"
        if number and edition is None:
            known = [e for e in self.vocabulary.entries.values()
                     if e.series == entry.iri and (e.edition_label or "").lower() == number.group(1).lower()]
            if known:
                edition, end, method = known[0].iri, m.end + number.end(1), "edition:explicit"
        if edition is None and explicit:
            edition = self.edition_of(out, entry, int(explicit.group(1)), doc.masked[m.start:m.end])
            if edition is None:  # "KubeCon 2022 NA": the region after the year names the regional series
                regional = self._regional_series(entry, doc.masked[m.end + explicit.end(1):m.end + explicit.end(1) + 40])
                if regional is not entry:
                    edition = self.edition_of(out, regional, int(explicit.group(1)), None)
            if edition is not None:
                end, method = m.end + explicit.end(1), "edition:explicit"
        if edition is None and year is not None:
            venue = self._edition_at_venue(entry, doc.masked[m.end:m.end + 240], year)
            if venue is not None:
                edition, method = venue[0], "edition:venue"
                if venue[1] is not None:  # "KubeCon London": the city is part of the name, and a place
                    self._city_in_name(out, doc, edition, m.start, m.end + venue[1][1], kind_block)
        if edition is None and year is not None:
            sentence_text = doc.masked[sent[0]:sent[1]] if sent else ""
            if _THIS_YEAR.search(sentence_text):
                edition, method = self.edition_of(out, entry, year, None), "edition:this-year"
            elif _LAST_YEAR.search(sentence_text):
                edition, method = self.edition_of(out, entry, year - 1, None), "edition:this-year"
            elif _NEXT_YEAR.search(sentence_text):
                edition, method = self.edition_of(out, entry, year + 1, None), "edition:this-year"
            elif _DATED_TENSE.search(sentence_text):
                edition, method = self.edition_of(out, entry, year, None), "edition:tense"
            elif kind_block == "title":
                edition, method = self.edition_of(out, entry, year, None), "edition:title"
        out.kinds[entry.iri] = "event"
        if edition is None:
            out.mentions.append(Mention(entry.iri, "event", m.start, m.end, CONFIDENCE["vocabulary"],
                                        "vocabulary", kind_block, sent))
            return
        out.kinds[edition] = "event"
        out.mentions.append(Mention(edition, "event", m.start, end, CONFIDENCE[method], method, kind_block, sent))

    def _city_in_name(self, out: Extraction, doc: Prose, edition: str, start: int, end: int, kind_block: str) -> None:
        """"KubeCon Atlanta 2025", "KubeCon London": the city the vocabulary holds the edition in is
        written in its name; it is a place of the post, and where that edition was held."""
        surface = doc.masked[start:end]
        for t in self.vocabulary.by_subject.get(edition, ()):
            if t.predicate.value != _LOCATION_NAME:
                continue
            city = t.object.value.split(",")[0].strip()  # "Atlanta, Georgia, United States"
            at = re.search(rf"\b{re.escape(city)}\b", surface)
            if at is None:
                continue
            candidates = self.gazetteer.lookup(city)
            if candidates:
                place = self._choose_place(candidates, fold_keeping_offsets(t.object.value), city)
                self._add_place(out, doc, place, start + at.start(), start + at.end(), "en", at.group(),
                                "gazetteer:edition-venue", kind_block)
            return

    def _edition_at_venue(self, series: Entry, after: str, year: int
                          ) -> tuple[str, tuple[int, int] | None] | None:
        """"KubeCon North America in Salt Lake City" in a post of 2024: the one edition of the series
        that the vocabulary places in that city, held the year before, of or after the post. With
        the city's span in `after` when the city is written right after the name ("KubeCon London")."""
        city = _PLACE_AFTER.match(after)
        direct = None
        if not city:
            city = _CITY_RIGHT_AFTER.match(after)
            if not city:
                return None
        named = key_of(city.group(1))
        found = []
        regional = [e.iri for e in self._narrower_series(series.iri)]
        editions = [(y, e) for s in (series.iri, *regional) for y, e in self.vocabulary.editions_of(s).items()]
        for edition_year, edition in editions:
            if abs(edition_year - year) > 1:
                continue
            venues = {key_of(t.object.value.split(",")[0]) for t in self.vocabulary.by_subject.get(edition.iri, ())
                      if t.predicate.value == _LOCATION_NAME}  # "Salt Lake City, Utah": the city
            for v in venues:
                if named == v or named.startswith(v + " "):
                    found.append(edition.iri)
                    if city.re is _CITY_RIGHT_AFTER:
                        direct = (city.start(1), city.start(1) + len(v))
                    break
        return (found[0], direct) if len(found) == 1 else None

    def _narrower_series(self, iri: str) -> list[Entry]:
        if self._narrower is None:
            self._narrower = {}
            for e in self.vocabulary.entries.values():
                if e.is_series and e.series:
                    self._narrower.setdefault(e.series, []).append(e)
        return self._narrower.get(iri, [])

    def _regional_series(self, entry: Entry, after: str) -> Entry:
        narrower = self._narrower_series(entry.iri)
        if not narrower:
            return entry
        words = re.match(rf"^[ \t]*{_ACRONYM_ASIDE}(?:in|en|em|de)?[ \t]*((?:[A-ZÀ-Ý][\w'-]*(?:,?[ \t]+)?){{1,4}})",
                         after)
        if not words:
            return entry
        names = {key_of(w) for w in re.split(r"[,\s]+", words.group(1)) if w}
        for place_name in list(names):
            for place in self.gazetteer.lookup(place_name)[:1]:
                for ref in (place.country, place.admin):
                    if ref in self.gazetteer.places:
                        names |= self._keys_of("place", ref)
        for candidate in narrower:
            own = self._keys_of("entry", candidate.iri) - self._keys_of("entry", entry.iri)
            if own & names:
                return candidate
        return entry

    def _keys_of(self, kind: str, ref: str) -> frozenset[str]:
        """The words of a vocabulary entry's labels, or the names of a gazetteer place, as keys:
        asked for every mention of a series, so made once."""
        if (kind, ref) not in self._keys:
            if kind == "place":
                keys = {key_of(n) for _l, n in self.gazetteer.places[ref].names}
            else:
                keys = {key_of(w) for label, _ in self.vocabulary.entries[ref].labels for w in label.split()}
            self._keys[kind, ref] = frozenset(keys)
        return self._keys[kind, ref]

    def edition_of(self, out: Extraction, series: Entry, year: int, _surface: str | None,
                   region: str | None = None) -> str | None:
        """The edition of `series` in `year`: the vocabulary's, else minted (series + year). None for
        a series with regional series of its own (KubeCon: Europe, North America, China …): "KubeCon
        2025" does not say which one, and a "global" edition would be an event that never took place."""
        known = self.vocabulary.editions_of(series.iri).get(year)
        if known is not None:
            out.kinds.setdefault(series.iri, "event")
            return known.iri
        if self._regional is None:
            self._regional = {e.series for e in self.vocabulary.entries.values() if e.is_series and e.series}
        if series.iri in self._regional:
            return None
        # held with a regional edition ("GitOpsCon" on a day of KubeCon Europe 2022): that region's
        iri = f"{series.iri.rstrip('/')}/{slugify(region) + '-' if region else ''}{year}"
        if iri not in out.entities:
            names = {lang: f"{name} {region + ' ' if region else ''}{year}" for lang, name in series.names.items()}
            out.entities[iri] = NewEntity(iri, "event", ("https://schema.org/Event",), names, series=series.iri,
                                          year=year, confidence=0.9, method="edition")
        return iri

    def _resolve_discourse(self, out: Extraction, doc: Prose | None = None) -> None:
        """A series mentioned again without a year means the edition this post already named —
        unless the words before it say it is another one ("the inaugural KubeCon", "last year's")."""
        chosen: dict[str, str] = {}
        for m in out.mentions:
            if m.kind != "event":
                continue
            series = self._series_of(m.iri, out)
            if series and m.iri != series:
                for s in self._series_chain(series):
                    chosen.setdefault(s, m.iri)
        # an edition of a broader series ("OpenInfraDays 2022") in a post about a regional one
        # ("OpenInfraDays Mexico 2022") is that regional edition
        narrower_edition: dict[tuple[str, int], str] = {}
        for m in out.mentions:
            series, year = self._series_of(m.iri, out), self.year_of(m.iri, out)
            if series and year:
                for broader in self._series_chain(series)[1:]:
                    narrower_edition.setdefault((broader, year), m.iri)
        for i, m in enumerate(out.mentions):
            series, year = self._series_of(m.iri, out), self.year_of(m.iri, out)
            target = narrower_edition.get((series, year)) if series and year else None
            if target and target != m.iri:
                out.mentions[i] = Mention(target, m.kind, m.start, m.end, CONFIDENCE["edition:discourse"],
                                          "edition:discourse", m.block, m.sentence)
                if m.iri in out.entities and not any(x.iri == m.iri for x in out.mentions):
                    out.kinds.pop(m.iri, None)
        for i, m in enumerate(out.mentions):
            entry = self.entity(m.iri)
            before = doc.masked[max(0, m.start - 40):m.start] if doc is not None else ""
            if _OTHER_EDITION_BEFORE.search(before):
                continue
            if entry is not None and entry.is_series and m.iri in chosen and _FIRST_BEFORE.search(before) \
                    and self._earlier_edition_known(m.iri, chosen[m.iri], out):
                continue  # "the inaugural KubeCon" when KubeCon 2019 is the post's: the series had earlier ones
            if entry is not None and entry.is_series and m.iri in chosen:
                out.mentions[i] = Mention(chosen[m.iri], m.kind, m.start, m.end, CONFIDENCE["edition:discourse"],
                                          "edition:discourse", m.block, m.sentence)

    def _earlier_edition_known(self, series: str, edition: str, out: Extraction) -> bool:
        """Whether `series` had an edition before `edition`: the vocabulary knows an earlier one, or
        `edition` belongs to a narrower (regional) series of it."""
        if self._series_of(edition, out) != series:
            return True  # "the inaugural KubeCon" and a North America edition: the first of all KubeCons
        year = self.year_of(edition, out)
        if year is None:
            return False
        return any(y < year for s in self._series_chain(series) for y in self.vocabulary.editions_of(s)) or any(
            e.series and e.series in self._series_chain(series) and e.is_series and
            any(y < year for y in self.vocabulary.editions_of(e.iri)) for e in self.vocabulary.entries.values()
            if e.series == series)

    def _resolve_pattern_series(self, out: Extraction, doc: Prose) -> None:
        """A series the patterns found ("FluxCon", "FluxCon Europe") means the one edition of it the
        post names (with the same region, if the text gives one)."""
        editions_of: dict[str, list[str]] = {}
        for iri, entity in out.entities.items():
            if entity.kind == "event" and entity.series and entity.year is not None:
                editions_of.setdefault(entity.series, []).append(iri)
        # "FluxCon 2025" in a post that names "FluxCon NA 2025": the one regional edition of that year
        same: dict[str, str] = {}
        for editions in editions_of.values():
            for plain in [e for e in editions if e.rsplit("/", 1)[-1].isdigit()]:
                y = plain.rsplit("/", 1)[-1]  # "…/north-america-2025", "…/2019-03" are more precise ones
                regional = [e for e in editions if e != plain and re.search(rf"(?:^|-){y}(?:-|$)", e.rsplit("/", 1)[-1])]
                if len(regional) == 1:
                    same[plain] = regional[0]
        for i, m in enumerate(out.mentions):
            if m.iri in same:
                out.mentions[i] = Mention(same[m.iri], m.kind, m.start, m.end, m.confidence, m.method, m.block,
                                          m.sentence)
        for plain in same:
            out.entities.pop(plain, None)
            out.kinds.pop(plain, None)
            for editions in editions_of.values():
                if plain in editions:
                    editions.remove(plain)
        for i, m in enumerate(out.mentions):
            if m.iri not in editions_of:
                continue
            after = re.match(r"[ \t]+([A-Z][\w]*(?:[ \t]+[A-Z][\w]*)?)", doc.masked[m.end:m.end + 30])
            region = next((REGIONS[w] for w in ((after.group(1), after.group(1).split()[0]) if after else ())
                           if w in REGIONS), None)
            before = re.search(r"((?:[A-Z][\w]*[ \t]+)?[A-Z][\w]*)[ \t]+$", doc.masked[max(0, m.start - 30):m.start])
            if region is None and before:  # "our first European Helm Summit"
                region = REGION_ADJECTIVES.get(before.group(1)) or REGION_ADJECTIVES.get(before.group(1).split()[-1])
            options = [e for e in editions_of[m.iri] if region is None or f"/{slugify(region)}-" in e]
            if len(options) == 1 and not _OTHER_EDITION_BEFORE.search(doc.masked[max(0, m.start - 40):m.start]):
                out.mentions[i] = Mention(options[0], m.kind, m.start, m.end, CONFIDENCE["edition:discourse"],
                                          "edition:discourse", m.block, m.sentence)

    def _series_of(self, iri: str, out: Extraction) -> str | None:
        if iri in out.entities:
            return out.entities[iri].series
        entry = self.entity(iri)
        return entry.series if entry is not None and not entry.is_series else None

    def year_of(self, iri: str, out: Extraction) -> int | None:
        if iri in out.entities:
            return out.entities[iri].year
        entry = self.entity(iri)
        return entry.year if entry is not None else None

    def _series_chain(self, series: str) -> list[str]:
        chain, seen = [], set()
        while series and series not in seen:
            seen.add(series)
            chain.append(series)
            entry = self.entity(series)
            series = entry.series if entry is not None else None
        return chain

    # -- places ---------------------------------------------------------------------------------
    def _places(self, out: Extraction, doc: Prose, runs: dict[int, list[Run]], covered: Spans,
                events: list[tuple[int, int]], folded: str, lang: str) -> None:
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
            place = self._choose_place(candidates, folded, surface)
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
            self._add_place(out, doc, place, start, end, lang, surface, method, block_kind)
            covered.add(start, end)
            return j
        return i

    def _places_in_event_names(self, out: Extraction, doc: Prose, events: list[tuple[int, int]], folded: str,
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
                            self._add_place(out, doc, self._choose_place(candidates, folded, doc.masked[s:e]), s, e, lang,
                                            doc.masked[s:e], "gazetteer:event-name", block.kind if block else "")
                            step = j - i
                            break
                    i += step

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

    def _choose_place(self, candidates: list[Place], folded: str, surface: str = "") -> Place:
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

    def _add_place(self, out: Extraction, doc: Prose, place: Place, start: int, end: int, lang: str, surface: str,
                   method: str, block_kind: str) -> None:
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

    # -- names nobody listed ---------------------------------------------------------------------
    def _unknown(self, out: Extraction, doc: Prose, runs: dict[int, list[Run]], covered: Spans,
                 page: Page) -> None:
        candidates: list[Candidate] = find_repository_links(page.text, page.body_offset)
        for index, block_runs in runs.items():
            block = doc.blocks[index]
            candidates += find_events(doc.masked, block_runs)
            candidates += find_organizations(doc.masked, block_runs, block.start, block.end)
            if block.kind in ("paragraph", "item", "quote", "table"):
                candidates += find_affiliations(doc.masked, block.start, block.end)
                candidates += find_venues(doc.masked, block.start, block.end)
        candidates += self._list_members(out, doc, runs)
        year = page.date.year if page.date is not None else None
        body_text = key_of(" ".join(doc.masked[b.start:b.end] for b in doc.blocks
                                    if b.kind not in ("title", "heading")))
        # an event named after a known project or organisation ("Helm Summit EU 2019", "Linkerd Day")
        named_after = {m.start: m.end for m in out.mentions if m.kind in ("project", "organization")}
        namers = ByStart(m for m in out.mentions if m.kind in ("project", "organization", "place"))
        unnamed = len(out.mentions) - len(namers)  # out.mentions only grows: the rest is added below
        for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
            for m in out.mentions[len(namers) + unnamed:]:  # what the last candidate added
                if m.kind in ("project", "organization", "place"):
                    namers.add(m)
                else:
                    unnamed += 1
            rest = named_after.get(c.start, c.start) if c.kind == "event" else c.start
            # "San Francisco Linkerd Meetup": a place and a project inside an event's name
            inside = sorted((m.start, m.end) for m in namers.within(c.start, c.end) if m.end < c.end) \
                if (c.kind == "event" and ends_with_event_head(c.name)) or c.kind == "place" else []
            if rest >= c.end or _blocked(covered, rest, c.end, inside):  # not "Día de … Kubernetes"
                continue
            known = self.gazetteer.lookup(c.name)
            if known and c.kind not in ("event", "place"):
                continue
            if known and c.kind == "place":
                continue  # "Venue: Guadalajara": the gazetteer's place, found by the place layer
            block = doc.block_at(c.start)
            if block is not None and block.kind in ("title", "heading") and key_of(c.name) not in body_text:
                continue  # Title Case makes every word capitalised: a name must recur in the body
            covered.add(c.start, c.end)
            prefix = {"event": "event", "project": "project", "organization": "org", "place": "place/venue"}[c.kind]
            # A name defined with its acronym ("… de Open Source Software (CCOSS)") is minted from the
            # acronym, which stays the same when the name is translated.
            acronym = re.match(r"^[ \t]*\(([A-Z][A-Za-z0-9]{1,9})\)", doc.masked[c.end:c.end + 16])
            minted_from = acronym.group(1) if acronym else _singular_head(c.name) if c.kind == "event" else c.name
            base_iri = f"{self.base}{prefix}/{slugify(minted_from)}"
            types = {"event": ("https://schema.org/Event",),
                     "project": ("http://usefulinc.com/ns/doap#Project", "https://schema.org/SoftwareSourceCode"),
                     "organization": ("https://schema.org/Organization",),
                     "place": ("https://schema.org/Place",)}[c.kind]
            iri = base_iri
            confidence = 0.6
            if c.kind == "event" and c.month and not c.year and page.date is not None:
                # "the May Meetup" in a post of May: that year's (a month more than a season away says nothing)
                gap = (c.month - page.date.month) % 12
                if min(gap, 12 - gap) <= 3:
                    c = dataclasses.replace(c, year=page.date.year + (1 if c.month < page.date.month - 6 else 0)
                                            - (1 if c.month > page.date.month + 6 else 0))
                else:
                    c = dataclasses.replace(c, month=None)
            if c.kind == "event" and (c.year or (year and _THIS_YEAR.search(self._sentence_text(doc, c.start)))):
                series_iri = base_iri
                out.entities.setdefault(series_iri, NewEntity(series_iri, "event", ("https://schema.org/EventSeries",),
                                                              {page.lang: c.name}, confidence=confidence,
                                                              method=c.pattern))
                region = c.extra if c.year else None  # "FluxCon Europe 2026" is not "FluxCon NA 2026"
                iri = f"{base_iri}/{slugify(region) + '-' if region else ''}{c.year or year}"
                label = f"{c.name} {region} {c.year}" if region else f"{c.name} {c.year or year}"
                if c.month:  # "March 2019 San Francisco Linkerd Meetup": one of a monthly series
                    iri = f"{base_iri}/{c.year}-{c.month:02d}"
                    label = f"{c.name} {_MONTH_NAMES[c.month - 1]} {c.year}"
                out.entities.setdefault(iri, NewEntity(iri, "event", types, {page.lang: label},
                                                       series=series_iri, year=c.year or year,
                                                       confidence=confidence, method=c.pattern))
                out.kinds[series_iri] = "event"
            else:
                entity = out.entities.setdefault(iri, NewEntity(iri, c.kind, types, {}, confidence=confidence,
                                                                method=c.pattern, repository=c.extra))
                entity.names.setdefault(page.lang, c.name)
            out.kinds[iri] = c.kind
            sentence = doc.sentence_at(c.start)
            out.mentions.append(Mention(iri, c.kind, c.start, c.end, confidence, c.pattern,
                                        block.kind if block else "paragraph",
                                        (sentence.start, sentence.end) if sentence else None))
            self._acronym(out, doc, covered, c, iri, confidence, page.lang)

    def _acronym(self, out: Extraction, doc: Prose, covered: Spans, c: Candidate, iri: str,
                 confidence: float, lang: str) -> None:
        """"Cumbre de Contribuidores de Open Source Software (CCOSS)": the acronym names it elsewhere."""
        m = re.match(r"^[ \t]*\(([A-Z][A-Za-z0-9]{1,9})\)", doc.masked[c.end:c.end + 16])
        if not m:
            return
        acronym = m.group(1)
        entity = out.entities.get(iri)
        if entity is not None:
            entity.aliases.add((acronym, lang))
        for hit in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", doc.masked):
            if covered.overlaps(hit.start(), hit.end()):
                continue
            covered.add(hit.start(), hit.end())
            block = doc.block_at(hit.start())
            sentence = doc.sentence_at(hit.start())
            out.mentions.append(Mention(iri, c.kind, hit.start(), hit.end(), confidence, "pattern:acronym",
                                        block.kind if block else "paragraph",
                                        (sentence.start, sentence.end) if sentence else None))

    def _list_members(self, out: Extraction, doc: Prose, runs: dict[int, list[Run]]) -> list[Candidate]:
        """In an enumeration where most named items are organisations we know ("Akamai, AWS, Cast AI,
        CNCF, EPAM …"), the unknown capitalised items are organisations too."""
        known_kind = {(m.start, m.end): m.kind for m in out.mentions}
        found: list[Candidate] = []
        for sentence in doc.sentences:
            text = doc.masked[sentence.start:sentence.end]
            if text.count(",") < 3:
                continue
            items: list[tuple[int, int]] = []
            pos = sentence.start
            for part in re.split(r"(,|:|—|\band\b|\by\b|\be\b)", text):
                stripped = part.strip()
                if stripped and part not in (",", ":", "—", "and", "y", "e"):
                    lead = len(part) - len(part.lstrip())
                    items.append((pos + lead, pos + lead + len(stripped)))
                pos += len(part)
            kinds = [known_kind.get(span) for span in items]
            orgs = sum(k == "organization" for k in kinds)
            if orgs < 2 or orgs < sum(k is not None for k in kinds) / 2:
                continue
            for (start, end), kind in zip(items, kinds, strict=True):
                name = doc.masked[start:end].rstrip(".")
                words = name.split()
                if kind is None and 1 <= len(words) <= 3 and all(w[:1].isupper() or w[:1].isdigit() for w in words):
                    found.append(Candidate(start, start + len(name), " ".join(words), "organization",
                                           "pattern:list-of-organizations"))
        return found

    @staticmethod
    def _sentence_text(doc: Prose, offset: int) -> str:
        s = doc.sentence_at(offset)
        return doc.masked[s.start:s.end] if s else ""

    # -- front matter ---------------------------------------------------------------------------
    def _front_matter(self, out: Extraction, page: Page, year: int | None) -> None:
        """Tags, categories and series that name a known entity link to it."""
        head = page.text[:page.body_offset]
        for taxonomy, terms in page.taxonomies.items():
            if taxonomy in ("authors", "author"):
                continue
            for term in terms:
                linked = self.term_entity(term)
                entry = self.entity(linked[0]) if linked else None
                if entry is None:
                    continue
                out.tag_links.append((taxonomy, term, entry.iri))
                out.kinds.setdefault(entry.iri, entry.kind)
                if entry.kind == "topic":
                    continue
                pos = _find_term(head, term, taxonomy)
                if pos is not None:
                    out.mentions.append(Mention(entry.iri, entry.kind, pos, pos + len(term),
                                                CONFIDENCE["front-matter"], f"front-matter:{taxonomy}",
                                                "front-matter", None))

    # -- main subjects --------------------------------------------------------------------------
    def _about(self, out: Extraction, doc: Prose) -> None:
        """The events, projects and organisations the title names; if it names none, those of the
        opening paragraph."""
        kinds = ("event", "project", "organization")
        title = [m.iri for m in out.mentions if m.block == "title" and m.kind in kinds]
        if not title:
            first = next((b for b in doc.blocks if b.kind == "paragraph"), None)
            if first is not None:
                title = [m.iri for m in out.mentions if m.kind in kinds and first.start <= m.start < first.end]
        out.about = list(dict.fromkeys(title))


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_PLURAL_HEADS = {"Summits": "Summit", "Conferences": "Conference", "Meetups": "Meetup", "Hackathons": "Hackathon",
                 "Workshops": "Workshop", "Cumbres": "Cumbre", "Conferencias": "Conferencia"}


def _singular_head(name: str) -> str:
    """"two Helm Summits" and "the Helm Summit" are one series: mint from the singular head."""
    head, _, last = name.rpartition(" ")
    return f"{head} {_PLURAL_HEADS[last]}" if head and last in _PLURAL_HEADS else name


_URL = re.compile(r"https?://[^\s)\]>\"'<]+")
_ROLE_AT = re.compile(r"\b(?:engineer|developer|CTO|CEO|COO|CFO|founder|co-founder|VP|director|manager|maintainer|"
                      r"architect|evangelist|advocate|employee|lead|head|intern|PM|SRE|staff|team)s?\s+"
                      r"(?:[\w-]+\s+){0,3}?(?:at|@|from|of|en|em|de)\s+$", re.I)
# "Philippe Ensarguet (Orange)": a speaker's employer in brackets after the name
_PERSON_BRACKET = re.compile(r"(?:^|[\s,&-])[A-ZÀ-Ý][a-zà-ÿ'’-]+(?:\s+[A-ZÀ-Ý][a-zà-ÿ'’-]+){1,2}\s*\(\s*$")
_ORG_AFTER = re.compile(r"(?:'s|’s)?\s+(?:VP|CEO|CTO|COO|founder|co-founder|engineers?|employees|customers|"
                        r"profitability|acquisition|Inc|Labs|GmbH|Ltd)\b")
_LINK_AFTER = re.compile(r"[^\]\[\n]{0,40}\]\((https?://[^)\s]+)")
_HOME_PREDICATES = {"https://schema.org/url", "https://schema.org/codeRepository", "http://usefulinc.com/ns/doap#homepage",
                    "https://schema.org/sameAs"}
_CODE_HOSTS = {"github.com", "gitlab.com", "codeberg.org", "bitbucket.org"}


def _site_of(url: str) -> str:
    """"buoyant.io" for https://www.buoyant.io/blog/x; "github.com/helm" for a repository of helm's."""
    rest = url.split("://", 1)[-1]
    host, _, path = rest.partition("/")
    host = host.lower().removeprefix("www.").split(":")[0]
    if host in _CODE_HOSTS:
        owner = path.split("/", 1)[0].lower()
        return f"{host}/{owner}" if owner else host
    return host


def _blocked(covered: Spans, start: int, end: int, allowed: list[tuple[int, int]] | tuple = ()) -> bool:
    """Whether an accepted mention covers part of [start, end), apart from the `allowed` spans."""
    for a, b in allowed:
        if b <= start or a >= end:
            continue
        if covered.overlaps(start, a):
            return True
        start = b
    return start < end and covered.overlaps(start, end)


def _without_series_regions(mentions: list[Mention], text: str) -> list[Mention]:
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


_LOWER_WORD_BEFORE = re.compile(r"(?:^|[\s(])[a-zà-ÿ][\w'’-]*,?[ \t]*\n?[ \t]*$")
_CAPITALISED_AFTER = re.compile(r"[ \t]+(?:[A-ZÀ-Ý0-9]|of |de |do |da )")


def _written_as_names(doc: Prose, matches: list[Match]) -> set[str]:
    """Entities whose ambiguous one-word name the post writes as a name at least twice: with its
    capital after a lower-case word in running text ("… shortly after the release, Helm was born",
    "from there Helm development …"), not at the start of a sentence nor inside a longer
    capitalised name ("Salt Lake City", "Shaping the Future"). An everyday word is not written so."""
    counts: dict[str, int] = {}
    for m in matches:
        surface = doc.masked[m.start:m.end]
        if " " in surface.strip() or not surface[:1].isupper() or surface.isupper():
            continue
        before = doc.masked[max(0, m.start - 40):m.start]
        if not _LOWER_WORD_BEFORE.search(before) or _CAPITALISED_AFTER.match(doc.masked, m.end):
            continue
        if before.rstrip()[-1:] in ("-", "—", "–"):
            continue
        sentence = doc.sentence_at(m.start)
        if sentence is None or doc.blocks[sentence.block].kind not in ("paragraph", "item", "quote"):
            continue
        for iri in m.iris:
            counts[iri] = counts.get(iri, 0) + 1
    return {iri for iri, n in counts.items() if n >= 2}


def _find_term(head: str, term: str, taxonomy: str) -> int | None:
    """Offset of a taxonomy term in the front matter, after its key (`tags:`, `tags =`, `"tags":`)."""
    key = re.search(rf"(?mi)^[ \t]*\"?{re.escape(taxonomy)}\"?[ \t]*[:=]", head)
    for m in re.compile(re.escape(term)).finditer(head, key.end() if key else 0):
        before = head[m.start() - 1] if m.start() else ""
        after = head[m.end()] if m.end() < len(head) else ""
        if not (before.isalnum() or after.isalnum()):
            return m.start()
    return None


def _now_year() -> int:
    return dt.date.today().year
