"""A rebuild does not parse again a file whose bytes it parsed before (graph.build.reads)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.build.pipeline import BuildOptions, build
from graph.build.reads import reader
from graph.build.workers import Budget, PagePool
from graph.model import ParsedSource, Problem
from graph.read.config import load_config
from graph.read.mounts import walk_mounts
from graph.read.site import MAX_FILE_BYTES
from graph.store.local import MemoryStore


class CountingPool(PagePool):
    """A real pool of page workers that remembers which files it was given to parse."""

    def __init__(self) -> None:
        super().__init__(Budget(15.0, None), workers=1)
        self.parsed: list[str] = []

    def read(self, items, sizes, what):  # type: ignore[no-untyped-def]
        self.parsed += [item[0] for item in items]
        return super().read(items, sizes, what)


def _site(root: Path) -> Path:
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    for i in range(3):
        (posts / f"p{i}.md").write_text(f'---\ntitle: "Post {i}"\n---\nAbout Ceph.\n', encoding="utf-8")
    (posts / "bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    return root


def _read(site: Path, pool: PagePool) -> dict[str, ParsedSource | Problem]:
    config = load_config(site)
    files, _ = walk_mounts(config.root, config.mounts, config.ignore_files)
    files = sorted((f for f in files if f.name.endswith(".md")), key=lambda f: f.rel_path)
    return {f.rel_path: r for f, r in zip(files, reader(pool, MAX_FILE_BYTES, site)(files), strict=True)}


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("POSTGRAPH_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_unchanged_files_are_not_parsed_again_changed_ones_are(tmp_path: Path, cache_dir: Path) -> None:
    site = _site(tmp_path / "site")
    with CountingPool() as pool:
        first = _read(site, pool)
    assert sorted(pool.parsed) == ["content/posts/bad.md", *(f"content/posts/p{i}.md" for i in range(3))]
    assert isinstance(first["content/posts/bad.md"], Problem)
    (site / "content" / "posts" / "p1.md").write_text('---\ntitle: "Post 1, edited"\n---\nAbout Ceph.\n', encoding="utf-8")
    with CountingPool() as pool:
        second = _read(site, pool)
    # the edited file and the one that did not parse are parsed again; the others come from the cache
    assert sorted(pool.parsed) == ["content/posts/bad.md", "content/posts/p1.md"]
    assert second["content/posts/p1.md"].front_matter["title"] == "Post 1, edited"
    assert second["content/posts/p0.md"] == first["content/posts/p0.md"]
    assert isinstance(second["content/posts/bad.md"], Problem)


def test_without_the_cache_every_file_is_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTGRAPH_CACHE", "off")
    site = _site(tmp_path / "site")
    for _ in range(2):
        with CountingPool() as pool:
            _read(site, pool)
        assert len(pool.parsed) == 4


def test_an_unreadable_cache_entry_means_parsing_again(tmp_path: Path, cache_dir: Path) -> None:
    site = _site(tmp_path / "site")
    with CountingPool() as pool:
        _read(site, pool)
    for entry in cache_dir.glob("reads-*.pickle"):
        entry.write_bytes(b"not a pickle")
    with CountingPool() as pool:
        again = _read(site, pool)
    assert len(pool.parsed) == 4 and again["content/posts/p2.md"].front_matter["title"] == "Post 2"


def test_a_rebuild_from_the_cache_makes_the_same_graph(tmp_path: Path, cache_dir: Path) -> None:
    site = _site(tmp_path / "site")
    first, second = MemoryStore(), MemoryStore()
    build(first, BuildOptions(site=site))
    assert any(cache_dir.glob("reads-*.pickle"))
    build(second, BuildOptions(site=site))
    dump = [sorted(str(q) for q in s.snapshot().quads_for_pattern(None, None, None)
                    if "endedAtTime" not in str(q) and "_:" not in str(q))
            for s in (first, second)]  # (but the time each extraction ended, and the ontology's blank nodes)
    assert len(dump[0]) > 100 and dump[0] == dump[1]
