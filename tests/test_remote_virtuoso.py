"""The remote store against a real OpenLink Virtuoso (Debian's `virtuoso-opensource-7-bin`, which
`scripts/test` installs): the README's authenticated set-up — `/sparql-auth` and
`/sparql-graph-crud-auth` with HTTP Digest, a user in the SPARQL_UPDATE group, the build report
in a named graph because Virtuoso's Graph Store Protocol has no default graph."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.build.pipeline import BuildOptions, build
from graph.cli.commands import main
from graph.store.http import RemoteError
from graph.store.local import open_store

from .helpers import check_web_basics, free_port, server_process, site_generator

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
pytestmark = pytest.mark.skipif(
    not (VIRTUOSO and ISQL),
    reason="Virtuoso is not installed (Debian package virtuoso-opensource-7-bin; scripts/test installs it)")

USER, PASSWORD = "postgraph", "virt-test-secret"

_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
ServerThreads = 10
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {d}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 10
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Virtuoso on free loopback ports with a SPARQL_UPDATE user; yields its base URL."""
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(d=folder, sql=sql, http=http), encoding="utf-8")
    url = f"http://127.0.0.1:{http}"
    with server_process([VIRTUOSO, "+configfile", str(ini), "+foreground"], url + "/sparql?query=ASK%7B%7D",
                        folder / "out.log", name="Virtuoso", cwd=folder, start_seconds=90, stop_seconds=30):
        # a fresh database's dba password is "dba"; the account postgraph uses is an ordinary one
        subprocess.run([ISQL, f"127.0.0.1:{sql}", "dba", "dba",
                        f"exec=DB.DBA.USER_CREATE('{USER}', '{PASSWORD}'); GRANT SPARQL_UPDATE TO \"{USER}\";"],
                       check=True, capture_output=True, timeout=60)
        yield url


@pytest.fixture
def virtuoso_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's authenticated Virtuoso set-up."""
    for name, value in {"POSTGRAPH_STORE_QUERY_PATH": "/sparql-auth", "POSTGRAPH_STORE_UPDATE_PATH": "/sparql-auth",
                        "POSTGRAPH_STORE_GSP_PATH": "/sparql-graph-crud-auth", "POSTGRAPH_STORE_UNION_PARAM": "",
                        "POSTGRAPH_STORE_AUTH": "digest", "POSTGRAPH_STORE_USER": USER,
                        "POSTGRAPH_STORE_PASSWORD": PASSWORD,
                        "POSTGRAPH_STORE_KNOWLEDGE_GRAPH": "urn:postgraph:knowledge"}.items():
        monkeypatch.setenv(name, value)


_BNODE = re.compile(r"_:\S+")


def _quads(path: Path) -> set[str]:
    """N-Quads lines, blank node labels blanked and each build's own time left out."""
    return {_BNODE.sub("_:b", line) for line in path.read_text(encoding="utf-8").splitlines()
            if "endedAtTime" not in line and "/extraction/" not in line}


def test_build_rebuild_query_export_on_virtuoso(virtuoso: str, virtuoso_env: None, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site_generator().generate(site, 14, seed=11)
    report = build(open_store(virtuoso), BuildOptions(site=site))
    assert report.mapped > 5 and report.quads > 1000
    assert open_store(virtuoso).info()["mapped"] == report.mapped  # the report, in its named graph

    again = build(open_store(virtuoso), BuildOptions(site=site))
    assert not again.changed and again.unchanged == report.mapped

    post = sorted(p for p in (site / "content").rglob("*.md") if not p.name.startswith("_index"))[0]
    post.write_text(post.read_text(encoding="utf-8") + "\nAlso FOSDEM and Kubernetes.\n", encoding="utf-8")
    edited = build(open_store(virtuoso), BuildOptions(site=site))
    assert edited.mapped == 1 and edited.unchanged == report.mapped - 1

    # the same graph as the embedded store's, statement for statement
    local = tmp_path / "local"
    build(open_store(local), BuildOptions(site=site))
    runner = CliRunner()
    for store, out in ((virtuoso, tmp_path / "virtuoso.nq"), (str(local), tmp_path / "local.nq")):
        result = runner.invoke(main, ["export", "--store", store, "--format", "nquads", "-o", str(out)])
        assert result.exit_code == 0, result.output
    remote_quads = _quads(tmp_path / "virtuoso.nq")
    assert len(remote_quads) > 1000 and remote_quads == _quads(tmp_path / "local.nq")
    # Virtuoso's own graphs (virtrdf:, its service description) and the report stay out of exports
    turtle = tmp_path / "all.ttl"
    assert runner.invoke(main, ["export", "--store", virtuoso, "--format", "turtle", "-o", str(turtle)]).exit_code == 0
    text = turtle.read_text(encoding="utf-8")
    assert "openlinksw.com" not in text and "urn:postgraph:store" not in text and "schema:BlogPosting" in text

    count = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:BlogPosting }"
    answers = [runner.invoke(main, ["query", "--store", s, "--format", "csv", count]) for s in (virtuoso, str(local))]
    assert answers[0].exit_code == 0, answers[0].output
    assert answers[0].output.split()[-1] == answers[1].output.split()[-1]

    stats = runner.invoke(main, ["stats", "--store", virtuoso])
    assert stats.exit_code == 0 and "other graphs (site, vocabulary, ontology)" in stats.output
    assert "│    -" not in stats.output  # no negative count (Virtuoso's `GRAPH ?g {}` matches nothing)

    post.unlink()
    diff = runner.invoke(main, ["diff", "--store", virtuoso, str(site)])
    assert diff.exit_code == 0, diff.output
    assert re.search(r"\+0\s+-[1-9]\d*\s+https?://", diff.output), diff.output  # the deleted post's graph


def test_virtuoso_without_knowledge_graph_says_what_to_set(virtuoso: str, virtuoso_env: None, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POSTGRAPH_STORE_KNOWLEDGE_GRAPH")
    site = tmp_path / "site"
    site_generator().generate(site, 3, seed=2)
    with pytest.raises(RemoteError, match="POSTGRAPH_STORE_KNOWLEDGE_GRAPH") as info:
        build(open_store(virtuoso), BuildOptions(site=site))
    assert "<" not in str(info.value) and "default" in str(info.value)  # Virtuoso's HTML page, as words


def test_virtuoso_wrong_password_is_a_clear_401(virtuoso: str, virtuoso_env: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTGRAPH_STORE_PASSWORD", "not-the-password")
    result = CliRunner().invoke(main, ["stats", "--store", virtuoso])
    assert result.exit_code != 0 and "401" in result.output and "not-the-password" not in result.output


def test_web_app_on_virtuoso(virtuoso: str, virtuoso_env: None, tmp_path: Path) -> None:
    from web import create_app

    site = tmp_path / "site"
    site_generator().generate(site, 10, seed=4)
    store = open_store(virtuoso)
    build(store, BuildOptions(site=site))
    client = create_app(store, {"TESTING": True, "POSTGRAPH_QUERY_TIMEOUT": 30}).test_client()
    check_web_basics(client, store)
    assert client.get("/graph/data.json").get_json()["nodes"]
    dump = client.get("/export/postgraph.ttl")
    assert dump.status_code == 200 and b"openlinksw.com" not in dump.get_data()
