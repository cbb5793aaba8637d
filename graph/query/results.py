"""SPARQL results written out, at most N of them: JSON, XML, CSV and TSV for solutions (the W3C
result formats), Turtle, N-Triples, JSON-LD and RDF/XML for graphs.

Written here rather than with pyoxigraph's serialisers because those always write every result,
and an endpoint must be able to stop at its row cap and say so.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from graph import formats

#: format name → the media type an answer in it is sent with (graph.formats has the formats)
RESULT_MEDIA_TYPES = formats.media_type_of(formats.answer_formats("select"))
GRAPH_MEDIA_TYPES = formats.media_type_of(formats.answer_formats("graph"))
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_NS = "http://www.w3.org/2005/sparql-results#"


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def serialize_solutions(solutions: ox.QuerySolutions, fmt: str, max_rows: int) -> tuple[bytes, int, bool]:
    """(body, rows written, truncated) for a SELECT result."""
    names = [v.value for v in solutions.variables]
    rows: list[list[object]] = []
    truncated = False
    for solution in solutions:
        if len(rows) >= max_rows:
            truncated = True
            break
        rows.append([solution[n] for n in names])
    if fmt == "json":
        data = {"head": {"vars": names}, "results": {"bindings": [
            {n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None} for row in rows]}}
        if truncated:
            data["head"]["link"] = [f"urn:postgraph:truncated:{max_rows}"]
        return json.dumps(data, ensure_ascii=False).encode(), len(rows), truncated
    if fmt == "xml":
        out = io.StringIO()
        out.write(f'<?xml version="1.0"?>\n<sparql xmlns="{_NS}">\n<head>')
        out.write("".join(f"<variable name={quoteattr(n)}/>" for n in names))
        out.write("</head>\n<results>\n")
        for row in rows:
            out.write("<result>" + "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                                           for n, t in zip(names, row, strict=True) if t is not None) + "</result>\n")
        out.write("</results>\n</sparql>\n")
        return out.getvalue().encode(), len(rows), truncated
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([_csv_value(t) for t in row])
        return out.getvalue().encode(), len(rows), truncated
    if fmt == "tsv":
        lines = ["\t".join("?" + n for n in names)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode(), len(rows), truncated
    raise ValueError(f"unknown result format {fmt}")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{_NS}"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    if fmt == "csv":
        return ("_askResult\r\n" + ("true" if value else "false") + "\r\n").encode()
    if fmt == "tsv":
        return ("?_askResult\n" + ("true" if value else "false") + "\n").encode()
    raise ValueError(f"unknown result format {fmt}")


def serialize_triples(triples: ox.QueryTriples, fmt: str, max_rows: int) -> tuple[bytes, int, bool]:
    """(body, triples written, truncated) for a CONSTRUCT or DESCRIBE result."""
    kept: list[ox.Triple] = []
    truncated = False
    for triple in triples:
        if len(kept) >= max_rows:
            truncated = True
            break
        kept.append(triple)
    spec = formats.get(fmt, formats.GRAPH)
    return ox.serialize(kept, format=spec.rdf_format, prefixes=spec.prefix_map()) or b"", len(kept), truncated
