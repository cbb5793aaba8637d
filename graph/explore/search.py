"""Find entities and posts by any of their labels, in any language (accents and case ignored)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph import deadline
from graph.explore.analysis import EntityGraph, search_key
from graph.query.sparql import run

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
    """Every (folded name, hit) pair: entities from the projected entity graph, posts by headline.

    The folded names are also kept end to end in one string, so that finding the names a text
    occurs in is str.find's work (C), not a Python loop over every name: a search on the 10,000-post
    site was 5 ms of holding the GIL, a fifth of the server's time under load."""

    entries: list[tuple[str, str, Hit]]  # (folded name, name as written, hit)
    _text: str = field(default="", init=False, repr=False)  # the folded names, each after a NUL
    _starts: list[int] = field(default_factory=list, init=False, repr=False)  # where each begins in _text

    def __post_init__(self) -> None:
        position, starts = 1, []
        for folded, _name, _hit in self.entries:
            starts.append(position)
            position += len(folded) + 1
        self._text = "".join("\0" + folded for folded, _name, _hit in self.entries)
        self._starts = starts

    def _matching(self, wanted: str) -> list[int]:
        """The entries whose folded name contains `wanted`, in index order."""
        found: list[int] = []
        at = self._text.find(wanted)
        while at >= 0:
            i = bisect.bisect_right(self._starts, at) - 1
            found.append(i)
            if len(found) % 4096 == 0:
                deadline.check()
            at = self._text.find(wanted, self._starts[i + 1]) if i + 1 < len(self._starts) else -1
        return found

    @classmethod
    def build(cls, snapshot: ox.Store, eg: EntityGraph) -> SearchIndex:
        entries = []
        for iri, data in eg.graph.nodes(data=True):
            hit = Hit(iri, data["label"], data["kind"], data["label"], data["posts"])
            for name in {data["label"], *data["names"]}:
                entries.append((search_key(name), name, hit))
        for row in run(snapshot, """
                SELECT ?post (SAMPLE(?h) AS ?headline) (SAMPLE(?l) AS ?lang) WHERE {
                  ?post a schema:BlogPosting ; schema:headline ?h . OPTIONAL { ?post schema:inLanguage ?l }
                } GROUP BY ?post""").result:
            headline = row["headline"].value
            hit = Hit(row["post"].value, headline, "post", headline, 1, row["lang"].value if row["lang"] else "")
            entries.append((search_key(headline), headline, hit))
        return cls(entries)

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        """Ranked: the whole name, then names starting with it, then a word starting with it, then
        anywhere in a name; ties go to the entity more posts mention, then the shorter name."""
        wanted = search_key(text.strip())
        if not wanted:
            return []
        if "\0" in wanted:
            return []
        word = re.compile(r"(?:^|\W)" + re.escape(wanted))
        best: dict[str, tuple[tuple, Hit]] = {}
        for i in self._matching(wanted):
            folded, name, hit = self.entries[i]
            rank = 0 if folded == wanted else 1 if folded.startswith(wanted) else 2 if word.search(folded) else 3
            key = (rank, -hit.posts, len(folded), hit.label)
            if hit.iri not in best or key < best[hit.iri][0]:
                best[hit.iri] = (key, Hit(hit.iri, hit.label, hit.kind, name, hit.posts, hit.lang))
        return [hit for _key, hit in sorted(best.values(), key=lambda kv: kv[0])[:limit]]
