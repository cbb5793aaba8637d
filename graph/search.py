"""Find entities and posts by any of their labels, in any language (accents and case ignored)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from . import deadline
from .analysis import EntityGraph, fold
from .query import run

MAX_QUERY = 200


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str  # what to show (the entity's label in the page language, or the post's headline)
    kind: str  # event, series, project, organization, place, topic, post …
    matched: str  # the name or alias that matched, as written
    posts: int  # posts that mention the entity (1 for a post)
    lang: str = ""  # a post's language


@dataclass
class SearchIndex:
    """Every (folded name, hit) pair: entities from the projected entity graph, posts by headline."""

    entries: list[tuple[str, str, Hit]]  # (folded name, name as written, hit)

    @classmethod
    def build(cls, snapshot: ox.Store, eg: EntityGraph) -> SearchIndex:
        entries = []
        for iri, data in eg.graph.nodes(data=True):
            hit = Hit(iri, data["label"], data["kind"], data["label"], data["posts"])
            for name in {data["label"], *data["names"]}:
                entries.append((fold(name), name, hit))
        for row in run(snapshot, """
                SELECT ?post (SAMPLE(?h) AS ?headline) (SAMPLE(?l) AS ?lang) WHERE {
                  ?post a schema:BlogPosting ; schema:headline ?h . OPTIONAL { ?post schema:inLanguage ?l }
                } GROUP BY ?post""").result:
            headline = row["headline"].value
            hit = Hit(row["post"].value, headline, "post", headline, 1, row["lang"].value if row["lang"] else "")
            entries.append((fold(headline), headline, hit))
        return cls(entries)

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        """Ranked: the whole name, then names starting with it, then a word starting with it, then
        anywhere in a name; ties go to the entity more posts mention, then the shorter name."""
        wanted = fold(text.strip())
        if not wanted:
            return []
        word = re.compile(r"(?:^|\W)" + re.escape(wanted))
        best: dict[str, tuple[tuple, Hit]] = {}
        for i, (folded, name, hit) in enumerate(self.entries):
            if i % 4096 == 0:
                deadline.check()  # a few milliseconds for the whole index; a request's budget still holds
            if wanted not in folded:
                continue
            rank = 0 if folded == wanted else 1 if folded.startswith(wanted) else 2 if word.search(folded) else 3
            key = (rank, -hit.posts, len(folded), hit.label)
            if hit.iri not in best or key < best[hit.iri][0]:
                best[hit.iri] = (key, Hit(hit.iri, hit.label, hit.kind, name, hit.posts, hit.lang))
        return [hit for _key, hit in sorted(best.values(), key=lambda kv: kv[0])[:limit]]
