"""The disk cache (graph.cache): a hit gives the same value, a damaged entry is rebuilt, and an
unwritable cache only means building again."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import cache


def test_cached_value_is_built_once_and_rebuilt_when_damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTGRAPH_CACHE", str(tmp_path / "c"))
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"answer": 42}

    assert cache.cached("thing", "k1", build) == {"answer": 42}
    assert cache.cached("thing", "k1", build) == {"answer": 42}
    assert len(calls) == 1, "the second call reads the entry"
    (entry,) = (tmp_path / "c").glob("thing-k1.pickle")
    entry.write_bytes(b"not a pickle")
    assert cache.cached("thing", "k1", build) == {"answer": 42} and len(calls) == 2
    cache.cached("thing", "k2", build)  # a new key replaces the entries of other keys
    assert [p.name for p in (tmp_path / "c").glob("thing-*.pickle")] == ["thing-k2.pickle"]


def test_unwritable_cache_still_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("POSTGRAPH_CACHE", str(blocker / "sub"))
    assert cache.cached("thing", "k", lambda: [1, 2]) == [1, 2]


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTGRAPH_CACHE", "off")
    calls: list[int] = []
    cache.cached("thing", "k", lambda: calls.append(1))
    cache.cached("thing", "k", lambda: calls.append(1))
    assert len(calls) == 2


def test_everyday_word_answers_are_kept_between_processes(tmp_path: Path) -> None:
    """The second process answers from the disk and never loads wordfreq's tables."""
    import os
    import subprocess
    import sys

    script = ("import sys; from graph.extract.matcher import is_common_word; "
              "print(is_common_word('Tempo'), is_common_word('Kubernetes'), 'wordfreq' in sys.modules)")
    env = {**os.environ, "POSTGRAPH_CACHE": str(tmp_path / "c")}
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.split() == ["True", "False", "True"]
    assert second.stdout.split() == ["True", "False", "False"]
