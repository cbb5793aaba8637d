"""The vocabularies postgraph writes, as rdflib namespaces and as pyoxigraph terms.

rdflib's `Namespace` objects are the single source of every IRI we use; `OxNamespace` gives the
same terms as `pyoxigraph.NamedNode` for the code that writes quads straight into the store. Our
own namespace is closed: a term it does not define fails at once (AttributeError), in rdflib and in
pyoxigraph terms alike. `short_iri` is the one way to write an IRI for people (`schema:name`).
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, VOID, XSD, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

DOAP = Namespace("http://usefulinc.com/ns/doap#")
OA = Namespace("http://www.w3.org/ns/oa#")
SEO = Namespace("https://w3id.org/seo#")
SH = Namespace("http://www.w3.org/ns/shacl#")


class PG(DefinedNamespace):
    """postgraph's own terms, only for what no existing vocabulary has: exactly the terms
    ontology/postgraph.ttl defines (tests/test_namespaces.py checks both ways)."""

    _NS = Namespace("https://w3id.org/postgraph/ns#")
    _fail = True

    Mention: URIRef
    Claim: URIRef
    section: URIRef
    canonicalURL: URIRef
    fingerprint: URIRef
    sourcePath: URIRef
    contentHash: URIRef
    gitCommit: URIRef
    extractorVersion: URIRef
    theme: URIRef
    features: URIRef
    relatedTheme: URIRef
    confidence: URIRef
    method: URIRef
    evidence: URIRef
    occurrences: URIRef
    sentence: URIRef
    matchCase: URIRef
    needsContext: URIRef
    noMatchLabel: URIRef
    editionLabel: URIRef
    locationName: URIRef
    maturity: URIRef

SCHEMA = SDO

#: Prefixes used in Turtle output, the query page and example queries.
PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "schema": str(SDO),
    "skos": str(SKOS),
    "doap": str(DOAP),
    "prov": str(PROV),
    "oa": str(OA),
    "seo": str(SEO),
    "void": str(VOID),
    "dcterms": str(DCTERMS),
    "pg": str(PG),
}


#: The prefix of the site's own entities (the build's entity base, `…/id/`) in tables and exports.
SITE_PREFIX = "id"


def short_iri(iri: str, site_ids: str | None = None) -> str:
    """An IRI as people read it: `schema:name` under a prefix of `PREFIXES` (when the rest has no
    slash), `id:event/scale/2025` under the site's entity base `site_ids` (`…/id/`), else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and "/" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    if site_ids and iri.startswith(site_ids) and len(iri) > len(site_ids):
        return f"{SITE_PREFIX}:{iri[len(site_ids):]}"
    return iri


def local_name(iri: str) -> str:
    """The last segment of an IRI (after its last `/` or `#`, a trailing slash ignored): `Event`
    for schema:Event, `2025` for …/id/event/scale/2025; the IRI itself when that is empty."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def sparql_prologue() -> str:
    """PREFIX declarations for every namespace in `PREFIXES`."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


class OxNamespace:
    """Attribute access to pyoxigraph `NamedNode`s of an rdflib namespace: `S.name`, `S["name"]`.
    Of a closed namespace (a `DefinedNamespace` with `_fail`), only its terms: any other name
    raises AttributeError, as rdflib does."""

    def __init__(self, ns: Namespace | type[DefinedNamespace] | str) -> None:
        self._base = str(ns)
        self._cache: dict[str, ox.NamedNode] = {}
        closed = isinstance(ns, type) and issubclass(ns, DefinedNamespace) and ns._fail
        self._closed = ns if closed else None

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> ox.NamedNode:
        node = self._cache.get(name)
        if node is None:
            if self._closed is not None and name not in self._closed:
                raise AttributeError(f"term '{name}' not in namespace '{self._base}'")
            node = self._cache[name] = ox.NamedNode(self._base + name)
        return node


X_RDF = OxNamespace(RDF)
X_RDFS = OxNamespace(RDFS)
X_XSD = OxNamespace(XSD)
X_SCHEMA = OxNamespace(SDO)
X_SKOS = OxNamespace(SKOS)
X_PROV = OxNamespace(PROV)
X_DCTERMS = OxNamespace(DCTERMS)
X_OA = OxNamespace(OA)
X_PG = OxNamespace(PG)
X_VOID = OxNamespace(VOID)
X_DOAP = OxNamespace(DOAP)
X_SEO = OxNamespace(SEO)
RDF_TYPE = X_RDF.type

#: Input vocabularies written with the old http scheme are normalised to https://schema.org/.
SCHEMA_HTTP = "http://schema.org/"
