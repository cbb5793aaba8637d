"""Where a site's content comes from: Hugo's content mounts, and the files found through them.

Checked against Hugo 0.168 (`hugo config mounts`, `hugo list all`):

- A `module.mounts` entry whose target is `content` or below it mounts its source folder there;
  as soon as there is one, `contentDir` and the languages' `contentDir` are not used at all.
- Without one, each language's `contentDir` (its own, else the top-level one, else `content`) is
  mounted once, for the first language that names it (the default language first); a folder
  nested in another is read by both mounts.
- A mount's files without a language suffix belong to `sites.matrix.languages` (a glob slice over
  the language codes), else to the default language; a file named `x.<lang>.md` belongs to that
  language whatever the mount says. `files` (a glob slice, relative to the mount's source) keeps
  or drops files, and drops a whole folder when a negated pattern matches it first.
- Hugo 0.153 replaced `lang`, `includeFiles` and `excludeFiles` (0.168 refuses them); sites
  written for older versions still use them, so they are read as `sites.matrix.languages` and
  `files` = includes followed by negated excludes, which is how older Hugo decided.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.read.globs import GlobSlice


@dataclass(frozen=True)
class ContentMount:
    """A folder (or one file) mounted into the content tree."""

    source: str  # POSIX path relative to the site root ("content/en"), or absolute
    target: str  # where it goes in the content tree: "" for its root, "blog" for content/blog
    languages: tuple[str, ...]  # the languages of its files that have no language suffix
    files: GlobSlice = field(default_factory=lambda: GlobSlice(()))


@dataclass(frozen=True)
class ContentFile:
    """A file in the content tree, with where it came from."""

    rel_path: str  # relative to the site root, POSIX: what `hugo list` prints as path
    path: Path  # on disk
    mount: int  # index of its mount in `SiteConfig.mounts` (the first mount wins a tie)
    dir: str  # its folder in the content tree, POSIX, "" at the root
    name: str  # its file name in the content tree


def content_mounts(c: Mapping[str, Any], languages: Sequence[str], default: str,
                   content_dirs: Mapping[str, str]) -> tuple[ContentMount, ...]:
    """The site's content mounts, from `module.mounts` or else the languages' content dirs.

    `c` is the merged config with lower-case keys; `languages` the codes in weight order;
    `content_dirs` each language's content dir.
    """
    module = c.get("module") if isinstance(c.get("module"), Mapping) else {}
    configured = module.get("mounts") if isinstance(module.get("mounts"), list) else []
    mounts = [m for m in (_mount(raw, languages, default) for raw in configured if isinstance(raw, Mapping)) if m]
    if mounts:
        return tuple(mounts)
    seen: dict[str, str] = {}
    for code in sorted(languages, key=lambda code: code != default):  # the default language first
        seen.setdefault(content_dirs[code], code)
    return tuple(ContentMount(source, "", (code,)) for source, code in seen.items())


def _mount(raw: Mapping[str, Any], languages: Sequence[str], default: str) -> ContentMount | None:
    target = posixpath.normpath(str(raw.get("target") or "").replace("\\", "/")).strip("/")
    if target != "content" and not target.startswith("content/"):
        return None  # layouts, static, assets …: nothing to do with pages
    source = posixpath.normpath(str(raw.get("source") or ".").replace("\\", "/"))
    sites = raw.get("sites") if isinstance(raw.get("sites"), Mapping) else {}
    matrix = sites.get("matrix") if isinstance(sites.get("matrix"), Mapping) else {}
    if matrix.get("languages") is not None:
        langs = GlobSlice.parse(matrix["languages"]).select(languages)
    elif raw.get("lang"):
        langs = tuple(code for code in languages if code == str(raw["lang"]).lower())
    else:
        langs = (default,)
    patterns = _strings(raw.get("files"))
    if not patterns:  # the pre-0.153 keys
        patterns = _strings(raw.get("includefiles")) + [f"! {p}" for p in _strings(raw.get("excludefiles"))]
    # Patterns are relative to the mount's source; Hugo ignores a leading slash.
    patterns = [f"! {p[2:].lstrip('/')}" if p.startswith("! ") else p.lstrip("/") for p in patterns]
    return ContentMount(source, target.removeprefix("content").strip("/"), langs, GlobSlice.parse(patterns))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v is not None] if isinstance(value, list) else []


def walk_mounts(root: Path, mounts: Sequence[ContentMount], ignore_files: Sequence[str]
                ) -> tuple[list[ContentFile], list[tuple[str, str]]]:
    """Every file of every mount, and (path, reason) for what was not followed.

    Symlinks are followed only when they resolve inside the site root (and never twice into the
    same folder of one mount, so link loops end); a mount whose source is outside the site is not
    read at all. Hidden files, editor leftovers and `ignoreFiles` matches (regexes over the
    absolute path, as in Hugo) are left out.
    """
    ignore = [re.compile(r) for r in ignore_files]
    files: list[ContentFile] = []
    refused: list[tuple[str, str]] = []
    for index, mount in enumerate(mounts):
        source = root / mount.source
        if not source.resolve().is_relative_to(root):
            refused.append((mount.source, "content mount outside the site: not read"))
            continue
        rel_source = posixpath.normpath(os.path.relpath(source, root).replace(os.sep, "/"))
        if source.is_file():  # a single file mounted as a page
            target_dir, name = posixpath.split(mount.target)
            files.append(ContentFile(rel_source, source, index, target_dir, name))
            continue
        if source.is_dir():
            _visit(root, source, rel_source, "", index, mount, ignore, set(), files, refused)
    return files, refused


def _visit(root: Path, folder: Path, rel_folder: str, inner: str, index: int, mount: ContentMount,
           ignore: list[re.Pattern[str]], seen: set[Path], files: list[ContentFile],
           refused: list[tuple[str, str]]) -> None:
    real = folder.resolve()
    if real in seen:
        return
    seen.add(real)
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        # Hugo skips hidden files and editor leftovers ("#x#", "x~").
        if entry.name.startswith((".", "#")) or entry.name.endswith("~"):
            continue
        rel = entry.name if rel_folder in ("", ".") else f"{rel_folder}/{entry.name}"
        inner_path = f"{inner}/{entry.name}" if inner else entry.name
        path = Path(entry.path)
        if entry.is_symlink() and not path.resolve().is_relative_to(root):
            refused.append((rel, "symlink to a place outside the site: not followed"))
        elif entry.is_dir():
            if mount.files.first_match(inner_path) is not False:
                _visit(root, path, rel, inner_path, index, mount, ignore, seen, files, refused)
        elif entry.is_file() and mount.files.matches(inner_path) and not any(r.search(entry.path) for r in ignore):
            target_dir = posixpath.join(mount.target, inner).strip("/") if inner else mount.target
            files.append(ContentFile(rel, path, index, target_dir, entry.name))
