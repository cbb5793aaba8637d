"""What a post talks about: entities found in its text and front matter, each with evidence.

A pure function of a page, the vocabulary and the gazetteer, assembled here from its parts: known
names come from one matcher pass (graph.extract.matcher), an ambiguous one kept only with context
(graph.extract.name_context); editions of event series from the words around a series' name
(graph.extract.edition_mentions, the editions themselves from graph.extract.editions); places from
the gazetteer when the context says they are places (graph.extract.place_mentions); unknown
events, projects and organisations from how they are named (graph.extract.new_names); then the
relations the post states between them (graph.extract.relations), so that `extract` returns a
finished `Extraction`. Nothing here knows about particular posts.
"""

from __future__ import annotations

import re

from graph.extract.cues import LOCATION_NAME
from graph.extract.edition_mentions import edition_named, resolve_discourse, resolve_pattern_series
from graph.extract.editions import Editions
from graph.extract.extraction import CONFIDENCE, Spans
from graph.extract.matcher import Match, Matcher, entry_named, fold_keeping_offsets, key_of, label_index
from graph.extract.name_context import NameContext, SitesOf, written_as_names
from graph.extract.new_names import find_new_names
from graph.extract.patterns import capitalised_runs
from graph.extract.place_mentions import PlaceFinder, without_series_regions
from graph.extract.places import Gazetteer, gazetteer
from graph.extract.relations import RelationFinder
from graph.extract.text import Prose, prose
from graph.extract.vocabulary import Entry, Vocabulary, load_vocabulary
from graph.model import Extraction, Mention, NewEntity, Page

__all__ = ["CONFIDENCE", "PATTERN_LANGUAGES", "Extraction", "Extractor", "Mention", "NewEntity"]

#: Languages whose naming patterns and place cues the extractor knows; pages in other languages
#: ("ko", "uk") get only what the vocabulary and the gazetteer's event names say
PATTERN_LANGUAGES = frozenset({"en", "es", "pt"})


class Extractor:
    """Compiled once per build (and per worker process): vocabulary matcher and gazetteer."""

    def __init__(self, vocabulary: Vocabulary, gazetteer: Gazetteer, site_title: str | None = None) -> None:
        self.vocabulary = vocabulary
        self.gazetteer = gazetteer
        self.base = vocabulary.base
        self.matcher = Matcher(vocabulary.entries.values())
        self.editions = Editions(vocabulary, gazetteer)  # the relation finder asks it too
        self.relations = RelationFinder(self.editions, vocabulary)
        self.places = PlaceFinder(vocabulary, gazetteer)
        self._sites_of = SitesOf(vocabulary)
        self._labels: dict | None = None  # see term_entity
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
        """Everything the post says: its mentions, the entities it defines, and the relations it
        asserts between them (`claims`; an edition a relation names but the text did not write out
        is among the entities)."""
        out = self.mentions(page)
        out.claims = self.relations.find(page, out)
        return out

    def mentions(self, page: Page) -> Extraction:
        """The post's mentions and the entities it defines, without the relations between them."""
        doc = prose(page.text, page.body_offset)
        out = Extraction(prose=doc)
        year = page.date.year if page.date is not None else None
        folded_text = fold_keeping_offsets(doc.masked)
        matches = self.matcher.find(doc.masked)
        tags = {key_of(t) for terms in page.taxonomies.values() for t in terms}
        named = written_as_names(doc, matches)
        context = NameContext(self.vocabulary, self.site_subjects, self._sites_of, page.text, doc, matches)
        kept: list[Match] = []
        for index, m in enumerate(matches):
            entries = [e for e in (self.entity(i) for i in m.iris) if e is not None]
            if not entries:
                continue
            entry = entries[0]
            one_word = " " not in key_of(doc.masked[m.start:m.end])
            common = any(sf.common_word for sf in m.surfaces)
            ambiguous = common or (entry.needs_context and one_word)
            if ambiguous and entry.iri not in named and not context.has_context(m, entry, tags, strict=common,
                                                                                index=index):
                continue
            kept.append(m)
            self._add_known(out, doc, m, entry, year)
        resolve_discourse(self.editions, out, doc)
        # where the vocabulary holds the editions the post names ("Pasadena, California") helps to
        # tell the post's Pasadena from the other ones
        folded_text += "".join(" " + fold_keeping_offsets(t.object.value) for iri in {m.iri for m in out.mentions}
                               for t in self.vocabulary.by_subject.get(iri, ()) if t.predicate.value == LOCATION_NAME)
        covered = Spans(len(page.text))
        for m in kept:
            if not all(i in self.matcher.topics for i in m.iris):  # a theme's word may start a name: "GitOps Days"
                covered.add(m.start, m.end)
        events = [(m.start, m.end) for m in out.mentions if m.kind == "event"]
        runs = {i: capitalised_runs(doc.masked, b.start, b.end) for i, b in enumerate(doc.blocks) if b.kind != "alt"}
        self.places.in_event_names(out, doc, events, folded_text, page.lang)
        patterns = page.lang.split("-")[0].lower() in PATTERN_LANGUAGES or not page.lang
        if patterns:  # naming patterns and place cues are written for en/es/pt; elsewhere the vocabulary only
            self.places.in_text(out, doc, runs, covered, events, folded_text, page.lang)
            find_new_names(out, doc, runs, covered, page, self.gazetteer, self.base)
            resolve_pattern_series(out, doc)
        self._front_matter(out, page)
        self._about(out, doc)
        out.mentions = without_series_regions(out.mentions, doc.masked)
        # one mention per span and entity (a tag and the text can both name it), best first
        best: dict[tuple[int, int, str], Mention] = {}
        for m in out.mentions:
            key = (m.start, m.end, m.iri)
            if key not in best or m.confidence > best[key].confidence:
                best[key] = m
        out.mentions = sorted(best.values(), key=lambda m: (m.start, m.end, m.iri))
        return out

    # -- known entities -------------------------------------------------------------------------
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
                self.places.city_in_name(out, doc, entry.iri, m.start, m.end, kind_block)
            return
        # A series: which edition does the text mean?
        named = edition_named(self.editions, out, doc, m, entry, year, sent, kind_block)
        if named.city_end is not None:  # "KubeCon London": the city is part of the name, and a place
            self.places.city_in_name(out, doc, named.edition, m.start, named.city_end, kind_block)
        out.kinds[named.series.iri] = "event"
        if named.edition is None:
            out.mentions.append(Mention(named.series.iri, "event", m.start, m.end, CONFIDENCE["vocabulary"],
                                        "vocabulary", kind_block, sent))
            return
        out.kinds[named.edition] = "event"
        out.mentions.append(Mention(named.edition, "event", m.start, named.end, CONFIDENCE[named.method],
                                    named.method, kind_block, sent))

    # -- front matter ---------------------------------------------------------------------------
    def _front_matter(self, out: Extraction, page: Page) -> None:
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


def _find_term(head: str, term: str, taxonomy: str) -> int | None:
    """Offset of a taxonomy term in the front matter, after its key (`tags:`, `tags =`, `"tags":`)."""
    key = re.search(rf"(?mi)^[ \t]*\"?{re.escape(taxonomy)}\"?[ \t]*[:=]", head)
    for m in re.compile(re.escape(term)).finditer(head, key.end() if key else 0):
        before = head[m.start() - 1] if m.start() else ""
        after = head[m.end()] if m.end() < len(head) else ""
        if not (before.isalnum() or after.isalnum()):
            return m.start()
    return None
