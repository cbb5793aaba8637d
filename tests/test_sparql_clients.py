"""Real SPARQL clients against `postgraph serve`'s endpoint, each with its default settings, for
SELECT, ASK, CONSTRUCT and DESCRIBE (issue 16): SPARQLWrapper (which sends `format=`/`output=`
beside its Accept header: format=xml for CONSTRUCT and DESCRIBE), rdflib's SPARQLStore, and plain
HTTP with the Accept headers of the SPARQL results formats."""

from __future__ import annotations

import threading
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store.local import LocalStore
from tests.helpers import free_port

REPO = Path(__file__).resolve().parents[1]
SCHEMA = "https://schema.org/"
SELECT = "SELECT ?post ?headline WHERE { ?post a schema:BlogPosting ; schema:headline ?headline } LIMIT 5"
ASK = "ASK { ?e a schema:Event }"
CONSTRUCT = "CONSTRUCT { ?e schema:name ?n } WHERE { ?e a schema:Event ; schema:name ?n } LIMIT 20"


@pytest.fixture(scope="module")
def endpoint(content_store: LocalStore) -> Iterator[str]:
    from waitress.server import create_server

    from web.app import create_app

    app = create_app(content_store, {"POSTGRAPH_QUERY_TIMEOUT": 20.0})
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        server.close()
        app.extensions["postgraph.executor"].close()


def _describe_target(endpoint: str) -> str:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery("PREFIX schema: <https://schema.org/> SELECT ?e WHERE { ?e a schema:Event } LIMIT 1")
    client.setReturnFormat(JSON)
    return client.query().convert()["results"]["bindings"][0]["e"]["value"]


def test_sparqlwrapper_with_its_defaults(endpoint: str) -> None:
    from rdflib import Graph
    from SPARQLWrapper import SPARQLWrapper

    prefix = "PREFIX schema: <https://schema.org/>\n"
    client = SPARQLWrapper(endpoint)  # defaults: GET, returnFormat XML (format=xml is sent too)
    client.setQuery(prefix + SELECT)
    select = client.query().convert()  # an xml.dom Document of SPARQL XML results
    assert select.getElementsByTagName("result"), select.toxml()[:300]
    client.setQuery(prefix + ASK)
    asked = client.query().convert()  # SPARQL XML results: <boolean>true</boolean>
    assert asked.getElementsByTagName("boolean")[0].firstChild.data == "true"
    client.setQuery(prefix + CONSTRUCT)
    constructed = client.query().convert()
    assert isinstance(constructed, Graph) and len(constructed) > 0  # RDF/XML parsed by rdflib
    target = _describe_target(endpoint)
    client.setQuery(f"DESCRIBE <{target}>")
    described = client.query().convert()
    assert isinstance(described, Graph) and len(described) > 0


def test_rdflib_sparqlstore_with_its_defaults(endpoint: str) -> None:
    from rdflib import Graph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(SPARQLStore(endpoint))
    rows = list(graph.query("PREFIX schema: <https://schema.org/>\n" + SELECT))
    assert rows and all(isinstance(r[0], URIRef) for r in rows)
    assert graph.query("PREFIX schema: <https://schema.org/>\n" + ASK).askAnswer is True
    constructed = graph.query("PREFIX schema: <https://schema.org/>\n" + CONSTRUCT).graph
    assert constructed is not None and len(constructed) > 0
    target = _describe_target(endpoint)
    described = graph.query(f"DESCRIBE <{target}>").graph
    assert described is not None and len(described) > 0


@pytest.mark.parametrize(("accept", "root"), [
    ("application/xml", "{http://www.w3.org/2005/sparql-results#}sparql"),
    ("application/sparql-results+xml", "{http://www.w3.org/2005/sparql-results#}sparql"),
    ("text/xml", "{http://www.w3.org/2005/sparql-results#}sparql"),
])
def test_select_with_an_xml_accept_header_answers_sparql_xml(endpoint: str, accept: str, root: str) -> None:
    url = endpoint + "?" + urllib.parse.urlencode({"query": "PREFIX schema: <https://schema.org/>\n" + SELECT})
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=20) as r:
        assert r.headers.get_content_type() == "application/sparql-results+xml"
        assert ET.fromstring(r.read()).tag == root


@pytest.mark.parametrize(("param", "value", "media_type"), [
    ("format", "xml", "application/rdf+xml"), ("format", "rdf+xml", "application/rdf+xml"),
    ("format", "n3", "text/turtle"), ("format", "json", "application/ld+json"),
    ("output", "turtle", "text/turtle"), ("format", "csv", "text/turtle"),  # unknown for a graph: Accept decides
])
def test_construct_format_parameters_clients_send(endpoint: str, param: str, value: str, media_type: str) -> None:
    query = "PREFIX schema: <https://schema.org/>\n" + CONSTRUCT
    url = endpoint + "?" + urllib.parse.urlencode({"query": query, param: value})
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/turtle"}), timeout=20) as r:
        assert r.status == 200 and r.headers.get_content_type() == media_type


def test_an_undeclared_prefix_is_named_with_the_fix(endpoint: str) -> None:
    url = endpoint + "?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE { ?x foaf:name ?n }"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(url, timeout=20)
    message = info.value.read().decode()
    assert info.value.code == 400
    assert "unknown prefix foaf:" in message and "PREFIX foaf:" in message and "schema:" in message
    assert "\\u{" not in message and "'0' ..= '9'" not in message  # not the parser's Unicode ranges


def test_r_sparql_package_with_its_defaults(endpoint: str, tmp_path: Path) -> None:
    """R's SPARQL package (Debian's r-cran-sparql, which scripts/test installs): a SELECT read into
    a data frame. The package reads only <results> of SPARQL XML: ASK booleans and RDF answers are
    outside what it parses, whatever the server sends."""
    import shutil
    import subprocess

    rscript = shutil.which("Rscript")
    assert rscript is not None and not subprocess.run([rscript, "-e", "library(SPARQL)"], capture_output=True).returncode, \
        "R's SPARQL package is missing: run the tests with scripts/test, which installs Debian's r-cran-sparql"
    script = tmp_path / "client.R"
    script.write_text(
        "suppressMessages(library(SPARQL))\n"
        "args <- commandArgs(trailingOnly = TRUE)\n"
        'res <- SPARQL(url = args[1], query = "PREFIX schema: <https://schema.org/> '
        'SELECT ?post ?headline WHERE { ?post a schema:BlogPosting ; schema:headline ?headline }")\n'
        'cat("rows", nrow(res$results), "\\n")\n'
        'cat("headline", as.character(res$results$headline[1]), "\\n")\n', encoding="utf-8")
    done = subprocess.run([rscript, str(script), endpoint], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "rows 1" in done.stdout and "Pasadena" in done.stdout, done.stdout


#: Jars of Debian's libapache-jena-java and what it depends on, in /usr/share/java.
JENA_JARS = ("jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-dboe-base", "jena-dboe-index",
             "jena-dboe-storage", "jena-dboe-trans-data", "jena-dboe-transaction", "jena-iri",
             "jena-rdfconnection", "jena-shacl", "jena-shex", "jena-tdb", "jena-tdb2", "commons-cli",
             "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3", "dexx.collection",
             "gson", "guava", "httpclient", "httpcore", "slf4j-api", "jsonld-java", "jackson-core",
             "jackson-databind", "jackson-annotations", "thrift", "protobuf", "jakarta.json-api", "titanium-json-ld")


def _jena_classpath(tmp_path: Path) -> str:
    """The classpath of Jena's command-line tools as Debian installs them. Debian's build moves
    Jena's copy of Xerces to the package `xerces` but leaves its message bundles under the old
    name, so Jena stops at start-up ("Couldn't load messages: … xerces.impl.xpath.regex.message");
    the bundles are copied out of the installed jena-core.jar under the name the classes look for."""
    import zipfile

    java = Path("/usr/share/java")
    missing = [j for j in JENA_JARS if not (java / f"{j}.jar").exists()]
    assert not missing, f"Jena's jars are missing ({missing}): run the tests with scripts/test, which " \
                        "installs Debian's libapache-jena-java"
    bundles = tmp_path / "jena-bundles"
    with zipfile.ZipFile(java / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                target = bundles / "xerces" / name.removeprefix("org/apache/jena/ext/xerces/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ":".join([str(bundles), *(str(java / f"{j}.jar") for j in JENA_JARS)])


def test_jena_arq_rsparql_with_its_defaults(endpoint: str, tmp_path: Path) -> None:
    """Apache Jena's `rsparql --service` (Debian's libapache-jena-java, which scripts/test
    installs), with its own Accept headers, for SELECT, ASK, CONSTRUCT and DESCRIBE."""
    import shutil
    import subprocess

    java = shutil.which("java")
    assert java is not None, "java is missing: run the tests with scripts/test (Debian's default-jre-headless)"
    classpath = _jena_classpath(tmp_path)
    prefix = "PREFIX schema: <https://schema.org/>\n"
    forms = {"select": prefix + SELECT, "ask": prefix + ASK, "construct": prefix + CONSTRUCT,
             "describe": prefix + "DESCRIBE ?e WHERE { ?e a schema:Event } LIMIT 1"}
    out = {}
    for form, query in forms.items():
        path = tmp_path / f"{form}.rq"
        path.write_text(query, encoding="utf-8")
        done = subprocess.run([java, "-cp", classpath, "arq.rsparql", "--service", endpoint, "--query", str(path)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{form}: {done.stderr[-2000:]}"
        out[form] = done.stdout
    assert "| post" in out["select"] and "openinfra-scale-2025-recap" in out["select"]  # its text table
    assert out["ask"].strip() == "Ask => Yes"
    for form in ("construct", "describe"):  # Turtle Jena parsed and wrote again
        assert "@prefix schema:" in out[form] and "schema:name" in out[form], out[form][:500]
