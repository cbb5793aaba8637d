"""Per-page budgets (issue 17): a page that takes too long or too much memory to read or map is
stopped and reported, keeps its last good graph, and the rest of the site is built.

The slow and the hungry pages are real inputs, not test hooks: a 1 MB paragraph that repeats a
project name (mapped in seconds, linearly, but not within the small budget given here) and a
front matter of 3.5 MB (read in about a second). The budgets are small so the tests are fast, and
still an order of magnitude above what the good pages need.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.build.pipeline import BuildFailed, BuildOptions, build
from graph.build.workers import Budget, PagePool, Stopped
from graph.cli.commands import main
from graph.query.sparql import run
from graph.read.site import read_content
from graph.store.local import LocalStore, MemoryStore

#: Seconds per MB (and at least): a small post maps in ~10 ms; the 1 MB page needs seconds.
TIGHT = 0.3
BIG = "---\ntitle: Kubernetes everywhere\ndate: 2025-01-02\n---\n" + "Kubernetes " * 100_000 + "\n"


def _site(root: Path, big: str | None = BIG) -> Path:
    posts = root / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    for i in range(3):
        (posts / f"p{i}.md").write_text(f'---\ntitle: "Post {i}"\ndate: 2025-01-01\n---\n'
                                        "OpenStack met Kubernetes in Pasadena, California.\n", encoding="utf-8")
    (posts / "big.md").write_text(big or "---\ntitle: Small at first\ndate: 2025-01-02\n---\nAbout Ceph.\n",
                                  encoding="utf-8")
    return root


def _headlines(store) -> set[str]:
    rows = run(store.snapshot(), "SELECT ?h WHERE { ?p a schema:BlogPosting ; schema:headline ?h }").result
    return {r["h"].value for r in rows}


def test_a_page_over_its_time_is_skipped_and_the_rest_is_built(tmp_path: Path) -> None:
    store = MemoryStore()
    report = build(store, BuildOptions(site=_site(tmp_path / "site"), page_timeout=TIGHT))
    problems = [str(p) for p in report.problems if p.fatal]
    assert len(problems) == 1, problems
    # (mapping it takes seconds; on a loaded machine reading its 1 MB may already take over 0.33 s)
    assert re.fullmatch(r"content/posts/big\.md: skipped, took longer than 0\.3\d* s( to read)? \(--page-timeout\)",
                        problems[0])
    assert report.mapped == 3
    assert _headlines(store) == {"Post 0", "Post 1", "Post 2"}


def test_a_stopped_page_keeps_its_last_good_graph(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", big=None)
    store = LocalStore(tmp_path / "store")
    build(store, BuildOptions(site=site))  # the default budget: a loaded machine must not stop this one
    assert "Small at first" in _headlines(store)
    (site / "content" / "posts" / "big.md").write_text(BIG, encoding="utf-8")
    (site / "content" / "posts" / "p0.md").write_text('---\ntitle: "Post 0, edited"\ndate: 2025-01-01\n---\nCeph.\n',
                                                      encoding="utf-8")
    report = build(store, BuildOptions(site=site, page_timeout=TIGHT))
    assert report.kept == ["https://example.org/posts/big/"]
    assert report.mapped == 1  # p0; big.md was given up
    # its graph and its facts in the knowledge graph are the last good ones; the edit went in
    assert _headlines(store) == {"Small at first", "Post 0, edited", "Post 1", "Post 2"}
    said = run(store.snapshot(), "SELECT ?e WHERE { GRAPH <https://example.org/posts/big/> { ?m oa:hasBody ?e } }")
    assert any(r["e"].value.endswith("/ceph") for r in said.result)
    # with room enough, the next build maps it
    again = build(store, BuildOptions(site=site))
    assert again.mapped == 1 and not again.problems and "Kubernetes everywhere" in _headlines(store)


def test_strict_fails_on_a_stopped_page_and_leaves_the_store(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", big=None)
    store_dir = tmp_path / "store"
    build(LocalStore(store_dir), BuildOptions(site=site))
    before = LocalStore(store_dir).generation()
    (site / "content" / "posts" / "big.md").write_text(BIG, encoding="utf-8")
    with pytest.raises(BuildFailed, match="over their budget"):
        build(LocalStore(store_dir), BuildOptions(site=site, page_timeout=TIGHT, strict=True))
    assert LocalStore(store_dir).generation() == before
    result = CliRunner().invoke(main, ["build", str(site), "--store", str(store_dir), "--strict",
                                       "--page-timeout", str(TIGHT)])
    assert result.exit_code != 0
    assert "content/posts/big.md: skipped, took longer than" in result.output
    assert LocalStore(store_dir).generation() == before
    result = CliRunner().invoke(main, ["build", str(site), "--store", str(store_dir), "--page-timeout", str(TIGHT)])
    assert result.exit_code == 0, result.output  # without --strict: reported, and the rest is built


def test_a_page_over_its_memory_is_skipped(tmp_path: Path) -> None:
    store = MemoryStore()
    report = build(store, BuildOptions(site=_site(tmp_path / "site"), page_timeout=60, page_memory=60))
    problems = [str(p) for p in report.problems if p.fatal]
    assert problems == ["content/posts/big.md: skipped, used more than 60 MB (--page-memory)"]
    assert _headlines(store) == {"Post 0", "Post 1", "Post 2"}


def test_reading_is_under_the_budget_too(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", big=None)
    keys = "".join(f"key{i}: a value that takes the parser a while {i}\n" for i in range(70_000))  # 3.5 MB
    (site / "content" / "posts" / "big.md").write_text(f"---\ntitle: Big front matter\n{keys}---\nCeph.\n",
                                                       encoding="utf-8")
    store = MemoryStore()
    report = build(store, BuildOptions(site=site, page_timeout=0.1))
    problems = [str(p) for p in report.problems if p.fatal]
    assert len(problems) == 1, problems
    assert re.fullmatch(r"content/posts/big\.md: skipped, took longer than 0\.3\d* s to read \(--page-timeout\)",
                        problems[0])
    assert _headlines(store) == {"Post 0", "Post 1", "Post 2"}


def test_a_read_that_blocks_is_stopped(tmp_path: Path) -> None:
    """A FIFO never ends (a build never lists one: it reads regular files only); the pool stops it
    and goes on with the next file, in a new worker."""
    fifo, plain = tmp_path / "fifo.md", tmp_path / "plain.md"
    os.mkfifo(fifo)
    plain.write_text("---\ntitle: Plain\n---\nText.\n", encoding="utf-8")
    files = [(p.name, p, 1024) for p in (fifo, plain)]
    with PagePool(Budget(0.5), workers=1) as pool:
        out = list(pool.read(files, [0, 0], lambda i: files[i][0]))
    assert out[0] == Stopped("took longer than 0.5 s to read (--page-timeout)")
    assert out[1] == read_content(*files[1])


def test_no_budgets_maps_in_this_process(tmp_path: Path) -> None:
    """--page-timeout 0: the escape hatch; nothing is stopped, and the graph is the same."""
    site = _site(tmp_path / "site")
    small = tmp_path / "small"
    shutil.copytree(site, small)
    (small / "content" / "posts" / "big.md").write_text(BIG[:20_000], encoding="utf-8")
    inline, workers = MemoryStore(), MemoryStore()
    report = build(inline, BuildOptions(site=small, page_timeout=0))
    build(workers, BuildOptions(site=small))
    assert report.mapped == 4 and not report.problems
    q = ("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o FILTER(?p != prov:endedAtTime && !isBlank(?s) "
         "&& !isBlank(?o)) } } ORDER BY ?g ?s ?p ?o")
    assert [tuple(map(str, r)) for r in run(inline.snapshot(), q).result] == \
        [tuple(map(str, r)) for r in run(workers.snapshot(), q).result]


def test_a_file_that_grows_while_read_is_refused(tmp_path: Path) -> None:
    """At most --max-file-size bytes are read, whatever the size was when the file was listed: a
    FIFO (its size is 0) fed more than that stands for a file that grows while it is read."""
    import threading

    fifo = tmp_path / "growing.md"
    os.mkfifo(fifo)

    def feed() -> None:
        try:
            with open(fifo, "wb") as f:
                f.write(b"---\ntitle: Growing\n---\n" + b"x" * (2 * 1024 * 1024))
        except BrokenPipeError:
            pass  # the reader stopped at the limit

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        result = read_content("content/growing.md", fifo, 1024 * 1024)
    finally:
        writer.join(10)
    assert str(result) == ("content/growing.md: file grew while it was read, over the limit of 1 MiB for one "
                           "page (--max-file-size): skipped")
