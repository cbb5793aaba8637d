"""Minting IRIs: every IRI postgraph creates is made here, from a configurable base.

The same input always yields the same IRI (no counters, no blank nodes), so rebuilds, diffs
and links from outside stay stable. Slugs are readable: `…/id/tag/openstack`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """An ASCII slug: accents dropped, lower case, runs of other characters become one hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug or "x" + quote(text.lower(), safe="").replace("%", "").lower()[:40]


def edition_iri(series: str, year: int, region: str | None = None, month: int | None = None) -> str:
    """An edition of an event series: `<series>/<year>`; `<series>/<region>-<year>` for an edition
    of a region (`…/fluxcon/europe-2026`); `<series>/<year>-<month>` for one of a monthly series
    (`…/linkerd-meetup/2019-03`)."""
    series = series.rstrip("/")
    if month:
        return f"{series}/{year}-{month:02d}"
    return f"{series}/{slugify(region) + '-' if region else ''}{year}"


def default_entity_base(base_url: str) -> str:
    """Entities of a site live under `<baseURL>id/` unless the user chooses another base."""
    return base_url.rstrip("/") + "/id/"


@dataclass(frozen=True)
class Minter:
    """Makes the IRIs of one build. `base` ends with '/' (e.g. https://oss.lat/id/)."""

    base: str

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    def iri(self, *segments: str) -> ox.NamedNode:
        """`base` + the segments, each percent-encoded as a path segment."""
        return ox.NamedNode(self.base + "/".join(quote(s, safe="-._~@+") for s in segments))

    def graph(self, name: str) -> ox.NamedNode:
        """A named graph that belongs to no page: `site`, `vocabulary`, `ontology`."""
        return self.iri("graph", name)

    def scheme(self, taxonomy: str) -> ox.NamedNode:
        return self.iri("scheme", slugify(taxonomy))

    def concept(self, taxonomy: str, term: str) -> ox.NamedNode:
        return self.iri(slugify(taxonomy), slugify(term))

    def author(self, author_id: str) -> ox.NamedNode:
        # Author ids are Hugo term names ("oss.lat"): keep dots, they are part of the id.
        return self.iri("author", author_id.strip().lower().replace(" ", "-"))

    def source(self, rel_path: str) -> ox.NamedNode:
        """The source file a page's graph was derived from (its path relative to the site)."""
        return ox.NamedNode(self.base + "source/" + quote(rel_path, safe="/-._~"))

    def extraction(self, fingerprint: str) -> ox.NamedNode:
        """The activity that produced one page's graph, named by the page's input fingerprint."""
        return self.iri("extraction", fingerprint[:32])

    def agent(self, version: str) -> ox.NamedNode:
        return self.iri("agent", "postgraph", version)

    def website(self, base_url: str) -> ox.NamedNode:
        return ox.NamedNode(base_url)
