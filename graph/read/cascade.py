"""Front matter a page inherits (`cascade`), which pages a rule targets, and Hugo's build options.

Checked against Hugo 0.168 (`hugo list all` / `hugo list published`):

- `cascade` in a branch page's front matter applies to that page and every page below it in the
  same language; `languages.<code>.cascade` and the root `cascade` config apply to every page of
  the site (a language's own first). A key the page sets itself is never replaced, and a nearer
  cascade wins over a farther one, key by key. Top-level keys are not merged deeply: a page with
  its own `build` map ignores a cascaded `build` entirely.
- `target` (formerly `_target`) limits a rule to some pages: `path` (a glob over the logical path,
  "/blog/**"), `kind`, `environment`, and `sites.matrix.languages` (a glob slice); the old `lang`
  glob is read too.
- `build.render` (always, never, link) and `build.list` (always, never, local); `headless: true`
  is render and list never. `hugo list all` leaves out pages whose list is never or local, and
  prints the others, with an empty permalink when render is never.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.read.front_matter import go_bool
from graph.read.globs import GlobSlice, glob_match

_TARGET_KEYS = ("target", "_target")


@dataclass(frozen=True)
class PageMatcher:
    """Hugo's page matcher; an empty one matches every page."""

    path: str | None = None
    kind: str | None = None
    lang: str | None = None  # deprecated in Hugo 0.153 for sites.matrix.languages; still read
    languages: GlobSlice = field(default_factory=lambda: GlobSlice(()))
    environment: str | None = None

    @classmethod
    def parse(cls, value: Any) -> PageMatcher:
        if not isinstance(value, Mapping):
            return cls()
        v = {str(k).lower(): x for k, x in value.items()}
        sites = v.get("sites") if isinstance(v.get("sites"), Mapping) else {}
        matrix = {str(k).lower(): x for k, x in sites.items()}.get("matrix")
        matrix = {str(k).lower(): x for k, x in matrix.items()} if isinstance(matrix, Mapping) else {}

        def text(key: str) -> str | None:
            return str(v[key]) if v.get(key) not in (None, "") else None

        return cls(path=text("path"), kind=text("kind"), lang=text("lang") or text("language"),
                   languages=GlobSlice.parse(matrix.get("languages")), environment=text("environment"))

    def matches(self, *, path: str, kind: str, lang: str, environment: str) -> bool:
        return ((self.path is None or glob_match(self.path, path))
                and (self.kind is None or glob_match(self.kind, kind))
                and (self.lang is None or glob_match(self.lang, lang))
                and (not self.languages or self.languages.matches(lang))
                and (self.environment is None or glob_match(self.environment, environment)))


@dataclass(frozen=True)
class CascadeRule:
    """Front matter values to pass down, and the pages they are for."""

    values: tuple[tuple[str, Any], ...]  # (key as written, value), target keys removed
    target: PageMatcher = field(default_factory=PageMatcher)


def parse_cascade(value: Any) -> tuple[CascadeRule, ...]:
    """The rules in a `cascade` value: one map, or a list of maps, each with an optional target."""
    items = value if isinstance(value, list) else [value]
    rules = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        target = next((item[k] for k in item if str(k).lower() in _TARGET_KEYS), None)
        values = tuple((str(k), v) for k, v in item.items() if str(k).lower() not in _TARGET_KEYS)
        rules.append(CascadeRule(values, PageMatcher.parse(target)))
    return tuple(rules)


def inherit(front_matter: Mapping[str, Any], rules: list[CascadeRule], *, path: str, kind: str, lang: str,
            environment: str) -> dict[str, Any]:
    """The keys `rules` (nearest first) give a page with this front matter: only keys it lacks."""
    have = {str(k).lower() for k in front_matter}
    out: dict[str, Any] = {}
    for rule in rules:
        if not rule.target.matches(path=path, kind=kind, lang=lang, environment=environment):
            continue
        for key, value in rule.values:
            if key.lower() not in have:
                have.add(key.lower())
                out[key] = value
    return out


_RENDER = {"always": "always", "never": "never", "link": "link", "true": "always", "false": "never"}
_LIST = {"always": "always", "never": "never", "local": "local", "true": "always", "false": "never"}


def build_options(front_matter: Mapping[str, Any]) -> tuple[str, str]:
    """(render, list) from `build` (or the old `_build`, with its true/false values) and `headless`."""
    fm = {str(k).lower(): v for k, v in front_matter.items()}
    if go_bool(fm.get("headless")):
        return "never", "never"
    build = fm.get("build") if isinstance(fm.get("build"), Mapping) else fm.get("_build")
    options = {str(k).lower(): v for k, v in build.items()} if isinstance(build, Mapping) else {}

    def option(name: str, allowed: dict[str, str]) -> str:
        value = options.get(name)
        word = ("true" if value else "false") if isinstance(value, bool) else str(value).lower()
        return allowed.get(word, "always")

    return option("render", _RENDER), option("list", _LIST)


def build_reason(render: str, list_: str) -> str | None:
    """Why a page with these build options is not one of the site's pages, if it is not."""
    if render == "never" and list_ != "always":
        return "headless / build options render and list never: Hugo neither renders nor lists it"
    if render == "never":
        return "build.render never: Hugo lists it but renders no page for it (no URL)"
    if list_ == "never":
        return "build.list never: Hugo renders it but lists it nowhere (hugo list leaves it out)"
    if list_ == "local":
        return "build.list local: Hugo lists it only in its own section (hugo list leaves it out)"
    return None
