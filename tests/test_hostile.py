"""Hostile input: every bad file is reported with its path and reason, nothing else is lost, nothing
outside the site is read, nothing runs, and time and memory stay bounded."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.build.pipeline import BuildFailed, BuildOptions, build
from graph.extract.matcher import key_of
from graph.map.mentions import parse_span
from graph.query.sparql import run
from graph.store.local import LocalStore

pytestmark = pytest.mark.slow  # the big hostile build
FIXTURE = Path(__file__).parent / "fixtures" / "hostile"
MARKER = Path("/tmp/postgraph-pwned-MARKER")  # python-tag.md would create it if YAML tags ran
REASONS = {  # file -> what its report must say
    "invalid-yaml.md": "invalid YAML front matter",
    "invalid-toml.md": "invalid TOML front matter",
    "invalid-json.md": "invalid JSON front matter",
    "duplicate-keys.md": "defined twice",
    "python-tag.md": "could not determine a constructor",
    "python-name.md": "could not determine a constructor",
    "impossible-date.md": "not a date",
    "latin1.md": "not UTF-8",
    "nul-byte.md": "binary file",
    "binary.md": "binary file",
    "alias-bomb.md": "alias bomb",
    "nested-yaml.md": "nesting depth",
    "huge.md": "--max-file-size",
}
KEPT = {"good.md", "html-in-front-matter.md", "unclosed-fence.md", "bom-crlf.md", "con espacios ñandú 日本.md",
        "long-line.md", "nested-list.md", "repeated-name.md"}


def _hostile_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    posts = site / "content" / "posts"
    (posts / "huge.md").write_text('---\ntitle: "Huge"\ndate: 2025-04-01\n---\n'
                                   + "Kubernetes and OpenStack in Pasadena, California. " * 600_000, encoding="utf-8")
    # one 2 MB paragraph that names a project 200,000 times: slow to map, but a post (kept)
    (posts / "repeated-name.md").write_text('---\ntitle: "Repeated name"\ndate: 2025-04-04\n---\n'
                                            + "Kubernetes " * 200_000 + "\n", encoding="utf-8")
    (posts / "long-line.md").write_text('---\ntitle: "Long line"\ndate: 2025-04-02\n---\n' + "x" * (2 * 1024 * 1024)
                                        + " OpenStack\n", encoding="utf-8")
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for p, q in zip("abcdefgh", "bcdefghi", strict=True):
        bomb += f"{q}: &{q} [" + ",".join([f"*{p}"] * 9) + "]\n"
    (posts / "alias-bomb.md").write_text('---\ntitle: "Bomb"\n' + bomb + "---\nBody.\n", encoding="utf-8")
    (posts / "nested-yaml.md").write_text('---\ntitle: "Nested"\nx: ' + "[" * 5000 + "]" * 5000 + "\n---\nBody.\n",
                                          encoding="utf-8")
    (posts / "nested-list.md").write_text('---\ntitle: "Nested list"\ndate: 2025-04-03\n---\n'
                                          + "".join("  " * i + "- OpenStack level\n" for i in range(800)),
                                          encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text('---\ntitle: "SECRET-OUTSIDE"\n---\nTOPSECRETTEXT Kubernetes\n', encoding="utf-8")
    os.symlink(outside / "secret.md", posts / "link-outside.md")
    os.symlink(outside, posts / "dir-outside")
    return site


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    MARKER.unlink(missing_ok=True)
    tmp = tmp_path_factory.mktemp("hostile")
    site = _hostile_site(tmp)
    store = LocalStore(tmp / "store")
    report = build(store, BuildOptions(site=site))
    return site, store, report


def test_every_bad_file_is_reported_with_path_and_reason(hostile) -> None:
    _site, _store, report = hostile
    fatal = {Path(p.path).name: p for p in report.problems if p.fatal}
    for name, reason in REASONS.items():
        assert name in fatal, f"{name} was not reported"
        assert reason in fatal[name].reason, f"{name}: {fatal[name]}"
        assert str(fatal[name]).startswith("content/posts/" + name)
    assert not MARKER.exists(), "a YAML tag ran a command"
    skipped = dict(report.skipped)
    assert "symlink to a place outside the site" in skipped["content/posts/link-outside.md"]
    assert "content/posts/dir-outside" in skipped


def test_the_good_posts_are_intact(hostile, tmp_path: Path) -> None:
    site, store, _report = hostile
    headlines = {r["h"].value for r in run(store.snapshot(), "SELECT ?h WHERE { ?p a schema:BlogPosting ; "
                                                             "schema:headline ?h }").result}
    assert {"Good post", "Unclosed fence", "BOM and CRLF", "Con espacios y ñandú", "Long line",
            "Nested list", "Repeated name", "<img src=x onerror=alert(1)>"} <= headlines
    assert len(headlines) == len(KEPT)
    # the good post's graph is exactly what it is when built alone
    alone = tmp_path / "alone"
    (alone / "content" / "posts").mkdir(parents=True)
    shutil.copy(site / "hugo.toml", alone / "hugo.toml")
    shutil.copy(site / "content" / "posts" / "good.md", alone / "content" / "posts" / "good.md")
    solo = LocalStore(tmp_path / "solo")
    build(solo, BuildOptions(site=alone))
    q = "SELECT ?s ?p ?o WHERE { GRAPH <https://hostile.example/posts/good/> { ?s ?p ?o } FILTER(?p != prov:endedAtTime) }"
    def triples(s):
        return {tuple(str(r[v]) for v in ("s", "p", "o")) for r in run(s.snapshot(), q).result}
    assert triples(store) == triples(solo)


def test_nothing_outside_the_site_is_read(hostile) -> None:
    _site, store, _report = hostile
    dump = " ".join(str(q) for q in store.snapshot())
    assert "TOPSECRETTEXT" not in dump and "SECRET-OUTSIDE" not in dump


def test_hostile_text_is_stored_as_text_and_offsets_hold(hostile) -> None:
    site, store, _report = hostile
    snap = store.snapshot()
    author = {r["n"].value for r in run(snap, "SELECT ?n WHERE { ?p schema:author ?a . ?a schema:name ?n }").result}
    assert "<b onmouseover=alert(3)>Mallory</b>" in author
    # CRLF and BOM: every mention's first span is, in the decoded file, a name of its entity
    post = "https://hostile.example/posts/bom-crlf/"
    text = (site / "content" / "posts" / "bom-crlf.md").read_bytes().decode("utf-8-sig")
    rows = list(run(snap, f"""SELECT ?span ?name WHERE {{ GRAPH <{post}> {{
        ?m oa:hasBody ?e ; pg:method "vocabulary" ; oa:hasTarget ?span }}
        ?e schema:name|skos:prefLabel|skos:altLabel ?name }}""").result)
    assert rows
    spans: dict[tuple[int, int], set[str]] = {}
    for r in rows:
        _source, start, end = parse_span(r["span"].value)
        spans.setdefault((start, end), set()).add(key_of(r["name"].value))
    for (start, end), names in spans.items():
        assert key_of(text[start:end]) in names, text[start:end]


def test_strict_fails_and_leaves_the_store_as_it_was(hostile, tmp_path: Path) -> None:
    site, store, _report = hostile
    before = store.generation()
    with pytest.raises(BuildFailed):
        build(store, BuildOptions(site=site, strict=True))
    assert store.generation() == before


def test_time_and_memory_stay_bounded(tmp_path: Path) -> None:
    """The whole hostile site (a 30 MB file, a 2 MB paragraph, an alias bomb…) builds to the end
    with every process held to 2 GiB of address space, and the main process and its worker together
    peak under 2 GB."""
    site = _hostile_site(tmp_path)
    script = ("import json, resource; from graph.build.pipeline import build, BuildOptions; from graph.store.local import LocalStore;"
              "from graph.build import workers; from pathlib import Path;"
              f"r = build(LocalStore({str(tmp_path / 's')!r}), BuildOptions(site=Path({str(site)!r}), workers=1));"
              "workers.shutdown();"  # so that the worker's peak memory is counted
              "print(json.dumps([len(r.problems), r.mapped, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
              "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")

    def limit() -> None:  # every process (the workers inherit it): 2 GiB of address space, 300 s of CPU
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
        resource.setrlimit(resource.RLIMIT_CPU, (300, 300))

    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          preexec_fn=limit, cwd=Path(__file__).parents[1])
    assert done.returncode == 0, done.stderr[-2000:]
    problems, mapped, main_kb, worker_kb = json.loads(done.stdout.strip().splitlines()[-1])
    assert problems >= len(REASONS) and mapped == len(KEPT)
    assert (main_kb + worker_kb) * 1024 < 2 * 1000**3, f"main {main_kb // 1024} MB, worker {worker_kb // 1024} MB"
