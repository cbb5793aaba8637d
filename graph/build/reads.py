"""Reading a site's content files for a build, under the page budgets, and not twice the same bytes.

Every build reads every content file: the site's tree, permalinks, translations and dates need
every page's front matter, even when one post changed. Files are parsed in the page workers, each
under its time and memory budget (graph.build.workers). A file whose bytes are those of a file
parsed by an earlier build of the same site is not sent to a worker: its `ParsedSource` comes from
a per-site cache (graph.cache's folder), keyed by the file's path in the site and the SHA-256 of
its bytes, in an entry named by the parsing code itself (a change to it starts a new entry).
Checking costs this process one read of each regular file of at most `--max-file-size` bytes and
a hash, which no content can make slow or hungry; anything else (a FIFO, a file over the limit or
growing, a file not parsed before) goes to the workers as before. Only files that parsed are
kept; the entry is rewritten, with this build's files only, when something new was parsed.

At 1,000 posts a rebuild spent about 0.35 s having one worker start and parse every file; the
check takes a few hundredths of that (bench/README.md).
"""

from __future__ import annotations

import hashlib
import importlib.util
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import yaml

from graph import cache
from graph.build.workers import PagePool, Stopped
from graph.model import ParsedSource, Problem
from graph.read.mounts import ContentFile

#: The modules whose code decides what a file's bytes parse into.
_PARSING_MODULES = ("graph.model", "graph.read.post", "graph.read.front_matter", "graph.read.site", "graph.read.config")

ReadFiles = Callable[[Sequence[ContentFile]], Iterator[ParsedSource | Problem]]


def _entry_name(site: Path) -> str:
    parts: list[str | bytes] = [str(site.resolve()), yaml.__version__]
    for name in _PARSING_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            parts.append(Path(spec.origin).read_bytes())
    return "reads-" + cache.key_of_parts(parts)


def _known_bytes(path: Path, max_file_bytes: int) -> bytes | None:
    """The bytes of `path` when it is a regular file within the limit (read at most limit + 1)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_file_bytes:
            return None
        with open(path, "rb") as f:
            data = f.read(max_file_bytes + 1)
    except OSError:
        return None
    return data if len(data) <= max_file_bytes else None


def reader(pool: PagePool, max_file_bytes: int, site: Path) -> ReadFiles:
    """`load_site`'s `read_files`: each file parsed in a worker under the pool's budget, unless
    its bytes were parsed by an earlier build of this site (see the module docstring)."""

    def read_files(files: Sequence[ContentFile]) -> Iterator[ParsedSource | Problem]:
        entry = _entry_name(site)
        known: dict[tuple[str, str], ParsedSource] = {}
        stored = cache.load_entry(entry) if cache.enabled() else None
        if isinstance(stored, dict):
            known = stored
        answers: dict[int, ParsedSource | Problem] = {}
        kept: dict[tuple[str, str], ParsedSource] = {}
        to_parse: list[int] = []
        for i, f in enumerate(files):
            data = _known_bytes(f.path, max_file_bytes) if known else None
            key = (f.rel_path, hashlib.sha256(data).hexdigest()) if data is not None else None
            hit = known.get(key) if key is not None else None
            if hit is not None and hit.content_hash == key[1]:
                answers[i] = kept[key] = hit
            else:
                to_parse.append(i)
        sizes = []
        for i in to_parse:
            try:
                sizes.append(files[i].path.stat().st_size)
            except OSError:
                sizes.append(0)
        parsed = iter(pool.read([(files[i].rel_path, files[i].path, max_file_bytes) for i in to_parse], sizes,
                                lambda j: files[to_parse[j]].rel_path))
        new = 0
        for i, f in enumerate(files):  # in order, as the workers answer (the progress bar moves)
            answer = answers.pop(i, None)
            if answer is None:
                answer = next(parsed)
                if isinstance(answer, Stopped):
                    answer = Problem(f.rel_path, None, f"skipped, {answer.reason}")
                elif isinstance(answer, ParsedSource):
                    kept[(f.rel_path, answer.content_hash)] = answer
                    new += 1
            yield answer
        if cache.enabled() and (new or len(kept) != len(known)):
            cache.store_entry(entry, kept)

    return read_files
