"""Consolidation: what the posts say about an entity becomes the knowledge graph's one account of it.

Data model version 2 (DESIGN.md). Each post's named graph says what that post says; the default
graph holds every fact once. This module decides, for a set of entities, what the default graph
says about them:

- An entity is in the knowledge graph when at least one post mentions it or says something about
  it, or when a fact of the knowledge graph points at it (the series of an edition, the
  organizer the vocabulary gives, the state and country of a city).
- Its description comes from the vocabulary when it is a known entity (matcher hints never), from
  the gazetteer when it is a place, else from what the posts call it (per language the name most
  posts use; the others become `skos:altLabel`).
- A property with one value per edition (`SINGLE_VALUED`: start date, end date, location, series)
  gets one value: the vocabulary's, else the one most posts assert (ties: the smallest value, so
  the same input always gives the same graph). The other values stay in the posts' graphs, where
  `conflicts` (graph.query) finds them.
- Any other relation a post asserts (co-location, organizer, sponsor, themes, featured projects)
  is in the knowledge graph once, however many posts assert it; co-location in both directions.

The inputs are plain strings in N-Triples syntax (`<iri>`, `"text"@en`), so this works alike for
the embedded store and a SPARQL server: `Evidence` is what the posts say, gathered by the build.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from graph.extract.places import Gazetteer, Place
from graph.extract.vocabulary import Vocabulary
from graph.namespaces import RDF, SDO, SEO, SKOS

TYPE = f"<{RDF.type}>"
NAME = f"<{SDO.name}>"
PREF = f"<{SKOS.prefLabel}>"
ALT = f"<{SKOS.altLabel}>"
COLOCATED = f"<{SEO.colocatedWith}>"
EVENT, EVENT_SERIES = f"<{SDO.Event}>", f"<{SDO.EventSeries}>"
#: Properties with one value per entity in the knowledge graph.
SINGLE_VALUED = (f"<{SDO.startDate}>", f"<{SDO.endDate}>", f"<{SDO.location}>", f"<{SDO.superEvent}>")
#: Symmetric relations: stated once by a post, in both directions in the knowledge graph.
SYMMETRIC = (COLOCATED,)
_LABELS = (NAME, PREF)

#: (graph, subject, predicate, object), every term in N-Triples syntax but the graph (a bare IRI).
Statement = tuple[str, str, str, str]


@dataclass
class Evidence:
    """What the posts say about some entities: their statements, and which posts mention them."""

    statements: list[Statement] = field(default_factory=list)
    mentioned: set[str] = field(default_factory=set)  # entities (`<iri>`) at least one post mentions
    referenced: set[str] = field(default_factory=set)  # entities a fact of the knowledge graph points at


#: fetch(entities) -> what the posts say about these entities (subjects as `<iri>`).
Fetch = Callable[[set[str]], Evidence]


@dataclass
class Consolidated:
    """The default graph's statements about `subjects`: replace every statement whose subject is
    one of them with `lines` (N-Triples)."""

    subjects: set[str]
    lines: list[str]


def _iri(term: str) -> str:
    return term[1:-1]


def place_description(place: Place, node: str, base: str) -> list[tuple[str, str, str]]:
    """A gazetteer place as triples: class, names in en/es/pt, containment, GeoNames, coordinates."""
    from graph.map.pages import lang_literal

    out = [(node, TYPE, f"<{SDO}{place.kind}>")]
    out += [(node, NAME, str(lang_literal(name, lang))) for lang, name in sorted(place.names)]
    parent = place.admin or place.country
    if parent:
        out.append((node, f"<{SDO.containedInPlace}>", f"<{base}{parent}>"))
    if place.geonames:
        out.append((node, f"<{SDO.sameAs}>", f"<https://sws.geonames.org/{place.geonames}/>"))
    if place.latitude is not None and place.longitude is not None:
        geo = f"<{_iri(node)}#geo>"
        decimal = "^^<http://www.w3.org/2001/XMLSchema#decimal>"
        out += [(node, f"<{SDO.geo}>", geo), (geo, TYPE, f"<{SDO.GeoCoordinates}>"),
                (geo, f"<{SDO.latitude}>", f'"{place.latitude}"{decimal}'),
                (geo, f"<{SDO.longitude}>", f'"{place.longitude}"{decimal}')]
    return out


class Consolidator:
    """Consolidates entities against one vocabulary (and the gazetteer, loaded only if a place
    is touched)."""

    def __init__(self, vocabulary: Vocabulary, gazetteer: Callable[[], Gazetteer]) -> None:
        self.vocabulary = vocabulary
        self.base = vocabulary.base
        self._gazetteer = gazetteer

    def place(self, iri: str) -> Place | None:
        path = iri[len(self.base):] if iri.startswith(self.base + "place/") else None
        return self._gazetteer().places.get(path) if path else None

    def run(self, touched: Iterable[str], fetch: Fetch) -> Consolidated:
        """Re-consolidate `touched` entities (bare IRIs) and what their facts point at."""
        done: set[str] = set()
        pointed: set[str] = set()  # reached from a fact of the knowledge graph
        lines: list[str] = []
        subjects: set[str] = set()
        todo = {f"<{i}>" for i in touched}
        while todo:
            batch = todo - done
            if not batch:
                break
            done |= batch
            evidence = fetch(batch)
            by_subject: dict[str, list[Statement]] = defaultdict(list)
            for st in evidence.statements:
                by_subject[st[1]].append(st)
                if st[2] in SYMMETRIC and st[3] in batch:  # the other direction of a symmetric fact
                    by_subject[st[3]].append((st[0], st[3], st[2], st[1]))
            todo = set()
            for node in sorted(batch):
                subjects.add(_iri(node))
                triples = self.describe(node, by_subject.get(node, []))
                keep = bool(triples) and (node in evidence.mentioned or bool(by_subject.get(node))
                                          or node in evidence.referenced or node in pointed)
                if not keep:
                    continue
                for s, p, o in triples:
                    if s != node:
                        subjects.add(_iri(s))
                    lines.append(f"{s} {p} {o} .\n")
                    if o.startswith("<") and o not in done and self._describable(o) and p != TYPE:
                        pointed.add(o)
                        todo.add(o)
        return Consolidated(subjects, lines)

    def _describable(self, node: str) -> bool:
        iri = _iri(node)
        return iri in self.vocabulary.by_subject or iri.startswith(self.base + "place/")

    def describe(self, node: str, said: list[Statement]) -> list[tuple[str, str, str]]:
        """The default graph's triples about one entity, from the vocabulary, the gazetteer and
        what the posts say (`said`: statements whose subject is `node`)."""
        out: list[tuple[str, str, str]] = []
        vocab = self.vocabulary.description(node)
        place = None if vocab else self.place(_iri(node))
        known_props: set[str] = set()
        if vocab:
            out += [(node, p, o) for p, o in vocab]
            known_props = {p for p, _ in vocab}
        elif place is not None:
            out += place_description(place, node, self.base)
            known_props = {p for _, p, _ in out}
        # how many posts say each value
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for _graph, _s, p, o in set(said):  # a post that says a thing twice counts once
            votes[p][o] += 1
        if not vocab and place is None:
            types = set(votes.get(TYPE, ()))
            if EVENT_SERIES in types:
                types.discard(EVENT)
            out += [(node, TYPE, t) for t in sorted(types)]
            for label_prop in _LABELS:
                by_lang: dict[str, Counter[str]] = defaultdict(Counter)
                for literal, n in votes.get(label_prop, Counter()).items():
                    by_lang[_language(literal)][literal] = n
                for _lang, counts in sorted(by_lang.items()):
                    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                    out.append((node, label_prop, ranked[0][0]))
                    out += [(node, ALT, other) for other, _ in ranked[1:]]
        for p, counts in sorted(votes.items()):
            if p in (TYPE, *_LABELS):
                continue
            if p in SINGLE_VALUED:
                if p in known_props:
                    continue  # the vocabulary (or the gazetteer) decides
                value = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                out.append((node, p, value))
            else:
                out += [(node, p, o) for o in sorted(counts)]
        return list(dict.fromkeys(out))


def _language(literal: str) -> str:
    """The language tag of a literal in N-Triples syntax ('"x"@en' -> 'en'), '' if none."""
    end = literal.rfind('"')
    rest = literal[end + 1:]
    return rest[1:] if rest.startswith("@") else ""
