"""The curated vocabulary (`ontology/vocabulary/*.ttl`), compiled into entries the matcher uses.

Files use relative IRIs (`<project/kubernetes>`), resolved against the build's entity base, so
the same files serve every site. Every entry's labels (schema:name, skos:prefLabel,
skos:altLabel, in any language) become surface forms; `pg:matchCase`, `pg:needsContext` and
`pg:noMatchLabel` say how strictly they match (see ontology/README.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import DOAP, PG, RDF, RDFS, SDO, SKOS
from graph.ontology import ONTOLOGY_DIR

VOCABULARY_DIR = ONTOLOGY_DIR / "vocabulary"

# Plain strings: some of these schema.org classes are missing from rdflib's SDO namespace.
_S = str(SDO)
_EVENT_TYPES = {_S + c for c in ("Event", "EventSeries", "ConferenceEvent", "BusinessEvent", "EducationEvent",
                                 "SocialEvent", "Festival", "Hackathon")}
_PROJECT_TYPES = {str(DOAP.Project), str(SDO.SoftwareSourceCode), str(SDO.SoftwareApplication)}
_ORG_TYPES = {_S + c for c in ("Organization", "NGO", "Corporation", "EducationalOrganization",
                                    "CollegeOrUniversity", "GovernmentOrganization", "ResearchOrganization",
                                    "NonprofitOrganization", "Consortium")}
_PLACE_TYPES = {_S + c for c in ("Place", "City", "Country", "AdministrativeArea", "State", "Continent")}
#: How the matcher reads an entry; never part of the data (DESIGN.md: the vocabulary is an input).
HINTS = frozenset({str(PG.matchCase), str(PG.needsContext), str(PG.noMatchLabel)})
_LABELS = (str(SDO.name), str(SKOS.prefLabel), str(SKOS.altLabel), str(RDFS.label), str(SDO.alternateName))
# The predicates `load_vocabulary` reads, as plain strings made once: an rdflib namespace makes and
# checks a new term on every attribute access, 14,000 of them per load (a third of its time).
_TYPE, _NAME, _PREF_LABEL, _START_DATE = str(RDF.type), str(SDO.name), str(SKOS.prefLabel), str(SDO.startDate)
_SUPER_EVENT, _EVENT_SERIES, _ORGANIZER, _IS_PART_OF = (str(SDO.superEvent), str(SDO.EventSeries),
                                                        str(SDO.organizer), str(SDO.isPartOf))
_CONCEPT = str(SKOS.Concept)
_MATCH_CASE, _NEEDS_CONTEXT, _NO_MATCH_LABEL, _EDITION_LABEL = (str(PG.matchCase), str(PG.needsContext),
                                                                str(PG.noMatchLabel), str(PG.editionLabel))


def kind_of(types: set[str] | frozenset[str]) -> str | None:
    """event, project, organization, place or topic — the kinds extraction and gold files use."""
    if types & _EVENT_TYPES:
        return "event"
    if types & _PROJECT_TYPES:
        return "project"
    if types & _ORG_TYPES:
        return "organization"
    if types & _PLACE_TYPES:
        return "place"
    if _CONCEPT in types:
        return "topic"
    return None


@dataclass(frozen=True)
class Entry:
    """One known entity and how to find it in text."""

    iri: str
    kind: str
    types: frozenset[str]
    names: dict[str, str]  # language -> display name (schema:name / skos:prefLabel)
    labels: tuple[tuple[str, str], ...]  # every matchable (label, language)
    match_case: bool = False
    needs_context: bool = False
    series: str | None = None  # schema:superEvent: for an edition its series, for a series its broader one
    is_series: bool = False
    year: int | None = None  # editions
    edition_label: str | None = None
    organizer: str | None = None
    part_of: str | None = None  # schema:isPartOf: the larger project a component belongs to

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or next(iter(self.names.values()), self.iri)


@dataclass
class Vocabulary:
    base: str
    entries: dict[str, Entry] = field(default_factory=dict)
    triples: list[ox.Triple] = field(default_factory=list)
    fingerprint: str = ""
    by_subject: dict[str, list[ox.Triple]] = field(default_factory=dict, repr=False)  # iri -> its triples
    _editions: dict[str, dict[int, Entry]] | None = field(default=None, repr=False, compare=False)

    def editions_of(self, series: str) -> dict[int, Entry]:
        """year -> the known edition of a series (several per year keep the first). An index built
        once: extraction asks for every series mention."""
        if self._editions is None:
            index: dict[str, dict[int, Entry]] = {}
            for entry in self.entries.values():
                if entry.series and entry.year is not None and not entry.is_series:
                    index.setdefault(entry.series, {}).setdefault(entry.year, entry)
            self._editions = index
        return dict(self._editions.get(series, {}))

    def quads(self, graph: ox.NamedNode) -> list[ox.Quad]:
        """The curated list for curators (its own named graph), without the matcher's hints."""
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in self.triples
                if t.predicate.value not in HINTS]

    def description(self, node: str) -> list[tuple[str, str]] | None:
        """What the knowledge graph says of a known entity once a post mentions it: the (predicate,
        object) pairs of `node` (`<iri>`) in N-Triples syntax, without matcher hints; None when the
        vocabulary does not describe it."""
        triples = self.by_subject.get(node[1:-1]) if node.startswith("<") else None
        if triples is None:
            return None
        return [(str(t.predicate), str(t.object)) for t in triples if t.predicate.value not in HINTS]


def _flag(props: dict[str, list[ox.NamedNode | ox.Literal]], prop: object) -> bool:
    return any(o.value == "true" for o in props.get(str(prop), []))


def _files(directory: Path) -> list[Path]:
    """The vocabulary's Turtle files; none is an error (a broken install), not an empty vocabulary."""
    files = sorted(directory.glob("*.ttl")) if directory.is_dir() else []
    if not files:
        from graph.ontology import OntologyMissing

        raise OntologyMissing(f"no vocabulary files (*.ttl) in {directory}; reinstall postgraph")
    return files


def vocabulary_fingerprint(directory: Path = VOCABULARY_DIR) -> str:
    h = hashlib.sha256()
    for path in _files(directory):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=8)
def load_vocabulary(base: str, directory: Path = VOCABULARY_DIR) -> Vocabulary:
    """Parse every vocabulary file with `base` as base IRI and compile the entries."""
    from graph.ontology import stable_blank_nodes

    triples: list[ox.Triple] = []
    for path in _files(directory):
        with open(path, "rb") as f:
            parsed = [ox.Triple(q.subject, q.predicate, q.object)
                      for q in ox.parse(f, format=ox.RdfFormat.TURTLE, base_iri=base)]
        triples.extend(stable_blank_nodes(parsed, prefix=f"v{path.stem}"))
    by_subject: dict[str, dict[str, list[ox.NamedNode | ox.Literal]]] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            by_subject.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object)
    vocab = Vocabulary(base=base, triples=triples, fingerprint=vocabulary_fingerprint(directory))
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            vocab.by_subject.setdefault(t.subject.value, []).append(t)
    for iri, props in by_subject.items():
        types = frozenset(o.value for o in props.get(_TYPE, []))
        kind = kind_of(types)
        if kind is None:
            continue
        no_match = {o.value for o in props.get(_NO_MATCH_LABEL, [])}
        names: dict[str, str] = {}
        for pred in (_NAME, _PREF_LABEL):
            for o in props.get(pred, []):
                if isinstance(o, ox.Literal):
                    names.setdefault(o.language or "", o.value)
        labels = tuple(dict.fromkeys(
            (o.value, o.language or "") for pred in _LABELS for o in props.get(pred, [])
            if isinstance(o, ox.Literal) and o.value not in no_match))
        year = None
        for o in props.get(_START_DATE, []):
            year = int(o.value[:4])
        series = next((o.value for o in props.get(_SUPER_EVENT, []) if isinstance(o, ox.NamedNode)), None)
        is_series = _EVENT_SERIES in types
        if not is_series and year is None and series and iri.rstrip("/").rsplit("/", 1)[-1][:4].isdigit():
            year = int(iri.rstrip("/").rsplit("/", 1)[-1][:4])
        edition = next((o.value for o in props.get(_EDITION_LABEL, [])), None)
        organizer = next((o.value for o in props.get(_ORGANIZER, []) if isinstance(o, ox.NamedNode)), None)
        part_of = next((o.value for o in props.get(_IS_PART_OF, []) if isinstance(o, ox.NamedNode)), None)
        vocab.entries[iri] = Entry(
            iri=iri, kind=kind, types=types, names=names, labels=labels,
            match_case=_flag(props, _MATCH_CASE), needs_context=_flag(props, _NEEDS_CONTEXT), series=series,
            is_series=is_series, year=year if not is_series else None, edition_label=edition, organizer=organizer,
            part_of=part_of,
        )
    return vocab
