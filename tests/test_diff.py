"""`postgraph diff`: what a build would change (dry run, nothing written), two stores compared,
and the patches (N-Quads pair, RDF Patch) — checked by applying them."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.build.diff import diff_site, diff_stores, write_rdf_patch
from graph.build.pipeline import BuildOptions, build
from graph.cli.commands import main
from graph.query.export import export
from graph.store.local import LocalStore

from .helpers import site_generator

TIMES = ("endedAtTime", "startedAtTime", "generatedAtTime")  # the build's clock: differs between any two builds


@pytest.fixture(scope="module")
def base_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("diffsite") / "site"
    site_generator().generate(site, 20, seed=5)
    return site


def _quads(store: LocalStore) -> set[str]:
    buf = io.BytesIO()
    export(store.snapshot(), "nquads", buf)
    return {str(q) for q in ox.parse(buf.getvalue(), ox.RdfFormat.N_QUADS)
            if not any(t in q.predicate.value for t in TIMES) and not isinstance(q.subject, ox.BlankNode)
            and not isinstance(q.object, ox.BlankNode)}


def _strip(quads) -> set[str]:
    return {str(q) for q in quads if not any(t in q.predicate.value for t in TIMES)
            and not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}


def _english_posts(site: Path) -> list[Path]:
    return sorted(p for p in (site / "content" / "blog").rglob("*.md")
                  if not p.name.startswith("_index") and p.name.count(".") == 1)


def test_diff_is_what_the_build_then_does(base_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(base_site, site)
    store = LocalStore(tmp_path / "store")
    build(store, BuildOptions(site=site))
    assert not diff_site(store, BuildOptions(site=site)).graphs
    before = _quads(store)
    generation = store.generation()

    edited, gone = _english_posts(site)[0], _english_posts(site)[-1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nWe also met the Kubernetes maintainers.\n",
                      encoding="utf-8")
    gone.unlink()
    result = diff_site(store, BuildOptions(site=site))
    assert store.generation() == generation, "a diff must not write the store"
    by_graph = {g.graph: g for g in result.graphs}
    digest = hashlib.sha256(edited.read_bytes()).hexdigest()  # the edited post's graph records its new hash
    edited_iri = next(g for g in by_graph if g.endswith("/") and by_graph[g].status == "changed"
                      and any(digest in str(q) for q in by_graph[g].added))
    assert by_graph[edited_iri].added
    assert [g.status for g in result.graphs].count("gone") == 1
    assert result.report is not None and result.report.mapped >= 1 and result.report.removed == 1

    # Applying the patch to the old graph gives what the real build then makes.
    patched = (before - _strip(result.removed)) | _strip(result.added)
    build(store, BuildOptions(site=site))
    assert patched == _quads(store)
    assert not diff_site(store, BuildOptions(site=site)).graphs


def test_diff_of_two_stores_and_patch_files(base_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(base_site, site)
    old, new = LocalStore(tmp_path / "old"), LocalStore(tmp_path / "new")
    build(old, BuildOptions(site=site))
    assert not diff_stores(old, old).graphs
    post = _english_posts(site)[1]
    post.write_text(post.read_text(encoding="utf-8").replace("\n\n", "\n\nIt was co-located with FOSDEM 2026.\n\n", 1),
                    encoding="utf-8")
    build(new, BuildOptions(site=site))
    result = diff_stores(old, new)
    assert result.graphs and any("fosdem" in str(q).lower() for q in result.added)
    assert (_quads(old) - _strip(result.removed)) | _strip(result.added) == _quads(new)

    out = tmp_path / "patch"
    cli = CliRunner().invoke(main, ["diff", "--store", str(tmp_path / "old"), "--against", str(tmp_path / "new"),
                                    "--patch-dir", str(out), "--rdf-patch", str(tmp_path / "p.rdfp")])
    assert cli.exit_code == 0, cli.output
    assert "by post" in cli.stdout and "by entity" in cli.stdout
    added = list(ox.parse(path=str(out / "added.nq"), format=ox.RdfFormat.N_QUADS))
    removed = list(ox.parse(path=str(out / "removed.nq"), format=ox.RdfFormat.N_QUADS))
    assert len(added) == len(result.added) and len(removed) == len(result.removed)
    lines = (tmp_path / "p.rdfp").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("H id <uuid:") and lines[2] == "TX ." and lines[-1] == "TC ."
    codes = [line[0] for line in lines[3:-1]]
    assert codes == ["D"] * len(removed) + ["A"] * len(added)
    # every A/D row is an N-Quads statement
    body = "\n".join(line[2:] for line in lines[3:-1])
    assert len(list(ox.parse(body.encode(), ox.RdfFormat.N_QUADS))) == len(added) + len(removed)


def test_cli_diff_uses_the_recorded_site(base_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(base_site, site)
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(site), "--store", str(store)]).exit_code == 0
    result = runner.invoke(main, ["diff", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "0 statement(s) added, 0 removed" in result.stdout
    _english_posts(site)[2].unlink()
    result = runner.invoke(main, ["diff", "--store", str(store), "--statements"])
    assert result.exit_code == 0 and "(gone)" in result.stdout and "\n      - " in result.stdout
    result = runner.invoke(main, ["diff", str(site), "--store", str(store), "--against", str(store)])
    assert result.exit_code == 2


def test_rdf_patch_of_nothing() -> None:
    from graph.build.diff import Diff

    buf = io.BytesIO()
    write_rdf_patch(Diff("a", "b"), buf)
    assert buf.getvalue().decode().splitlines()[2:] == ["TX .", "TC ."]
