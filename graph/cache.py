"""A disk cache for what every build derives the same way from installed data: the gazetteer
(about a second to build from GeoNames and CLDR) and which vocabulary labels are everyday words
(wordfreq lookups, most of a second). An incremental build that maps one post paid both before
doing any work; loading them from here takes a fraction of that.

Entries are pickles under `$POSTGRAPH_CACHE` (default `$XDG_CACHE_HOME/postgraph`, else
`~/.cache/postgraph`), named by a hash of everything they are made from (the code that makes
them, the packages' versions, the vocabulary), written atomically. Any problem reading or writing
the cache only means building the value again: it is never a reason for a build to fail.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def cache_dir() -> Path:
    configured = os.environ.get("POSTGRAPH_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "postgraph"


def key_of_parts(parts: Iterable[str | bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:32]


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """The value cached as `name` for `key`, else `build()` (then cached)."""
    if os.environ.get("POSTGRAPH_CACHE") == "off":
        return build()
    path = cache_dir() / f"{name}-{key}.pickle"
    try:
        with open(path, "rb") as f:
            return _load(f)
    except FileNotFoundError:
        pass
    except Exception as exc:
        log.debug("cache entry %s unreadable (%s): rebuilding it", path, exc)
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{name}-", delete=False) as tmp:
            pickle.dump(value, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
        for old in path.parent.glob(f"{name}-*.pickle"):  # entries of other versions
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.debug("cannot write cache entry %s (%s)", path, exc)
    return value


def _load(f: BinaryIO) -> Any:
    """Unpickle with the cyclic garbage collector paused: an entry of tens of thousands of objects
    otherwise sets off collections that walk everything loaded so far, for nothing (none of it is
    garbage yet); it took about a third of the gazetteer's load."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(f)
    finally:
        if enabled:
            gc.enable()
