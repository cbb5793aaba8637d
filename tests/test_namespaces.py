"""graph.namespaces: the one IRI shortener, local names, and our closed namespace (issue 15)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

import graph
import web
from graph.namespaces import PG, X_OA, X_PG, X_SCHEMA, local_name, short_iri
from graph.ontology import ONTOLOGY_FILE

SITE_IDS = "https://example.org/blog/id/"


@pytest.mark.parametrize(("iri", "short"), [
    ("https://schema.org/name", "schema:name"),
    ("https://w3id.org/postgraph/ns#features", "pg:features"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "rdf:type"),
    ("https://schema.org/a/b", "https://schema.org/a/b"),  # a slash after the namespace: no prefixed name
    (SITE_IDS + "event/scale/2025", "id:event/scale/2025"),
    (SITE_IDS, SITE_IDS),
    ("https://elsewhere.example/x", "https://elsewhere.example/x"),
])
def test_short_iri(iri: str, short: str) -> None:
    assert short_iri(iri, SITE_IDS) == short
    if not short.startswith("id:"):
        assert short_iri(iri) == short


def test_without_site_ids_site_iris_stay_whole() -> None:
    assert short_iri(SITE_IDS + "event/scale/2025") == SITE_IDS + "event/scale/2025"


@pytest.mark.parametrize(("iri", "name"), [
    ("https://schema.org/Event", "Event"), ("https://w3id.org/postgraph/ns#theme", "theme"),
    (SITE_IDS + "event/scale/2025", "2025"), (SITE_IDS + "project/kata/", "kata"), ("/", "/"),
])
def test_local_name(iri: str, name: str) -> None:
    assert local_name(iri) == name


def test_pg_is_closed_in_rdflib_and_pyoxigraph_terms() -> None:
    assert PG.features == URIRef("https://w3id.org/postgraph/ns#features") and str(PG) == PG._NS
    assert X_PG.features.value == str(PG.features) and X_PG["theme"].value == str(PG.theme)
    for misspelt in (lambda: PG.feature, lambda: PG["feature"], lambda: X_PG.feature, lambda: X_PG["feature"]):
        with pytest.raises(AttributeError, match="feature"):
            misspelt()
    assert not hasattr(X_PG, "feature")
    # other vocabularies stay open: we do not declare all of schema.org
    assert X_SCHEMA.anyTermAtAll.value == "https://schema.org/anyTermAtAll" and X_OA.hasBody


def test_pg_declares_exactly_the_terms_the_ontology_defines() -> None:
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    defined = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(str(PG))}
    assert defined == {PG[name] for name in PG.__annotations__}


def test_every_module_imports() -> None:
    """A misspelt pg: term at module level (or any import-time error) fails here, in every module."""
    for package in (graph, web):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.endswith(".__main__"):  # `python -m graph.cli` runs the command
                importlib.import_module(info.name)
