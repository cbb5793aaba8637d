"""Mapping one page: its named graph (mentions, claims, provenance) and its own facts for the
knowledge graph, as serialised bytes a build loads in bulk (`PageMapper`, one `Job` per page), and
what mapping needs of the site beyond each page (`mapping_context`, `series_of_editions`).

A `PageMapper` is picklable: the page workers (graph.build.workers) each hold one, with an
extractor of their own."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.extract.extractor import Extractor
from graph.extract.vocabulary import Vocabulary
from graph.ids import Minter
from graph.map.mentions import extraction_nquads, mentioned_entities
from graph.map.pages import MappingContext, page_quads
from graph.model import Page, Translation
from graph.namespaces import X_SCHEMA
from graph.read.config import SiteConfig

#: One page to map: (page, fingerprint, its translations, the author id it profiles).
Job = tuple[Page, str, Sequence[Translation], "str | None"]


@dataclass(frozen=True)
class MappedPage:
    """One page, mapped: its named graph, its own facts for the knowledge graph, and what it says
    about entities (the input of consolidation)."""

    graph: str
    count: int  # quads: named graph + knowledge graph
    own: bytes  # N-Quads of the page's named graph
    knowledge: bytes  # N-Triples of the default graph whose subject is the page
    statements: list[tuple[str, str, str]]  # what it says about entities (N-Triples terms)
    mentioned: list[str]  # entities it mentions (`<iri>`)
    links: set[tuple[str, str]]  # (schema:mentions or schema:about, entity): also its article's


class PageMapper:
    """Maps one page to its named graph and its facts. Picklable, so worker processes can each
    hold one (with their own extractor, built on first use)."""

    def __init__(self, ctx: MappingContext, entity_base: str, series_of: dict[str, str],
                 build_time: dt.datetime) -> None:
        self.ctx, self.entity_base, self.series_of, self.build_time = ctx, entity_base, series_of, build_time
        self._extractor: Extractor | None = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_extractor": None}

    def use_extractor(self, extractor: Extractor) -> None:
        """Map with `extractor`, one made by `Extractor.for_site` for this mapper's entity base and site
        title (a worker keeps it from one build to the next)."""
        self._extractor = extractor

    def extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = Extractor.for_site(self.entity_base, self.ctx.site_title)
        return self._extractor

    def __call__(self, job: Job) -> MappedPage:
        page, fp, translations, profile_of = job
        knowledge, provenance = page_quads(page, self.ctx, fingerprint=fp, build_time=self.build_time,
                                           translations=translations, profile_of=profile_of)
        extraction = self.extractor().extract(page)
        said: list[tuple[str, str, str]] = []
        count, own = extraction_nquads(page, extraction, ox.NamedNode(page.permalink), self.series_of,
                                       said, source=self.ctx.minter.source(page.rel_path).value)
        mentioned = [f"<{iri}>" for iri in mentioned_entities(extraction, self.series_of)]
        post = f"<{page.permalink}>"
        pairs = {(f"<{X_SCHEMA.mentions.value}>", e) for e in mentioned}
        pairs |= {(f"<{X_SCHEMA.about.value}>", f"<{iri}>") for iri in extraction.about}
        lines = "".join(f"{post} {p} {e} .\n" for p, e in sorted(pairs))
        return MappedPage(page.permalink, len(knowledge) + len(provenance) + count + len(pairs),
                          nquads(provenance) + own, nquads(knowledge) + lines.encode(), said, mentioned, pairs)


def git_commit(root: Path) -> str | None:
    """The HEAD commit when the site is (inside) a git work tree, else None."""
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and len(commit) == 40 else None


def mapping_context(config: SiteConfig, entity_base: str) -> MappingContext:
    """What mapping needs of the site beyond each page (the same for every page of a build)."""
    return MappingContext(minter=Minter(entity_base), base_url=config.base_url,
                          default_language=config.default_language, site_title=config.title,
                          git_commit=git_commit(config.root), taxonomies=dict(config.taxonomies))


def series_of_editions(vocabulary: Vocabulary) -> dict[str, str]:
    """Event edition IRI -> its series, for the vocabulary's editions."""
    return {e.iri: e.series for e in vocabulary.entries.values() if e.kind == "event" and not e.is_series and e.series}


def nquads(quads: Iterable[ox.Quad]) -> bytes:
    """`quads` as N-Quads bytes (empty for none): what a build hands to the bulk loader."""
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
