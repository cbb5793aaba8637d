"""The one registry of RDF and SPARQL results formats (graph.formats, issue 15): every name, alias,
media type and extension the CLI, the endpoint, the exports and the remote store rely on."""

from __future__ import annotations

import dataclasses

import pytest

from graph import formats
from graph.formats import GRAPH, RESULTS, Format
from graph.namespaces import PREFIXES
from graph.query.export import FORMATS
from graph.query.sparql import query_format_names


def test_every_format_once_with_its_media_type_extension_and_pyoxigraph_format() -> None:
    table = {(f.name, f.carries, f.media_type, f.extension, f.dataset, f.prefixes) for f in formats.all_formats()}
    assert table == {
        ("json", RESULTS, "application/sparql-results+json", "srj", False, False),
        ("xml", RESULTS, "application/sparql-results+xml", "srx", False, False),
        ("csv", RESULTS, "text/csv", "csv", False, False),
        ("tsv", RESULTS, "text/tab-separated-values", "tsv", False, False),
        ("turtle", GRAPH, "text/turtle", "ttl", False, True),
        ("ntriples", GRAPH, "application/n-triples", "nt", False, False),
        ("nquads", GRAPH, "application/n-quads", "nq", True, False),
        ("trig", GRAPH, "application/trig", "trig", True, True),
        ("jsonld", GRAPH, "application/ld+json", "jsonld", False, False),
        ("rdfxml", GRAPH, "application/rdf+xml", "rdf", False, True),
    }
    for f in formats.all_formats():
        # pyoxigraph agrees on the media type (its own table) and on keeping graphs, JSON-LD aside:
        # we write it as one graph
        native = f.rdf_format or f.results_format
        assert native.media_type.split(";")[0] == f.media_type, f.name
        if f.rdf_format is not None and f.name != "jsonld":
            assert f.rdf_format.supports_datasets == f.dataset, f.name


@pytest.mark.parametrize(("value", "carries", "name"), [
    # what SPARQLWrapper, Jena, R and people send as format= / output= / results=
    ("json", RESULTS, "json"), ("srj", RESULTS, "json"), ("XML", RESULTS, "xml"), ("srx", RESULTS, "xml"),
    ("csv", RESULTS, "csv"), ("tsv", RESULTS, "tsv"),
    ("json", GRAPH, "jsonld"), ("json-ld", GRAPH, "jsonld"), ("jsonld", GRAPH, "jsonld"),
    ("xml", GRAPH, "rdfxml"), ("rdf+xml", GRAPH, "rdfxml"), ("rdf/xml", GRAPH, "rdfxml"), ("rdf", GRAPH, "rdfxml"),
    ("n3", GRAPH, "turtle"), ("ttl", GRAPH, "turtle"), ("turtle", GRAPH, "turtle"),
    ("nt", GRAPH, "ntriples"), ("n-triples", GRAPH, "ntriples"), ("nq", GRAPH, "nquads"), ("trig", GRAPH, "trig"),
    # media types, parameters ignored, and the other names servers give them
    ("application/sparql-results+json; charset=utf-8", RESULTS, "json"), ("application/json", RESULTS, "json"),
    ("application/xml", RESULTS, "xml"), ("text/xml", RESULTS, "xml"),
    ("application/json", GRAPH, "jsonld"), ("application/xml", GRAPH, "rdfxml"),
    ("application/x-turtle", GRAPH, "turtle"), ("text/plain", GRAPH, "ntriples"),
])
def test_names_aliases_and_media_types(value: str, carries: str, name: str) -> None:
    assert formats.find(value, carries).name == name


def test_kind_decides_between_results_and_rdf_and_unknown_is_none() -> None:
    assert formats.find("json").carries == RESULTS  # without a kind, results first
    assert formats.by_media_type("application/json").name == "json"
    assert formats.by_media_type("text/turtle").name == "turtle"
    assert formats.find("csv", GRAPH) is None and formats.find("turtle", RESULTS) is None
    assert formats.find("nquads", among=formats.answer_formats("graph")) is None  # a CONSTRUCT is one graph
    assert formats.by_extension("rdf").name == "rdfxml" and formats.by_extension("srj").name == "json"
    with pytest.raises(KeyError, match="known: turtle"):
        formats.get("yaml", GRAPH)


def test_what_each_user_sees() -> None:
    assert list(FORMATS) == ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"]  # postgraph export
    assert query_format_names() == ["csv", "json", "jsonld", "ntriples", "rdfxml", "tsv", "turtle", "xml"]
    assert [f.name for f in formats.answer_formats("select")] == ["json", "xml", "csv", "tsv"]
    assert [f.name for f in formats.answer_formats("ask")] == ["json", "xml", "csv", "tsv"]
    assert [f.name for f in formats.answer_formats("graph")] == ["turtle", "ntriples", "jsonld", "rdfxml"]
    assert formats.media_type_table(formats.answer_formats("graph")) == {
        "text/turtle": "turtle", "application/n-triples": "ntriples", "application/ld+json": "jsonld",
        "application/rdf+xml": "rdfxml", "application/x-turtle": "turtle", "text/plain": "ntriples",
        "application/json": "jsonld", "application/xml": "rdfxml"}
    assert not formats.get("csv").readable  # pyoxigraph cannot read SPARQL CSV back


def test_prefix_map() -> None:
    assert formats.get("turtle").prefix_map() == PREFIXES
    assert formats.get("trig").prefix_map(id="https://example.org/id/")["id"] == "https://example.org/id/"
    assert formats.get("ntriples").prefix_map(id="https://example.org/id/") is None


def test_register_refuses_a_name_or_media_type_that_means_another_format() -> None:
    turtle = formats.get("turtle")
    with pytest.raises(ValueError, match="ttl already means turtle"):
        formats.register(dataclasses.replace(turtle, name="turtle2", media_type="text/x-turtle2", aliases=(),
                                             media_aliases=()))
    with pytest.raises(ValueError, match="text/turtle already means turtle"):
        formats.register(dataclasses.replace(turtle, name="turtle2", extension="t2", aliases=(), media_aliases=()))
    with pytest.raises(ValueError, match="carries results"):
        formats.register(Format("n3", GRAPH, "text/n3", "n3x", "http://www.w3.org/ns/formats/N3"))
    assert len(formats.all_formats()) == 10
