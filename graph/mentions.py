"""An extraction becomes quads in the post's graph: mentions as Web Annotations, and the
entities the vocabulary does not define (editions, places, unknown names).

Every mention is an `oa:Annotation` (also a `pg:Mention`) whose body is the entity and whose
target is the post with two selectors: the character span in the source file
(`oa:TextPositionSelector`) and the exact text with its prefix and suffix
(`oa:TextQuoteSelector`); `pg:confidence`, `pg:method` and `pg:sentence` say how sure we are, how
it was found, and in which sentence. IRIs are the post IRI plus a fragment naming the span, so
the same text always gives the same annotation IRIs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pyoxigraph as ox

from .extract import Extraction, Mention, NewEntity
from .mapping import lang_literal
from .namespaces import RDF_TYPE, X_OA, X_PG, X_RDF, X_SCHEMA, X_SEO, X_SKOS, X_XSD
from .post import Page
from .relations import Claim

_CONTEXT = 32  # characters of prefix and suffix kept in a TextQuoteSelector


def _decimal(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.2f}", datatype=X_XSD.decimal)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=X_XSD.integer)


def extraction_quads(page: Page, ext: Extraction, graph: ox.NamedNode,
                     series_of: dict[str, str] | None = None, claims: Sequence[Claim] = ()) -> list[ox.Quad]:
    """Quads for a post's extraction, all in `graph` (the post's named graph).

    `series_of` maps known editions to their series (from the vocabulary), so the post's graph
    states which series each edition it names belongs to.
    """
    quads: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(s, p, o, graph))

    _statements(add, page, ext, series_of, claims)
    return quads


def extraction_nquads(page: Page, ext: Extraction, graph: ox.NamedNode,
                      series_of: dict[str, str] | None = None, claims: Sequence[Claim] = ()) -> tuple[int, bytes]:
    """The same statements as `extraction_quads`, in the same order, as N-Quads: (count, bytes).

    What builds use: a post yields thousands of statements, and making a pyoxigraph Quad of each
    only to serialise it cost about a fifth of a build. Terms print themselves in N-Triples
    syntax (`str(term)`), the same bytes `pyoxigraph.serialize` writes (tests/test_build.py checks).
    """
    tail = f" {graph} .\n"
    lines: list[str] = []
    append = lines.append

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        append(f"{s} {p} {o}{tail}")

    _statements(add, page, ext, series_of, claims)
    return len(lines), "".join(lines).encode()


def _statements(add, page: Page, ext: Extraction, series_of: dict[str, str] | None,
                claims: Sequence[Claim]) -> None:
    post = ox.NamedNode(page.permalink)
    for iri in ext.referenced():
        add(post, X_SCHEMA.mentions, ox.NamedNode(iri))
        series = (ext.entities[iri].series if iri in ext.entities else (series_of or {}).get(iri))
        if series:
            add(ox.NamedNode(iri), X_SCHEMA.superEvent, ox.NamedNode(series))
    for iri in ext.about:
        add(post, X_SCHEMA.about, ox.NamedNode(iri))
    for entity in ext.entities.values():
        if entity.iri in ext.kinds:
            _entity(add, entity, ext)
    for claim in claims:
        _claim(add, post, page, ext, claim)
    spans: dict[tuple[int, int], int] = {}
    for mention in ext.mentions:  # sorted by span: two entities at one span get -1, -2 …
        n = spans[(mention.start, mention.end)] = spans.get((mention.start, mention.end), 0) + 1
        _annotation(add, post, page, ext, mention, n)


def _entity(add, entity: NewEntity, ext: Extraction) -> None:
    node = ox.NamedNode(entity.iri)
    for t in entity.types:
        add(node, RDF_TYPE, ox.NamedNode(t))
    if entity.kind == "topic":  # a section heading no vocabulary theme matched
        scheme = ox.NamedNode(entity.iri.rsplit("/topic/", 1)[0] + "/scheme/topics")
        add(node, X_SKOS.inScheme, scheme)
        add(scheme, RDF_TYPE, X_SKOS.ConceptScheme)
        add(scheme, X_SKOS.prefLabel, ox.Literal("Topics of sections", language="en"))
        for lang, name in sorted(entity.names.items()):
            add(node, X_SKOS.prefLabel, lang_literal(name, lang))
        add(node, X_PG.method, ox.Literal(entity.method))
        return
    if entity.kind == "project":
        add(node, RDF_TYPE, X_SCHEMA.SoftwareSourceCode)
    for lang, name in sorted(entity.names.items()):
        add(node, X_SCHEMA.name, lang_literal(name, lang))
    for alias, lang in sorted(entity.aliases):
        add(node, X_SKOS.altLabel, lang_literal(alias, lang))
    if entity.repository:
        add(node, X_SCHEMA.codeRepository, ox.NamedNode(entity.repository))
    if entity.method.startswith("pattern:"):
        add(node, X_PG.method, ox.Literal(entity.method))
        add(node, X_PG.confidence, _decimal(entity.confidence))
    place = entity.place
    if place is None:
        return
    base = entity.iri[: len(entity.iri) - len(place.path)]
    parent = place.admin or place.country
    if parent:
        add(node, X_SCHEMA.containedInPlace, ox.NamedNode(base + parent))
    if place.geonames:
        add(node, X_SCHEMA.sameAs, ox.NamedNode(f"https://sws.geonames.org/{place.geonames}/"))
    if place.latitude is not None and place.longitude is not None:
        geo = ox.NamedNode(entity.iri + "#geo")
        add(node, X_SCHEMA.geo, geo)
        add(geo, RDF_TYPE, X_SCHEMA.GeoCoordinates)
        add(geo, X_SCHEMA.latitude, ox.Literal(f"{place.latitude}", datatype=X_XSD.decimal))
        add(geo, X_SCHEMA.longitude, ox.Literal(f"{place.longitude}", datatype=X_XSD.decimal))


def _annotation(add, post: ox.NamedNode, page: Page, ext: Extraction, m: Mention, n: int = 1) -> None:
    text = page.text
    anchor = f"{page.permalink}#m{m.start}-{m.end}" + (f"-{n}" if n > 1 else "")
    annotation = ox.NamedNode(anchor)
    add(annotation, RDF_TYPE, X_OA.Annotation)
    add(annotation, RDF_TYPE, X_PG.Mention)
    add(annotation, X_OA.motivatedBy, X_OA.identifying)
    add(annotation, X_OA.hasBody, ox.NamedNode(m.iri))
    add(annotation, X_OA.hasTarget, ox.NamedNode(anchor + "-target"))
    add(annotation, X_PG.confidence, _decimal(m.confidence))
    add(annotation, X_PG.method, ox.Literal(m.method))
    if m.sentence and ext.prose is not None:
        add(annotation, X_PG.sentence, lang_literal(ext.prose.clean(*m.sentence), page.lang))
    _target(add, anchor, post, text, m.start, m.end)


def _target(add, anchor: str, post: ox.NamedNode, text: str, start: int, end: int) -> ox.NamedNode:
    """The span [start, end) of the post's source file, with position and quote selectors."""
    target = ox.NamedNode(anchor + "-target")
    position, quote = ox.NamedNode(anchor + "-position"), ox.NamedNode(anchor + "-quote")
    add(target, RDF_TYPE, X_OA.SpecificResource)
    add(target, X_OA.hasSource, post)
    add(target, X_OA.hasSelector, position)
    add(target, X_OA.hasSelector, quote)
    add(position, RDF_TYPE, X_OA.TextPositionSelector)
    add(position, X_OA.start, _int(start))
    add(position, X_OA.end, _int(end))
    add(quote, RDF_TYPE, X_OA.TextQuoteSelector)
    add(quote, X_OA.exact, ox.Literal(text[start:end]))
    add(quote, X_OA.prefix, ox.Literal(text[max(0, start - _CONTEXT):start]))
    add(quote, X_OA.suffix, ox.Literal(text[end:end + _CONTEXT]))
    return target


def _claim(add, post: ox.NamedNode, page: Page, ext: Extraction, c: Claim) -> None:
    """The statement itself, and a pg:Claim that says which span supports it, how and how surely."""
    subject = ox.NamedNode(c.subject)
    predicate = ox.NamedNode(c.predicate)
    obj: ox.NamedNode | ox.Literal = (ox.Literal(c.object, datatype=X_XSD.date) if c.literal
                                      else ox.NamedNode(c.object))
    add(subject, predicate, obj)
    if c.predicate == X_SEO.colocatedWith.value:  # symmetric: either direction finds it
        add(ox.NamedNode(c.object), predicate, subject)
    digest = hashlib.sha1(f"{c.subject} {c.predicate} {c.object}".encode()).hexdigest()[:10]
    anchor = f"{page.permalink}#claim-{digest}"
    node = ox.NamedNode(anchor)
    add(node, RDF_TYPE, X_PG.Claim)
    add(node, RDF_TYPE, X_RDF.Statement)
    add(node, X_RDF.subject, subject)
    add(node, X_RDF.predicate, predicate)
    add(node, X_RDF.object, obj)
    add(node, X_PG.confidence, _decimal(c.confidence))
    add(node, X_PG.method, ox.Literal(c.method))
    if ext.prose is not None:
        sentence = ext.prose.clean(c.start, c.end)
        if sentence:
            add(node, X_PG.sentence, lang_literal(sentence, page.lang))
    add(node, X_OA.hasTarget, _target(add, anchor, post, page.text, c.start, c.end))
