"""The SPARQL 1.1 Protocol endpoint, Linked Data pages and downloadable dumps.

Thin over graph.query.executor (safety: read-only, no SERVICE, time limit, row cap), graph.query.export
(dumps) and graph.query.describe (terms, labels, descriptions, VoID): no SPARQL text here. See the
README's "SPARQL service" section.
"""

from __future__ import annotations

import os
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from graph import formats
from graph.namespaces import PREFIXES, short_iri
from graph.ontology import QUERIES_DIR
from graph.query import describe as rdf_description
from graph.query.describe import (
    dataset_counts,
    graph_terms,
    labels,
    void_description,
)
from graph.query.executor import (
    Executor,
    NoGraph,
    QueryInvalid,
    QueryRefused,
    QueryRequest,
    QueryResponse,
    QueryTimeout,
    check,
)
from graph.query.export import FORMATS, export
from graph.store.local import Store

from .common import entity_base, link, page_lang, per_generation
from .common import snapshot as current_snapshot
from .errors import plain
from .explore import entity_page
from .settings import setting

bp = Blueprint("sparql", __name__)


def _store() -> Store:
    return current_app.extensions["postgraph.store"]


def _executor() -> Executor:
    return current_app.extensions["postgraph.executor"]


#: Endpoints any web page may call (CORS): the SPARQL endpoint and the dataset description
CROSS_ORIGIN = {"sparql.sparql", "sparql.void"}


@bp.after_request
def _cors(response: Response) -> Response:
    """CORS headers on every answer of the CROSS_ORIGIN endpoints, errors included (web.errors)."""
    if request.endpoint in CROSS_ORIGIN:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Vary"] = "Accept"
    return response


def _choose(kind: str) -> str | None:
    """The output format: a `format` (or `output`, `results`) parameter the server understands wins,
    then the Accept header (q-values, */*), then the default. A parameter value it does not know
    for this kind of answer (`format=csv` for CONSTRUCT) is ignored, as other endpoints do. The
    values SPARQL clients send (SPARQLWrapper: format=xml, rdf+xml, n3 or json beside its Accept
    header; Jena's and R's clients: output=…) are the formats' aliases in graph.formats."""
    offered = formats.answer_formats(kind)
    table = formats.media_type_table(offered)
    for key in ("format", "output", "results"):
        wanted = request.values.get(key) or ""
        found = formats.find(wanted, among=offered) if wanted.strip() else None
        if found:
            return found.name
    if not request.accept_mimetypes or request.accept_mimetypes.provided is False:
        return "turtle" if kind == "graph" else "json"
    best = request.accept_mimetypes.best_match(list(table), default=None)
    if best is None:
        return None
    # a browser's "application/xml;q=0.9, */*;q=0.8" asks for nothing in particular; a client that
    # names application/xml (and nothing else as good) asks for XML
    anything = any(value == "*/*" for value, _q in request.accept_mimetypes)
    if best in ("application/json", "application/xml") and anything and \
            request.accept_mimetypes[best] == request.accept_mimetypes["*/*"]:
        return "turtle" if kind == "graph" else "json"
    return table[best]


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    """SPARQL 1.1 Protocol: GET ?query=, POST form, POST application/sparql-query."""
    if request.method == "OPTIONS":
        return Response(status=204)
    content_type = (request.mimetype or "").lower()
    if (request.method == "POST" and content_type == "application/sparql-update") or "update" in request.form:
        raise QueryRefused("this endpoint is read-only: SPARQL Update is refused")
    if request.method == "POST" and content_type == "application/sparql-query":
        query = request.get_data(as_text=True)
        params = request.args
    elif request.method == "POST" and content_type not in ("application/x-www-form-urlencoded",
                                                           "multipart/form-data", ""):
        return plain(415, f"unsupported Content-Type {content_type}: send application/sparql-query "
                          "or a form with a 'query' field")
    else:
        query = request.values.get("query")
        params = request.values
    if request.method == "GET" and len(request.args.getlist("query")) > 1:
        return plain(400, "give exactly one 'query' parameter")
    if query is None:
        if request.accept_mimetypes.best_match(["text/html", "text/turtle"]) == "text/html" and \
                request.accept_mimetypes["text/html"] > request.accept_mimetypes["text/turtle"]:
            return redirect(url_for("sparql.query_page"), code=303)
        return service_description()
    if not query.strip():
        return plain(400, "the query is empty")
    kind = check(query, setting("allow_service"))  # errors: web.errors
    fmt = _choose(kind)
    if fmt is None:
        offered = ", ".join(f.media_type for f in formats.answer_formats(kind))
        return plain(406, f"cannot answer in any format the Accept header allows; available: {offered}")
    req = QueryRequest(query=query, default_graphs=params.getlist("default-graph-uri"),
                       named_graphs=params.getlist("named-graph-uri"), max_rows=setting("max_rows"))
    if kind == "graph":
        req.graph_format = fmt
    else:
        req.result_format = fmt
    answer = _executor().run(req)
    response = Response(answer.body, mimetype=answer.media_type)
    if answer.media_type.startswith("text/") or "json" in answer.media_type or "xml" in answer.media_type:
        response.charset = "utf-8"
    if answer.truncated:
        response.headers["X-Postgraph-Truncated"] = str(answer.rows)
        response.headers["Warning"] = f'199 postgraph "results cut at {answer.rows} rows; add LIMIT/OFFSET"'
    return response


def service_description() -> Response:
    """A SPARQL 1.1 Service Description of this endpoint, in Turtle."""
    endpoint = request.base_url
    answered = [*formats.answer_formats("select"), *formats.answer_formats("graph")]
    ttl = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat {", ".join(f"<{f.iri}>" for f in answered)} ;
    sd:feature sd:UnionDefaultGraph ;
    sd:defaultDataset [ a sd:Dataset ; void:sparqlEndpoint <{endpoint}> ] .
"""
    return Response(ttl, mimetype="text/turtle")


def example_queries() -> list[tuple[str, str, str]]:
    """(name, first comment line, text) of every query in ontology/queries/."""
    out = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), path.stem)
        out.append((path.stem, first, text))
    return out


@bp.get("/query")
def query_page() -> str | tuple[str, int]:
    """The query page: editor, example queries, results as a table, downloads."""
    query = request.args.get("query", "")
    error = None
    table: dict | None = None
    if query.strip():
        try:
            table = _table(_executor().run(QueryRequest(query=query, max_rows=1000, terms=True)))
            _label_cells(table)
        except (QueryInvalid, QueryRefused, QueryTimeout, NoGraph) as exc:  # shown in the page
            error = str(exc)
    downloads = [(f.name, url_for("sparql.sparql", query=query, format=f.name))
                 for f in formats.answer_formats(table["kind"] if table else "select")] \
        if query.strip() and not error else []
    status = 400 if error else 200
    page, pages = 1, 1
    if table:  # 100 rows a page; the page number is in the URL, like the query
        pages = max(1, -(-len(table["rows"]) // PAGE_ROWS))
        page = min(max(1, int(request.args.get("page", "1")) if request.args.get("page", "1").isdigit() else 1), pages)
        table["shown"] = table["rows"][(page - 1) * PAGE_ROWS:page * PAGE_ROWS]
        table["first"] = (page - 1) * PAGE_ROWS + 1
    return render_template("query.html", query=query, examples=example_queries(), error=error, table=table,
                           downloads=downloads, prefixes=PREFIXES, page=page, pages=pages), status


@bp.get("/query/terms.json")
def query_terms() -> Response:
    """The classes and properties the knowledge graph uses, as prefixed names with how often: what
    the query editor completes. Computed once per store generation."""
    snapshot = _store().snapshot()
    if snapshot is None:
        return jsonify({"terms": [], "prefixes": sorted(PREFIXES)})

    return jsonify({"terms": per_generation("query-terms", None, lambda: graph_terms(snapshot),
                                            what="the graph's terms"),
                    "prefixes": sorted(PREFIXES)})


PAGE_ROWS = 100
def _label_cells(table: dict) -> None:
    """Show each IRI of the results by its label in the page's language (from the knowledge graph),
    linked to its page, with the IRI on hover; IRIs without a label keep their prefixed form."""
    snapshot = _store().snapshot()
    found = labels(snapshot, (cell["iri"] for row in table["rows"] for cell in row if cell.get("iri")),
                   page_lang()) if snapshot is not None else {}
    for row in table["rows"]:
        for cell in row:
            if cell.get("iri"):
                cell["href"] = link(cell["iri"])
                if cell["iri"] in found:
                    cell["text"] = found[cell["iri"]]


def _table(answer: QueryResponse) -> dict:
    """The page's table of an answer's terms (QueryRequest.terms)."""
    names, terms = answer.terms()
    if answer.kind == "ask":
        return {"kind": "ask", "vars": ["result"], "rows": [[{"text": terms}]], "truncated": False}
    if answer.kind == "graph":
        rows = [[_cell(t.subject), _cell(t.predicate), _cell(t.object)] for t in terms]
        return {"kind": "graph", "vars": ["subject", "predicate", "object"], "rows": rows,
                "truncated": answer.truncated}
    rows = [[_cell(term) for term in row] for row in terms]
    return {"kind": "select", "vars": names, "rows": rows, "truncated": answer.truncated}


def _cell(term: object) -> dict:
    if term is None:
        return {"text": ""}
    if isinstance(term, ox.NamedNode):
        return {"iri": term.value, "text": short_iri(term.value)}
    if isinstance(term, ox.Literal):
        return {"text": term.value, "lang": term.language}
    return {"text": str(term)}


# -- Linked Data -------------------------------------------------------------------------------------

#: Descriptions kept per store generation (the most recently asked): a hub's is 350 KB of Turtle
_DESCRIPTIONS_KEPT = 256


#: What an IRI's description is offered in, in the order a tie in Accept is settled
_DESCRIBE_ORDER = ("turtle", "jsonld", "ntriples", "rdfxml")


def _describe(iri: str) -> Response:
    snapshot = current_snapshot()
    if snapshot is None:
        abort(503)
    offered = [formats.get(name, formats.GRAPH) for name in _DESCRIBE_ORDER]
    wanted = request.args.get("format", "")
    fmt = formats.find(wanted, among=offered) if wanted.strip() else None
    if fmt is None:
        best = request.accept_mimetypes.best_match(["text/html", *(f.media_type for f in offered)],
                                                   default="text/html")
        fmt = None if best == "text/html" else formats.by_media_type(best, among=offered)
    if fmt is None:  # a person: the entity page (bounded queries, evidence, related entities)
        response = entity_page(iri)
        response.headers["Vary"] = "Accept"
        return response
    # the bounds are in the key so that a test may change them (graph.query.describe)
    key = (iri, fmt.name, rdf_description.DESCRIBE_OUT, rdf_description.DESCRIBE_IN)
    found = per_generation("descriptions", key, lambda: rdf_description.description(snapshot, iri, fmt),
                           keep=_DESCRIPTIONS_KEPT, background=False)
    if found is None:
        return plain(404, f"the graph holds nothing about <{iri}>")
    body, truncated = found
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    if truncated:
        response.headers["X-Postgraph-Truncated"] = rdf_description.truncation_note()
    return response


@bp.get("/describe")
def describe() -> Response:
    """Any IRI in the graph, whatever its base: HTML for browsers, RDF by Accept or format=."""
    iri = request.args.get("iri", "").strip()
    if not iri or any(c in iri for c in "<> \"{}|\\^`"):
        return plain(400, "give the IRI to describe: /describe?iri=https://…")
    return _describe(iri)


@bp.get("/id/<path:rest>")
def dereference(rest: str) -> Response:
    """IRIs minted under the served base (`<base>id/…`) dereference here, answered directly (200)."""
    base = entity_base()
    if not base:
        abort(404)
    if ".." in rest.split("/"):
        abort(404)
    # ?format=, ?lang= and ?page= are the page's own parameters; any other query string is part of the IRI
    own = {"format", "lang", "page"}
    query = "&".join(part for part in request.query_string.decode().split("&")
                     if part and part.split("=", 1)[0] not in own)
    iri = base + rest + (f"?{query}" if query else "")
    return _describe(iri)


# -- dumps ---------------------------------------------------------------------------------------------

#: The dumps, by file extension: every export format but RDF/XML (the README's list)
_EXTENSIONS = {spec.extension: name for name, spec in FORMATS.items() if name != "rdfxml"}


@bp.get("/export/postgraph.<ext>")
def dump(ext: str) -> Response:
    """The whole graph as a file: written once per store generation, then served with ETag and
    Last-Modified (304 on revalidation), streamed from disk."""
    fmt = _EXTENSIONS.get(ext)
    if fmt is None:
        abort(404)
    store = _store()
    snapshot, generation = store.snapshot(), store.generation()
    if snapshot is None or generation is None:
        abort(503)
    folder = store.dump_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{generation}.{ext}"
    if not path.exists():
        for old in folder.glob(f"*.{ext}"):
            old.unlink(missing_ok=True)
        tmp = path.with_suffix(f".{ext}.tmp{os.getpid()}")
        with open(tmp, "wb") as f:  # every dump carries the same dataset description (VoID), JSON-LD too
            export(snapshot, fmt, f, extra=void_description(snapshot, request.host_url.rstrip("/"), store.info(), _EXTENSIONS),
                   entity_base=store.info().get("entity_base") or None)
        tmp.replace(path)
    response = send_file(path, mimetype=FORMATS[fmt].media_type, conditional=True, etag=f"{generation}-{ext}",
                         download_name=f"postgraph.{ext}", max_age=0)
    return response


@bp.get("/.well-known/void")
def void() -> Response:
    snapshot = current_snapshot()
    if snapshot is None:
        abort(503)
    counts = per_generation("void-counts", None, lambda: dataset_counts(snapshot), what="the dataset's counts")
    triples = void_description(snapshot, request.host_url.rstrip("/"), _store().info(), _EXTENSIONS, counts)
    offered = [formats.get(name, formats.GRAPH) for name in ("turtle", "jsonld", "ntriples")]
    best = request.accept_mimetypes.best_match([f.media_type for f in offered], default=offered[0].media_type)
    fmt = formats.by_media_type(best, among=offered)
    response = Response(ox.serialize(triples, format=fmt.rdf_format, prefixes=fmt.prefix_map()),
                        mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response


def query_link(query: str) -> str:
    return url_for("sparql.query_page") + "?" + urlencode({"query": query})
