"""SHACL validation of the built graph with pySHACL against `ontology/shapes.ttl`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, URIRef

from graph.namespaces import SH
from graph.ontology import ONTOLOGY_FILE, SHAPES_FILE


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str  # Violation, Warning, Info
    shape: str | None
    value: str | None

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"[{self.severity}] {self.focus}{where}: {self.message}{value}"


@dataclass
class ValidationResult:
    conforms: bool
    violations: list[Violation]
    triples: int


def union_graph(store: ox.Store) -> Graph:
    """Every graph, the knowledge graph and the posts' graphs together, as one rdflib Graph for pySHACL:
    the shapes check both layers (a site's graph fits in memory)."""
    data = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    graph = Graph()
    graph.parse(data=data.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def validate(store: ox.Store, shapes: Path = SHAPES_FILE, ontology: Path = ONTOLOGY_FILE) -> ValidationResult:
    """Validate the whole graph; every violation is reported with focus node, path and message."""
    data = union_graph(store)
    shapes_graph = Graph().parse(shapes, format="turtle")
    ont = Graph().parse(ontology, format="turtle") if ontology.exists() else None
    conforms, report, _text = shacl_validate(
        data, shacl_graph=shapes_graph, ont_graph=ont, inference="none", advanced=True,
        allow_warnings=True,
    )
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        def one(pred: str, result: URIRef = result) -> str | None:
            value = report.value(result, SH[pred])
            return None if value is None else (value.n3(data.namespace_manager)
                                               if pred != "resultMessage" else str(value))
        severity = (one("resultSeverity") or "sh:Violation").split(":")[-1].split("#")[-1].rstrip(">")
        violations.append(Violation(
            focus=one("focusNode") or "?", path=one("resultPath"), message=one("resultMessage") or "",
            severity=severity, shape=one("sourceShape"), value=one("value"),
        ))
    violations.sort(key=lambda v: (v.severity != "Violation", v.focus, v.path or ""))
    return ValidationResult(bool(conforms), violations, len(data))
