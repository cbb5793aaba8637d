"""ontology/postgraph.ttl declares every term postgraph uses, in English, Spanish and Portuguese.

"Declared" means: the term has an rdf:type that declares it (a class, a kind of property or a
named individual) and an rdfs:isDefinedBy. The terms that build the declarations themselves
(rdf:type, rdfs:label, owl:Class, xsd:string, …) are the modelling vocabulary and are not
declared; RDF's reification terms are the exception, because claims use them as data.

Besides the file's own consistency, the tests scan what uses the vocabulary — the Python sources
(`X_PG.theme`, `SKOS.prefLabel`, `schema:name` in SPARQL strings), the vocabulary files, the
shapes and the example queries — so that a term cannot be written without being declared here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, SKOS, VOID

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "postgraph.ttl"

PG = Namespace("https://w3id.org/postgraph/ns#")
PG_ONTOLOGY = URIRef("https://w3id.org/postgraph/ns")
# Plain namespaces rather than rdflib's closed SDO and XSD, whose unknown-attribute warnings
# pytest would trigger while collecting this module.
SCHEMA = Namespace("https://schema.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DOAP = Namespace("http://usefulinc.com/ns/doap#")
OA = Namespace("http://www.w3.org/ns/oa#")
SEO = Namespace("https://w3id.org/seo#")
SH = Namespace("http://www.w3.org/ns/shacl#")

LANGUAGES = ("en", "es", "pt")

#: Vocabularies whose terms we use, by the prefix they have in Turtle and SPARQL. A reused term's
#: rdfs:isDefinedBy is its vocabulary's namespace; a pg: term's is the ontology.
VOCABULARIES: dict[str, Namespace] = {
    "schema": SCHEMA,
    "skos": SKOS,
    "doap": DOAP,
    "prov": PROV,
    "oa": OA,
    "seo": SEO,
    "void": VOID,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "pg": PG,
}
#: The names graph/namespaces.py gives those vocabularies (X_… are the pyoxigraph versions).
CODE_NAMES: dict[str, Namespace] = {
    "PG": PG, "SCHEMA": SCHEMA, "SDO": SCHEMA, "SKOS": SKOS, "PROV": PROV, "OA": OA,
    "DCTERMS": DCTERMS, "SEO": SEO, "DOAP": DOAP, "VOID": VOID, "RDF": RDF,
}

MODELLING = (str(RDF), str(RDFS), str(OWL), str(XSD))
REIFICATION = {RDF.Statement, RDF.subject, RDF.predicate, RDF.object}
DECLARING_TYPES = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                   OWL.AnnotationProperty, RDF.Property, OWL.NamedIndividual}
PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}
#: Predicates whose objects are classes the file uses (alignment targets are not: they point
#: elsewhere without using the term).
CLASS_POSITIONS = (RDF.type, RDFS.domain, RDFS.range, RDFS.subClassOf, SCHEMA.domainIncludes,
                   SCHEMA.rangeIncludes)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def declared(ontology: Graph) -> set[URIRef]:
    return {s for s in ontology.subjects(RDFS.isDefinedBy, None)
            if isinstance(s, URIRef) and set(ontology.objects(s, RDF.type)) & DECLARING_TYPES}


def is_modelling(term: URIRef) -> bool:
    return str(term).startswith(MODELLING) and term not in REIFICATION


def needs_declaration(term: object) -> bool:
    return isinstance(term, URIRef) and not is_modelling(term)


def vocabulary_of(term: URIRef) -> tuple[str, Namespace] | None:
    matches = [(p, ns) for p, ns in VOCABULARIES.items() if str(term).startswith(str(ns))]
    return max(matches, key=lambda m: len(str(m[1]))) if matches else None


def texts(graph: Graph, term: URIRef, predicate: URIRef, lang: str) -> list[str]:
    return [str(o) for o in graph.objects(term, predicate) if isinstance(o, Literal) and o.language == lang]


def union_members(graph: Graph, node: object) -> Iterator[object]:
    """The classes of an owl:unionOf class expression (nothing for a named class)."""
    if isinstance(node, BNode):
        for members in graph.objects(node, OWL.unionOf):
            yield from Collection(graph, members)


def missing(terms: Iterable[tuple[URIRef, str]], declared: set[URIRef]) -> list[str]:
    return sorted({f"{term} ({where})" for term, where in terms if needs_declaration(term) and term not in declared})


# ---------------------------------------------------------------------------------------------
# The file on its own


def test_ontology_header(ontology: Graph) -> None:
    assert (PG_ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(PG_ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(PG_ONTOLOGY, DCTERMS.license) == URIRef("https://www.apache.org/licenses/LICENSE-2.0")
    assert ontology.value(PG_ONTOLOGY, DCTERMS.created) == Literal("2026-11-24", datatype=XSD.date)
    for lang in LANGUAGES:
        assert texts(ontology, PG_ONTOLOGY, DCTERMS.title, lang), f"no dcterms:title@{lang}"
        assert texts(ontology, PG_ONTOLOGY, DCTERMS.description, lang), f"no dcterms:description@{lang}"
    assert ontology.namespace_manager.store.namespace("pg") == URIRef(str(PG))


def test_terms_used_in_the_declarations_are_declared(ontology: Graph, declared: set[URIRef]) -> None:
    used: list[tuple[URIRef, str]] = []
    for s, p, o in ontology:
        used.append((p, "predicate"))
        if p in CLASS_POSITIONS:
            for cls in (o, *union_members(ontology, o)):
                used.append((cls, f"{ontology.qname(p)} of {s}"))
    assert not missing(used, declared), "used in postgraph.ttl but not declared there"


def test_every_pg_term_is_declared_with_domain_and_range(ontology: Graph, declared: set[URIRef]) -> None:
    pg_terms = {t for triple in ontology for t in triple if isinstance(t, URIRef) and t in PG}
    assert pg_terms, "no pg: terms at all"
    assert not sorted(pg_terms - declared), "pg: terms that are not declared"
    for term in sorted(pg_terms):
        assert ontology.value(term, RDFS.isDefinedBy) == PG_ONTOLOGY, f"{term}: rdfs:isDefinedBy the ontology"
        if set(ontology.objects(term, RDF.type)) & PROPERTY_TYPES:
            assert ontology.value(term, RDFS.domain) is not None, f"{term} has no rdfs:domain"
            assert ontology.value(term, RDFS.range) is not None, f"{term} has no rdfs:range"


def test_every_declared_term_has_one_label_and_comment_per_language(ontology: Graph, declared: set[URIRef]) -> None:
    problems = []
    for term in sorted(declared):
        comments = {}
        for lang in LANGUAGES:
            labels = texts(ontology, term, RDFS.label, lang)
            comments[lang] = texts(ontology, term, RDFS.comment, lang)
            if len(labels) != 1:
                problems.append(f"{term}: {len(labels)} rdfs:label@{lang}")
            if len(comments[lang]) != 1:
                problems.append(f"{term}: {len(comments[lang])} rdfs:comment@{lang}")
        # The translations are translations, not copies of the English.
        for lang in ("es", "pt"):
            if comments[lang] and comments[lang] == comments["en"]:
                problems.append(f"{term}: rdfs:comment@{lang} is the English text")
        untagged = [o for p in (RDFS.label, RDFS.comment) for o in ontology.objects(term, p)
                    if isinstance(o, Literal) and o.language not in LANGUAGES]
        if untagged:
            problems.append(f"{term}: labels or comments not tagged en/es/pt: {untagged}")
    assert not problems, "\n".join(problems)


def test_reused_terms_point_to_their_vocabulary_and_keep_its_domain_and_range(
        ontology: Graph, declared: set[URIRef]) -> None:
    problems = []
    for term in sorted(declared):
        if term in PG:
            continue
        vocabulary = vocabulary_of(term)
        if vocabulary is None:
            problems.append(f"{term}: not in a vocabulary this test knows (add it to VOCABULARIES)")
            continue
        defined_by = set(ontology.objects(term, RDFS.isDefinedBy))
        if defined_by != {URIRef(str(vocabulary[1]))}:
            problems.append(f"{term}: rdfs:isDefinedBy {sorted(defined_by)}, expected <{vocabulary[1]}>")
        for p in (RDFS.domain, RDFS.range):
            if ontology.value(term, p) is not None:
                problems.append(f"{term}: restates {ontology.qname(p)} of a term we do not own")
    assert not problems, "\n".join(problems)


def test_colocated_with_is_a_symmetric_object_property(ontology: Graph) -> None:
    types = set(ontology.objects(SEO.colocatedWith, RDF.type))
    assert {OWL.ObjectProperty, OWL.SymmetricProperty} <= types


def test_data_model_terms_are_declared(declared: set[URIRef]) -> None:
    """The terms DESIGN.md's data model table names, whether or not code writes them yet."""
    model = {
        SCHEMA.BlogPosting, SCHEMA.EventSeries, SCHEMA.Event, SCHEMA.Place, SCHEMA.City, DOAP.Project,
        SCHEMA.SoftwareSourceCode, SCHEMA.Organization, SCHEMA.Person, SKOS.Concept, SKOS.ConceptScheme,
        OA.Annotation, OA.TextPositionSelector, OA.TextQuoteSelector, SCHEMA.headline, SCHEMA.about,
        SCHEMA.mentions, SCHEMA.superEvent, SCHEMA.location, SCHEMA.organizer, SEO.colocatedWith,
        SCHEMA.codeRepository, SCHEMA.sourceOrganization, SCHEMA.containedInPlace, SCHEMA.geo,
        SKOS.prefLabel, SKOS.altLabel, SKOS.broader, SKOS.exactMatch, OA.hasBody, OA.hasTarget,
        OA.hasSource, OA.hasSelector, OA.start, OA.end, OA.exact, OA.prefix, OA.suffix, PG.theme,
        PG.features, PG.confidence, PG.method, PG.evidence, PG.sentence, PG.Mention, PG.Claim,
        RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom, PG.sourcePath, PG.contentHash,
        PG.gitCommit, PG.extractorVersion, PG.fingerprint,
    }
    assert not sorted(model - declared)


# ---------------------------------------------------------------------------------------------
# What uses the vocabulary

#: `X_PG.theme`, `X_SCHEMA["name"]` (pyoxigraph) and `SKOS.prefLabel` (rdflib), not method calls.
_CODE = "|".join(CODE_NAMES)
_CODE_ATTRIBUTE = re.compile(rf"\b(X_)?({_CODE})\.([A-Za-z]\w*)\b(?!\s*\()")
_CODE_ITEM = re.compile(rf"\b(X_)?({_CODE})\[\s*[\"']([A-Za-z][\w-]*)[\"']\s*\]")
#: `schema:name` in SPARQL strings, queries and docs (a prefix followed by a local name).
_PREFIXED = re.compile(rf"(?<![\w/.#:-])({'|'.join(VOCABULARIES)}):([A-Za-z][\w-]*\w|[A-Za-z])")


def python_sources() -> list[Path]:
    return sorted(p for d in ("graph", "web") for p in (ROOT / d).rglob("*.py"))


def uses_in_python(path: Path) -> Iterator[tuple[URIRef, str]]:
    text = path.read_text(encoding="utf-8")
    where = path.relative_to(ROOT)
    for pattern in (_CODE_ATTRIBUTE, _CODE_ITEM):
        for m in pattern.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            yield URIRef(str(CODE_NAMES[m.group(2)]) + m.group(3)), f"{where}:{line}"
    yield from prefixed_uses(text, where)


def prefixed_uses(text: str, where: Path) -> Iterator[tuple[URIRef, str]]:
    for m in _PREFIXED.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        yield URIRef(str(VOCABULARIES[m.group(1)]) + m.group(2)), f"{where}:{line}"


def test_scan_finds_the_terms_mapping_writes() -> None:
    """Guard for the scan itself: it must see the pg: terms graph/map/pages.py is known to write."""
    found = {term for term, _ in uses_in_python(ROOT / "graph" / "map" / "pages.py")}
    assert {PG.section, PG.fingerprint, SCHEMA.headline, PROV.wasDerivedFrom, DCTERMS.subject} <= found


def test_terms_used_in_code_are_declared(declared: set[URIRef]) -> None:
    sources = python_sources()
    assert sources, "no Python sources under graph/ or web/"
    used = [use for path in sources for use in uses_in_python(path)]
    assert not missing(used, declared), "used in code but not declared in ontology/postgraph.ttl"


def vocabulary_terms(graph: Graph) -> Iterator[URIRef]:
    """Every IRI of a graph that lies in one of the vocabularies we use, in any position."""
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and vocabulary_of(term) is not None:
                yield term


def test_terms_used_in_vocabulary_shapes_and_queries_are_declared(declared: set[URIRef]) -> None:
    used: list[tuple[URIRef, str]] = []
    formats = {".ttl": "turtle", ".nt": "nt"}
    data_files = [*sorted(p for p in (ONTOLOGY_DIR / "vocabulary").rglob("*") if p.suffix in formats),
                  ONTOLOGY_DIR / "shapes.ttl"]
    for path in data_files:
        if path.exists():
            graph = Graph().parse(path, format=formats[path.suffix], publicID="https://example.org/")
            used.extend((term, str(path.relative_to(ROOT))) for term in vocabulary_terms(graph))
    for query in sorted((ONTOLOGY_DIR / "queries").rglob("*.rq")):
        text = query.read_text(encoding="utf-8")
        # Only the query body: PREFIX lines name namespaces, not terms.
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().upper().startswith("PREFIX"))
        used.extend(prefixed_uses(body, query.relative_to(ROOT)))
    assert not missing(used, declared), "used under ontology/ but not declared in ontology/postgraph.ttl"
