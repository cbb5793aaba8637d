"""Exports round-tripped through rdflib, pyoxigraph and rapper; the CLI end to end."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from graph.cli.commands import main
from graph.query.export import FORMATS, export

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(content_store) -> ox.Store:
    return content_store.snapshot()


def _distinct_triples(store: ox.Store) -> int:
    """The knowledge graph's size: what the single-graph formats carry (data model v2)."""
    return int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0].value)


RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                  "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_round_trips(built: ox.Store, fmt: str) -> None:
    buf = io.BytesIO()
    export(built, fmt, buf)
    data = buf.getvalue()
    spec = FORMATS[fmt]
    # pyoxigraph reads it back
    back = ox.Store()
    back.load(data, format=spec.rdf_format)
    if spec.dataset:
        assert len(back) == len(built)
        assert set(back.named_graphs()) == set(built.named_graphs())
    else:
        assert len(back) == _distinct_triples(built)
    # and so does rdflib, independently
    if spec.dataset:
        ds = rdflib.Dataset()
        ds.parse(data=data, format=RDFLIB_FORMATS[fmt])
        assert sum(1 for _ in ds.quads((None, None, None, None))) == len(built)
    else:
        g = rdflib.Graph()
        g.parse(data=data, format=RDFLIB_FORMATS[fmt])
        assert len(g) == _distinct_triples(built)


def test_turtle_groups_each_subject_once_in_order(built: ox.Store) -> None:
    buf = io.BytesIO()
    export(built, "turtle", buf)
    starts = [line.split(" ", 1)[0] for line in buf.getvalue().decode().splitlines()
              if line and not line.startswith(("@prefix", " ", "\t", "PREFIX"))]
    assert len(starts) > 10 and len(starts) == len(set(starts)), "a subject split over several blocks"


def test_turtle_accepted_by_rapper(built: ox.Store, tmp_path: Path) -> None:
    if shutil.which("rapper") is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed; scripts/test installs it")
    path = tmp_path / "g.ttl"
    with open(path, "wb") as f:
        export(built, "turtle", f, entity_base=_entity_base(built))
    out = subprocess.run(["rapper", "-i", "turtle", "-c", str(path)], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert f"returned {_distinct_triples(built)} triples" in out.stderr


def _entity_base(store: ox.Store) -> str:
    subject = next(q.subject.value for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
                   if "/id/" in getattr(q.subject, "value", ""))
    return subject.split("/id/")[0] + "/id/"


def test_turtle_names_the_sites_entities_with_the_id_prefix(built: ox.Store) -> None:
    base = _entity_base(built)
    buf = io.BytesIO()
    export(built, "turtle", buf, entity_base=base)
    text = buf.getvalue().decode()
    assert f"@prefix id: <{base}> ." in text and "\nid:event\\/" in text
    assert f"<{base}event/" not in text  # every entity IRI under the base is written with the prefix
    parsed = ox.Store()
    parsed.load(buf.getvalue(), format=ox.RdfFormat.TURTLE)
    assert len(parsed) == _distinct_triples(built)


# -- CLI -------------------------------------------------------------------------------------------

@pytest.fixture
def cli_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    (site / "content" / "posts" / "good.md").write_text(
        "+++\ntitle = \"Good\"\ndate = 2025-03-01T10:00:00+01:00\ntags = [\"x\"]\n+++\nHello.\n", encoding="utf-8")
    (site / "content" / "posts" / "broken.md").write_text(
        "---\ntitle: ok\ndate: 2025-01-01\ntags: [a, b\n---\nbody\n", encoding="utf-8")
    return site


def test_cli_build_reports_broken_file_and_goes_on(cli_site: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    result = CliRunner().invoke(main, ["build", str(cli_site), "--store", store])
    assert result.exit_code == 0, result.output
    assert "content/posts/broken.md:4:" in result.output
    assert "1 pages mapped" in result.output or "pages mapped" in result.output
    strict = CliRunner().invoke(main, ["build", str(cli_site), "--store", store, "--strict"])
    assert strict.exit_code == 1
    assert "content/posts/broken.md" in strict.output


def test_cli_query_formats_and_errors(cli_site: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(cli_site), "--store", store]).exit_code == 0
    q = "SELECT ?h WHERE { ?p a schema:BlogPosting ; schema:headline ?h }"
    table = runner.invoke(main, ["query", q, "--store", store])
    assert table.exit_code == 0 and "Good" in table.output
    csv_out = runner.invoke(main, ["query", q, "--store", store, "--format", "csv"])
    assert csv_out.output.splitlines()[:2] == ["h", "Good"]
    json_out = runner.invoke(main, ["query", q, "--store", store, "--format", "json"])
    assert '"value":"Good"' in json_out.output.replace(" ", "")
    ttl = runner.invoke(main, ["query", "CONSTRUCT { ?p schema:headline ?h } WHERE { ?p schema:headline ?h }",
                               "--store", store])
    assert ttl.exit_code == 0 and 'schema:headline "Good"' in ttl.output
    ask = runner.invoke(main, ["query", "ASK { ?s a schema:BlogPosting }", "--store", store])
    assert ask.output.strip() == "true"
    bad = runner.invoke(main, ["query", "SELECT ?x WHERE {\n  ?x ?y }", "--store", store])
    assert bad.exit_code == 2
    assert "2:" in bad.output  # line:column of the error
    stdin = runner.invoke(main, ["query", "-", "--store", store, "--format", "tsv"], input=q)
    assert stdin.output.splitlines()[1] == '"Good"@en'


def test_cli_export_stats_validate(cli_site: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    runner.invoke(main, ["build", str(cli_site), "--store", store])
    out = tmp_path / "g.nq"
    result = runner.invoke(main, ["export", "--store", store, "--format", "nquads", "-o", str(out)])
    assert result.exit_code == 0
    assert "<https://example.org/posts/good/>" in out.read_text(encoding="utf-8")
    stats = runner.invoke(main, ["stats", "--store", store])
    assert stats.exit_code == 0 and "schema:BlogPosting" in stats.output and "broken.md" in stats.output
    valid = runner.invoke(main, ["validate", "--store", store])
    assert valid.exit_code == 0 and "conforms" in valid.output


def test_cli_stats_groups_skipped_files_by_reason(cli_site: Path, tmp_path: Path) -> None:
    """A big site has thousands of drafts: stats counts them by reason and lists a few, or all on request."""
    posts = cli_site / "content" / "posts"
    for i in range(13):
        (posts / f"draft-{i:02}.md").write_text(f"---\ntitle: D{i}\ndraft: true\n---\nx\n", encoding="utf-8")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(cli_site), "--store", store]).exit_code == 0
    short = runner.invoke(main, ["stats", "--store", store])
    assert short.exit_code == 0, short.output
    assert "skipped (13) draft" in short.output
    assert sum(f"draft-{i:02}.md" in short.output for i in range(13)) == 10
    assert "… and 3 more" in short.output and "broken.md" in short.output
    full = runner.invoke(main, ["stats", "--store", store, "--all-files"])
    assert all(f"draft-{i:02}.md" in full.output for i in range(13)) and "more" not in full.output


def test_cli_without_graph_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "postgraph build" in result.output


def test_cli_help_explains_every_option() -> None:
    import click

    for name, command in main.commands.items():
        assert command.help, f"{name} has no help text"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"postgraph {name} {param.opts[0]} has no help text"
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Options:" in result.output


def test_cli_table_fits_80_columns_with_prefixed_names(tmp_path: Path) -> None:
    """The default table: the site's entities as id:…, vocabulary terms as schema:…, long literals
    cut, one line per row within the terminal's 80 columns (it cut IRIs to "https://o…" and wrapped
    cells over 20 lines)."""
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://a-rather-long-host-name.example.org/blog/"\n', encoding="utf-8")
    (site / "content" / "posts" / "p.md").write_text(
        "---\ntitle: \"" + "A very long headline about OpenInfra Days North America 2025 " * 3 + "\"\n"
        "date: 2025-04-18\n---\nThe OpenInfra Days North America 2025 took place in Pasadena.\n", encoding="utf-8")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(site), "--store", store]).exit_code == 0
    q = "SELECT ?e ?type ?headline WHERE { ?p schema:headline ?headline ; schema:mentions ?e . ?e a ?type }"
    result = runner.invoke(main, ["query", q, "--store", store], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 80, "\n".join(lines)
    assert "id:event/" in result.stdout and "schema:" in result.stdout
    assert "https://a-rather" not in result.stdout.split("id: =")[0]  # IRIs of the site are prefixed
    assert "id: = https://a-rather-long-host-name.example.org/blog/id/" in result.stdout
