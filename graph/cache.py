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
    """The value cached as `name` for `key`, else `build()` (then cached; entries of `name` for
    other keys are removed)."""
    if os.environ.get("POSTGRAPH_CACHE") == "off":
        return build()
    found = load_entry(f"{name}-{key}")
    if found is not None:
        return found
    value = build()
    if store_entry(f"{name}-{key}", value):
        for old in cache_dir().glob(f"{name}-*.pickle"):  # entries of other versions
            if old.name != f"{name}-{key}.pickle":
                old.unlink(missing_ok=True)
    return value


def enabled() -> bool:
    """False when the cache is turned off (`POSTGRAPH_CACHE=off`)."""
    return os.environ.get("POSTGRAPH_CACHE") != "off"


def load_entry(entry: str) -> Any | None:
    """The value stored as `entry`, or None (none stored, unreadable, or the cache is off)."""
    if not enabled():
        return None
    path = cache_dir() / f"{entry}.pickle"
    try:
        with open(path, "rb") as f:
            return _load(f)
    except FileNotFoundError:
        return None
    except Exception as exc:
        log.debug("cache entry %s unreadable (%s): rebuilding it", path, exc)
        return None


def store_entry(entry: str, value: Any) -> bool:
    """Store `value` as `entry`, atomically; False when it could not be written (or the cache is off)."""
    if not enabled():
        return False
    path = cache_dir() / f"{entry}.pickle"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{entry}-", delete=False) as tmp:
            try:
                pickle.dump(value, tmp, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                os.unlink(tmp.name)
                raise
        os.replace(tmp.name, path)
        return True
    except (OSError, pickle.PicklingError) as exc:
        log.debug("cannot write cache entry %s (%s)", path, exc)
        return False


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
