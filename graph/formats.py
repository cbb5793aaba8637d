"""Every RDF and SPARQL results format postgraph reads or writes, registered once.

One record per format says what it is called (its name, the other names SPARQL clients send as
`format=`, `output=` or `results=`, its file extension), its media types, the pyoxigraph format
that reads and writes it, whether it keeps named graphs and takes prefixes, and what it carries:
the solutions of a SELECT or the boolean of an ASK (`RESULTS`), or triples (`GRAPH`). The query
CLI, the endpoint's content negotiation, the exports, the dumps and the remote store's reader all
look formats up here, as rdflib's `plugin.register` keeps its parsers and serialisers in one place.

Names are unique within what a format carries, not across: `json` and `xml` are the SPARQL results
formats, and for a CONSTRUCT they are what SPARQLWrapper sends for JSON-LD and RDF/XML. Lookups
therefore take the kind of answer wanted when the value came from a client.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from graph.namespaces import PREFIXES

#: What a format carries: SPARQL results (SELECT solutions, ASK booleans) or RDF triples (quads).
RESULTS, GRAPH = "results", "graph"


@dataclass(frozen=True)
class Format:
    """One format: `name` is ours (CLI choices, `format=` values, configuration)."""

    name: str
    carries: str  # RESULTS or GRAPH
    media_type: str  # what we send
    extension: str  # without the dot
    iri: str  # the W3C's IRI for it (SPARQL service descriptions)
    rdf_format: ox.RdfFormat | None = None
    results_format: ox.QueryResultsFormat | None = None
    aliases: tuple[str, ...] = ()  # other `format=`/`output=` values that mean this format
    media_aliases: tuple[str, ...] = ()  # other media types that mean it (in Accept and Content-Type)
    dataset: bool = False  # keeps named graphs (N-Quads, TriG), else one graph (the knowledge graph)
    prefixes: bool = False  # its documents declare prefixes and use prefixed names
    readable: bool = True  # pyoxigraph parses it (SPARQL CSV is write-only: it loses term types)

    def names(self) -> tuple[str, ...]:
        """Every value that selects this format: name, extension, aliases."""
        return (self.name, self.extension, *self.aliases)

    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.media_aliases)

    def prefix_map(self, **extra: str) -> dict[str, str] | None:
        """The prefixes to write a document of this format with (ours, plus `extra`), or None
        where the format takes none."""
        return {**PREFIXES, **extra} if self.prefixes else None


_REGISTRY: list[Format] = []


def register(fmt: Format) -> Format:
    """Add a format; its names and media types must not already mean another format of its kind."""
    if fmt.carries not in (RESULTS, GRAPH) or (fmt.rdf_format is None) == (fmt.results_format is None):
        raise ValueError(f"{fmt.name}: carries results (with a results_format) or a graph (with an rdf_format)")
    for other in _REGISTRY:
        if other.carries != fmt.carries:
            continue
        clash = (set(fmt.names()) & set(other.names())) | (set(fmt.media_types()) & set(other.media_types()))
        if clash:
            raise ValueError(f"{fmt.name}: {', '.join(sorted(clash))} already mean{'s' * (len(clash) == 1)} "
                             f"{other.name}")
    _REGISTRY.append(fmt)
    return fmt


def all_formats(carries: str | None = None, *, dataset: bool | None = None) -> list[Format]:
    """The registered formats in registration order, of one kind and dataset-ness if given."""
    return [f for f in _REGISTRY
            if (carries is None or f.carries == carries) and (dataset is None or f.dataset == dataset)]


def get(name: str, carries: str | None = None) -> Format:
    """The format named `name` (our name, an alias or an extension); KeyError if none is."""
    fmt = find(name, carries)
    if fmt is None:
        raise KeyError(f"no {carries or 'RDF'} format is called {name!r}; known: "
                       f"{', '.join(f.name for f in all_formats(carries))}")
    return fmt


def find(value: str, carries: str | None = None, *, among: list[Format] | None = None) -> Format | None:
    """The format a client means by `value`: a name, alias or extension (any case), else a media
    type (parameters ignored), looked for `among` some formats (default: all of kind `carries`).
    Where the kind is not given and the value names one format of each (`json`), results win."""
    wanted = value.strip().lower()
    candidates = among if among is not None else all_formats(carries)
    for fmt in candidates:
        if wanted in fmt.names():
            return fmt
    return by_media_type(wanted, among=candidates)


def by_media_type(media_type: str, carries: str | None = None, *,
                  among: list[Format] | None = None) -> Format | None:
    """The format of a Content-Type (or Accept entry); parameters (`; charset=…`) are ignored.
    A format's own media type is matched before any other format's alias of it."""
    media = media_type.split(";", 1)[0].strip().lower()
    candidates = among if among is not None else all_formats(carries)
    return next((f for f in candidates if f.media_type == media), None) or \
        next((f for f in candidates if media in f.media_aliases), None)


def by_extension(extension: str, carries: str | None = None) -> Format | None:
    """The format whose file extension is `extension` (no dot)."""
    return next((f for f in all_formats(carries) if f.extension == extension.lower()), None)


def answer_formats(kind: str) -> list[Format]:
    """What a query answer of `kind` ("select", "ask" or "graph", as `graph.executor.check` says)
    can be written in: the results formats, or the single-graph RDF formats."""
    return all_formats(GRAPH, dataset=False) if kind == "graph" else all_formats(RESULTS)


def media_type_table(formats: list[Format]) -> dict[str, str]:
    """Media type → format name for content negotiation, each format's own media type first (in
    the order given), then the aliases: the order a server offers them in."""
    table = {f.media_type: f.name for f in formats}
    for f in formats:
        for alias in f.media_aliases:
            table.setdefault(alias, f.name)
    return table


def media_type_of(formats: list[Format]) -> Mapping[str, str]:
    """Format name → the media type we send."""
    return {f.name: f.media_type for f in formats}


_W3C = "http://www.w3.org/ns/formats/"
# SPARQL 1.1 results formats (https://www.w3.org/TR/sparql11-results-json/ and -xml, -csv-tsv)
register(Format("json", RESULTS, "application/sparql-results+json", "srj", _W3C + "SPARQL_Results_JSON",
                results_format=ox.QueryResultsFormat.JSON, media_aliases=("application/json",)))
register(Format("xml", RESULTS, "application/sparql-results+xml", "srx", _W3C + "SPARQL_Results_XML",
                results_format=ox.QueryResultsFormat.XML, media_aliases=("application/xml", "text/xml")))
register(Format("csv", RESULTS, "text/csv", "csv", _W3C + "SPARQL_Results_CSV",
                results_format=ox.QueryResultsFormat.CSV, readable=False))
register(Format("tsv", RESULTS, "text/tab-separated-values", "tsv", _W3C + "SPARQL_Results_TSV",
                results_format=ox.QueryResultsFormat.TSV))
# RDF: SPARQLWrapper sends format=n3 for Turtle, json for JSON-LD, xml or rdf+xml for RDF/XML
register(Format("turtle", GRAPH, "text/turtle", "ttl", _W3C + "Turtle", rdf_format=ox.RdfFormat.TURTLE,
                aliases=("n3",), media_aliases=("application/x-turtle",), prefixes=True))
register(Format("ntriples", GRAPH, "application/n-triples", "nt", _W3C + "N-Triples",
                rdf_format=ox.RdfFormat.N_TRIPLES, aliases=("n-triples",), media_aliases=("text/plain",)))
register(Format("nquads", GRAPH, "application/n-quads", "nq", _W3C + "N-Quads", rdf_format=ox.RdfFormat.N_QUADS,
                dataset=True))
register(Format("trig", GRAPH, "application/trig", "trig", _W3C + "TriG", rdf_format=ox.RdfFormat.TRIG,
                dataset=True, prefixes=True))
register(Format("jsonld", GRAPH, "application/ld+json", "jsonld", _W3C + "JSON-LD", rdf_format=ox.RdfFormat.JSON_LD,
                aliases=("json", "json-ld"), media_aliases=("application/json",)))
register(Format("rdfxml", GRAPH, "application/rdf+xml", "rdf", _W3C + "RDF_XML", rdf_format=ox.RdfFormat.RDF_XML,
                aliases=("xml", "rdf+xml", "rdf/xml"), media_aliases=("application/xml",), prefixes=True))
