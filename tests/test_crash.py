"""A build killed with SIGKILL leaves the previous graph intact and queryable; the next build completes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.build.pipeline import BuildOptions, build
from graph.query.sparql import run
from graph.store.local import LocalStore

pytestmark = pytest.mark.slow  # processes killed mid-build, ten seconds each


def _site(root: Path, posts: int, title: str) -> Path:
    (root / "content" / "posts").mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    body = "OpenStack and Kubernetes met in Pasadena. " * 4 + "Plain words about nothing in particular. " * 30
    for i in range(posts):
        (root / "content" / "posts" / f"p{i:05d}.md").write_text(
            f"---\ntitle: \"{title} {i}\"\ndate: 2025-01-01\ntags: [t{i % 50}]\n---\n{body}\n", encoding="utf-8")
    return root


def _titles(store: LocalStore) -> set[str]:
    answer = run(store.snapshot(), "SELECT DISTINCT ?h WHERE { ?p a schema:BlogPosting ; schema:headline ?h }")
    return {s["h"].value.rsplit(" ", 1)[0] for s in answer.result}


POSTS = 1500  # a build of this site takes several seconds, so the kill lands inside it


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_during_build_keeps_previous_graph(tmp_path: Path, seed: int) -> None:
    site = _site(tmp_path / "site", POSTS, "Old")
    store_dir = tmp_path / "store"
    build(LocalStore(store_dir), BuildOptions(site=site))
    before = LocalStore(store_dir).generation()
    _site(site, POSTS, "New")  # every page changes: the next build rewrites everything

    proc = subprocess.Popen([sys.executable, "-m", "graph.cli.commands", "-q", "build", str(site), "--store", str(store_dir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(random.Random(seed).uniform(0.5, 2.5))
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the build finished before it could be killed: use a bigger site"

    store = LocalStore(store_dir)
    after = store.generation()
    titles = _titles(store)
    assert titles in ({"Old"}, {"New"}), f"a mix of two builds is visible: {titles}"
    if after == before:
        assert titles == {"Old"}
    count = run(store.snapshot(), "SELECT (COUNT(*) AS ?n) WHERE { ?p a schema:BlogPosting }")
    assert int(next(iter(count.result))[0].value) == POSTS

    report = build(LocalStore(store_dir), BuildOptions(site=site))
    assert _titles(LocalStore(store_dir)) == {"New"}
    assert report.pages == POSTS
    generations = [p for p in store_dir.glob("gen-*") if p.is_dir()]
    assert len(generations) <= 2, "debris of the killed build was not removed"
