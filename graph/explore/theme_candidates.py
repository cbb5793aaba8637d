"""Theme candidates for curators: heading phrases that recur across articles.

Themes are concepts of the themes vocabulary, never headings (data model version 2), so a
heading no theme matches says nothing in the graph. A phrase that heads sections of several
articles ("Observability", "Platform engineering") may be a theme the vocabulary lacks: this
lists such phrases, with how many articles use them, for a curator to add to
ontology/vocabulary/themes.ttl. It reads the site's files again (the graph keeps no headings).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from graph.extract.cues import COLOCATED_HEADING, GENERIC_HEADINGS
from graph.extract.matcher import key_of
from graph.extract.text import prose
from graph.extract.vocabulary import Vocabulary
from graph.query.sparql import Candidate
from graph.read.site import load_site

_NUMBERING = re.compile(r"^\W*\d+[.)]?\s*")


def heading_phrases(heading: str) -> list[str]:
    """The phrases of one heading: the whole, and each side of a colon ("The Great Migration:
    Moving Beyond VMware"), without numbering and trailing punctuation."""
    bare = _NUMBERING.sub("", heading).strip(" .:!?¡¿")
    parts = [bare, *(p.strip(" .:!?¡¿") for p in bare.split(":"))] if ":" in bare else [bare]
    return [p for p in dict.fromkeys(parts) if 2 < len(p) <= 80]


def theme_candidates(site_dir: Path, vocabulary: Vocabulary, min_articles: int = 2) -> list[Candidate]:
    """Heading phrases used by at least `min_articles` articles that no vocabulary theme names."""
    themes = {key_of(label) for e in vocabulary.entries.values() if e.kind == "topic" for label, _ in e.labels}
    site = load_site(site_dir)
    articles: dict[str, set[str]] = defaultdict(set)
    headings: dict[str, int] = defaultdict(int)
    spelling: dict[str, str] = {}
    example: dict[str, str] = {}
    for page in site.pages:
        doc = prose(page.text, page.body_offset)
        for index in doc.headings:
            block = doc.blocks[index]
            for phrase in heading_phrases(doc.clean(block.start, block.end)):
                key = key_of(phrase)
                if not key or GENERIC_HEADINGS.match(phrase) or COLOCATED_HEADING.search(phrase):
                    continue
                words = f" {re.sub(r'[^0-9a-z]+', ' ', key)} "
                if key in themes or any(f" {t} " in words for t in themes if len(t) > 3):
                    continue  # the vocabulary already has a theme for it
                articles[key].add(page.translation_key or page.rel_path)
                headings[key] += 1
                spelling.setdefault(key, phrase)
                example.setdefault(key, f"{page.title} <{page.permalink}>")
    found = [Candidate("", "theme", spelling[k], "heading", len(a), headings[k], example[k])
             for k, a in articles.items() if len(a) >= min_articles]
    return sorted(found, key=lambda c: (-c.posts, -c.mentions, c.name.casefold()))
