"""An extraction becomes quads in the post's named graph: what this post says, and how we know.

Data model version 2 (DESIGN.md): the post's graph holds the relations the post itself asserts
as plain triples, one `pg:Mention` per entity it mentions (its first span and the number of
occurrences) and one `pg:Claim` per asserted relation (reified, with a bounded window of the
sentence, the span, confidence and method). A span is the source file's IRI with an RFC 5147
fragment, `<…/source/content/x.md#char=120,135>`: characters 120 to 135 of the file read as
text, the same offsets the extractor used (`span_iri`, `parse_span`).
Entities the vocabulary does not define (editions, places, unknown names) get their type and the
name this post gives them; their consolidated description is the knowledge graph's
(graph.build.consolidate). IRIs are the post IRI plus a fragment named by a hash of what it is about,
so the same text always gives the same IRIs.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable

import pyoxigraph as ox

from graph.map.pages import lang_literal
from graph.model import Claim, Extraction, Mention, NewEntity, Page
from graph.namespaces import RDF_TYPE, X_OA, X_PG, X_RDF, X_SCHEMA, X_SEO, X_SKOS, X_XSD

#: A claim's supporting sentence is stored as at most this many characters around its span.
SENTENCE_WINDOW = 300

Add = Callable[[ox.NamedNode, ox.NamedNode, "ox.NamedNode | ox.Literal"], None]


def _decimal(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.2f}", datatype=X_XSD.decimal)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=X_XSD.integer)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def span_iri(source: str, start: int, end: int) -> ox.NamedNode:
    """Characters [start, end) of a source file, as an RFC 5147 text fragment of its IRI."""
    return ox.NamedNode(f"{source}#char={start},{end}")


def parse_span(iri: str) -> tuple[str, int, int] | None:
    """(source IRI, start, end) of a span IRI made by `span_iri`, else None."""
    source, _, fragment = iri.rpartition("#char=")
    start, _, end = fragment.partition(",")
    return (source, int(start), int(end)) if source and start.isdigit() and end.isdigit() else None


def extraction_quads(page: Page, ext: Extraction, graph: ox.NamedNode,
                     series_of: dict[str, str] | None = None, *,
                     source: str) -> list[ox.Quad]:
    """Quads for a post's extraction, all in `graph` (the post's named graph).

    `series_of` maps known editions to their series (from the vocabulary), so the post's graph
    states which series each edition it names belongs to; `source` is the IRI of the page's
    source file (graph.ids.Minter.source), of which every span is a fragment.
    """
    quads: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(s, p, o, graph))

    _statements(add, page, ext, series_of, source)
    return quads


def extraction_nquads(page: Page, ext: Extraction, graph: ox.NamedNode,
                      series_of: dict[str, str] | None = None,
                      statements: list[tuple[str, str, str]] | None = None, *, source: str) -> tuple[int, bytes]:
    """The same statements as `extraction_quads`, in the same order, as N-Quads: (count, bytes).

    What builds use: terms print themselves in N-Triples syntax (`str(term)`), the same bytes
    `pyoxigraph.serialize` writes (tests/test_build.py checks), without making a Quad of each.
    `statements`, when given, receives what the post says about entities (subject, predicate,
    object in N-Triples syntax): the input of consolidation (graph.build.consolidate).
    """
    tail = f" {graph} .\n"
    lines: list[str] = []
    append = lines.append
    own = (f"<{page.permalink}>", f"<{page.permalink}#")

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        subject = str(s)
        append(f"{subject} {p} {o}{tail}")
        if statements is not None and subject != own[0] and not subject.startswith(own[1]):
            statements.append((subject, str(p), str(o)))

    _statements(add, page, ext, series_of, source)
    return len(lines), "".join(lines).encode()


def passing_topics(ext: Extraction) -> set[str]:
    """Themes the post only touches in passing: named once, in running text, and no relation of
    the post is about them ("cost efficiency" in a list of benefits). They are not what the post
    mentions; a theme named in the title, a heading, the tags, twice or more, or in a relation is."""
    count: Counter[str] = Counter()
    prominent: set[str] = {c.object for c in ext.claims}
    for m in ext.mentions:
        if m.kind == "topic":
            count[m.iri] += 1
            if m.block in ("title", "heading", "front-matter"):
                prominent.add(m.iri)
    return {iri for iri, n in count.items() if n < 2 and iri not in prominent}


def mentioned_entities(ext: Extraction, series_of: dict[str, str] | None = None) -> list[str]:
    """Every entity the post refers to, with the series of each edition it names."""
    out: dict[str, None] = {}
    passing = passing_topics(ext)
    for iri in _referenced_with_claims(ext):
        if iri in passing:
            continue
        out.setdefault(iri)
        series = ext.entities[iri].series if iri in ext.entities else (series_of or {}).get(iri)
        if series:
            out.setdefault(series)
    return list(out)


def _referenced_with_claims(ext: Extraction) -> list[str]:
    """What the post names, and the editions its claims name beside them ("co-located with the
    Cumbre …" in a post of 2024 names that year's Cumbre)."""
    out = dict.fromkeys(ext.referenced())
    for c in ext.claims:
        for iri in (c.subject, c.object):
            if iri in ext.entities and ext.entities[iri].kind == "event" and iri in ext.kinds:
                out.setdefault(iri)
    return list(out)


def _statements(add: Add, page: Page, ext: Extraction, series_of: dict[str, str] | None, source: str) -> None:
    post = ox.NamedNode(page.permalink)
    for iri in mentioned_entities(ext, series_of):
        add(post, X_SCHEMA.mentions, ox.NamedNode(iri))
    for iri in ext.about:
        add(post, X_SCHEMA.about, ox.NamedNode(iri))
    for iri in _referenced_with_claims(ext):  # an edition this post names is of a series
        series = ext.entities[iri].series if iri in ext.entities else None
        if series:
            add(ox.NamedNode(iri), X_SCHEMA.superEvent, ox.NamedNode(series))
    for entity in ext.entities.values():
        if entity.iri in ext.kinds:
            _entity(add, entity, page.lang)
    for claim in ext.claims:
        _claim(add, page, ext, claim, source)
    first: dict[str, Mention] = {}
    count: Counter[str] = Counter()
    best: dict[str, float] = {}
    passing = passing_topics(ext)
    for mention in ext.mentions:  # sorted by span: the first is the earliest
        if mention.iri in passing:
            continue
        first.setdefault(mention.iri, mention)
        count[mention.iri] += 1
        best[mention.iri] = max(best.get(mention.iri, 0.0), mention.confidence)
    for iri, mention in first.items():
        _mention(add, post, source, mention, count[iri], best[iri])


def _entity(add: Add, entity: NewEntity, lang: str) -> None:
    """What this post says an entity it names (and the vocabulary does not define) is called."""
    if entity.kind == "place" and entity.place is not None:
        return  # a gazetteer place: its class, names, containment and coordinates are the knowledge graph's
    node = ox.NamedNode(entity.iri)
    for t in entity.types:
        add(node, RDF_TYPE, ox.NamedNode(t))
    if entity.kind == "project" and "https://schema.org/SoftwareSourceCode" not in entity.types:
        add(node, RDF_TYPE, X_SCHEMA.SoftwareSourceCode)
    name = entity.names.get(lang) or next(iter(entity.names.values()), None)
    if name:
        add(node, X_SKOS.prefLabel if entity.kind == "topic" else X_SCHEMA.name,
            lang_literal(name, lang if lang in entity.names or not entity.names else next(iter(entity.names))))
    for alias, alias_lang in sorted(entity.aliases):
        add(node, X_SKOS.altLabel, lang_literal(alias, alias_lang))
    if entity.repository:
        add(node, X_SCHEMA.codeRepository, ox.NamedNode(entity.repository))


def _mention(add: Add, post: ox.NamedNode, source: str, m: Mention, occurrences: int, confidence: float) -> None:
    """One pg:Mention per entity: its first span, how often the post names it, how and how surely."""
    node = ox.NamedNode(f"{post.value}#mention-{_digest(m.iri)}")
    add(node, RDF_TYPE, X_PG.Mention)
    add(node, X_OA.hasBody, ox.NamedNode(m.iri))
    add(node, X_OA.hasTarget, span_iri(source, m.start, m.end))
    add(node, X_PG.occurrences, _int(occurrences))
    add(node, X_PG.confidence, _decimal(confidence))
    add(node, X_PG.method, ox.Literal(m.method))


def bounded_sentence(ext: Extraction, start: int, end: int, window: int = SENTENCE_WINDOW) -> str:
    """The supporting text of [start, end): the whole sentence when short, else a window of it.

    Cleaning is linear in what it cleans, so a claim on a 2 MB paragraph costs a window, not the
    paragraph."""
    if ext.prose is None:
        return ""
    if end - start > window:
        end = start + window
    return ext.prose.clean(start, end)


def _claim(add: Add, page: Page, ext: Extraction, c: Claim, source: str) -> None:
    """The statement itself, and a pg:Claim that says which span supports it, how and how surely."""
    subject = ox.NamedNode(c.subject)
    predicate = ox.NamedNode(c.predicate)
    obj: ox.NamedNode | ox.Literal = (ox.Literal(c.object, datatype=X_XSD.date) if c.literal
                                      else ox.NamedNode(c.object))
    add(subject, predicate, obj)
    if c.predicate == X_SEO.colocatedWith.value and isinstance(obj, ox.NamedNode):
        add(obj, predicate, subject)  # symmetric: the post says it both ways (GRAPH ?post { <a> … ?b })
    node = ox.NamedNode(f"{page.permalink}#claim-{_digest(f'{c.subject} {c.predicate} {c.object}')}")
    add(node, RDF_TYPE, X_PG.Claim)
    add(node, X_RDF.subject, subject)
    add(node, X_RDF.predicate, predicate)
    add(node, X_RDF.object, obj)
    add(node, X_OA.hasTarget, span_iri(source, c.start, c.end))
    add(node, X_PG.confidence, _decimal(c.confidence))
    add(node, X_PG.method, ox.Literal(c.method))
    sentence = bounded_sentence(ext, c.start, c.end)
    if sentence:
        add(node, X_PG.sentence, lang_literal(sentence, page.lang))
