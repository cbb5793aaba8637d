"""The synthetic site generator (bench/generate_site.py): deterministic, the size asked for, and a
site postgraph builds without problems into a graph with the relations the benchmarks query."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from graph.query.sparql import run

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_site", BENCH / "generate_site.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _posts(root: Path) -> list[Path]:
    return [p for p in (root / "content").rglob("*.md") if not p.name.startswith("_index")]


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    gen.generate(tmp_path / "a", 45, seed=7)
    gen.generate(tmp_path / "b", 45, seed=7, jobs=2)
    gen.generate(tmp_path / "c", 45, seed=8)
    a, b, c = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert a == b
    assert a != c


def test_writing_again_replaces_the_site(tmp_path: Path) -> None:
    gen.generate(tmp_path, 30, seed=3)
    gen.generate(tmp_path, 12, seed=3)
    assert len(_posts(tmp_path)) == 12


def test_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit, match="not empty"):
        gen.generate(tmp_path, 5)


@pytest.mark.parametrize("posts", [1, 2, 3, 100])
def test_writes_the_number_of_posts_asked_for(tmp_path: Path, posts: int) -> None:
    summary = gen.generate(tmp_path, posts, seed=1)
    assert len(_posts(tmp_path)) == summary.posts == posts
    assert (tmp_path / "hugo.toml").is_file()


def test_site_mixes_languages_formats_and_drafts(tmp_path: Path) -> None:
    summary = gen.generate(tmp_path, 200, seed=1)
    assert set(summary.by_language) == {"en", "es", "pt"}
    assert set(summary.by_format) == {"yaml", "toml", "json"}
    assert summary.by_format["yaml"] > summary.by_format["toml"] > summary.by_format["json"]
    assert 0 < summary.drafts < 20
    posts = _posts(tmp_path)
    bases = {}
    for p in posts:
        bases.setdefault((p.parent, p.name.split(".")[0]), []).append(p)
    trilingual = [g for g in bases.values() if len(g) == 3]
    assert 0.2 < len(trilingual) / summary.articles < 0.5
    texts = [p.read_text(encoding="utf-8") for p in posts]
    assert any(t.startswith("+++\n") for t in texts) and any(t.startswith("{\n") for t in texts)
    assert any("\n```" in t for t in texts) and any("](https://github.com/" in t for t in texts)
    words = sorted(len(t.split("\n---\n", 1)[-1].split()) for t in texts)
    assert words[0] >= 150 and words[-1] <= 2200


def test_known_names_come_from_the_vocabulary() -> None:
    known = gen.load_known()
    vocabulary = "".join(p.read_text(encoding="utf-8") for p in gen.VOCABULARY_DIR.glob("*.ttl"))
    assert len(known.projects) > 500 and len(known.organizations) > 100
    assert all(len(e) == 3 for e in known.events) and all(len(t) == 3 for t in known.themes)
    for name in (known.projects[0], known.organizations[-1], known.events[3]["en"], known.themes[0]["es"]):
        assert f'"{name}"' in vocabulary


@pytest.fixture(scope="module")
def built(generated_build):
    """(summary, report, snapshot) of conftest's generated site: 60 posts, seed 1."""
    return generated_build


def _count(snapshot, where: str) -> int:
    return int(next(iter(run(snapshot, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").result))[0].value)


def test_postgraph_builds_the_generated_site(built) -> None:
    summary, report, snapshot = built
    assert summary.posts == 60 and summary.drafts > 0
    assert [p for p in report.problems if p.fatal] == []
    assert report.pages == report.mapped == summary.pages == 60 - summary.drafts + 3
    # every published post is its own page: titles and file names never collide
    assert _count(snapshot, "?p a schema:BlogPosting") == summary.posts - summary.drafts
    assert _count(snapshot, "?p schema:translationOfWork ?o") > 0


def test_graph_has_colocations_and_other_relations(built) -> None:
    _, _, snapshot = built
    assert _count(snapshot, "?a seo:colocatedWith ?b") > 0
    assert _count(snapshot, "GRAPH ?g { ?c a pg:Claim ; rdf:predicate seo:colocatedWith }") > 0
    for predicate in ("schema:location", "schema:startDate", "schema:organizer", "pg:theme"):
        assert _count(snapshot, f"?e {predicate} ?x . ?e a schema:Event") > 0, predicate
    # invented names are found by their patterns: linked repositories, event head words
    assert _count(snapshot, 'GRAPH ?g { ?m a pg:Mention ; pg:method "pattern:repository-link" }') > 0
    assert _count(snapshot, 'GRAPH ?g { ?m a pg:Mention ; pg:method "pattern:event-name" }') > 0


FLOOR = Path(__file__).resolve().parents[2] / "shared" / "tools" / "floor_build.py"


@pytest.mark.skipif(not FLOOR.exists(), reason="../shared/tools/floor_build.py is absent (a user's clone)")
@pytest.mark.slow
def test_bench_stages_runs_every_stage(tmp_path: Path) -> None:
    """bench/bench_stages.py on a small site prints every stage against the floor (a smoke test:
    the figures themselves are for people, not asserted)."""
    import subprocess

    out = subprocess.run([sys.executable, str(BENCH / "bench_stages.py"), "--posts", "30", "--sample", "10",
                          "--site", str(tmp_path / "site")], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    for stage in ("read and parse", "extraction", "relations", "N-Quads", "bulk load", "perfectly spread"):
        assert stage in out.stdout
    assert "sample: 10 pages" in out.stdout


@pytest.mark.skipif(not FLOOR.exists(), reason="../shared/tools/floor_build.py is absent (a user's clone)")
@pytest.mark.slow
def test_bench_build_runs_every_phase(tmp_path: Path) -> None:
    """bench/bench_build.py on a small site, remote store included (a smoke test: it once broke
    when the test helpers it borrows became a package, and nothing noticed)."""
    import json
    import subprocess

    out = subprocess.run([sys.executable, str(BENCH / "bench_build.py"), "--posts", "20", "--site",
                          str(tmp_path / "site"), "--remote", "--exports", "nquads", "--json", str(tmp_path / "r.json")],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    results = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert results["ratio_cold_vs_floor"] > 0 and results["exports"][0]["format"] == "nquads"
    assert results["remote"]["cold"]["pages"] == results["remote"]["warm"]["unchanged"] > 0
    assert "remote (oxigraph serve)" in out.stdout
