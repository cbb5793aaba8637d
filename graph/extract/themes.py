"""Which themes a post says its event was about: only where the text itself announces them.

A theme is a concept of the themes vocabulary. That a concept is named near an event ("the Helm
community at KubeCon", "100% hosted by the local community") or in some section heading does not
say the event was about it: measured on the gold of four sites (2026-12-04), such co-occurrence
was right 25 times in 67. A post decides an event's themes in two shapes only, and only these
are stated:

1. **Announced sections**: a sentence or a parent heading announces themes ("Here's a recap of the
   key themes that dominated the conversations", "Aquí hay un breve resumen de los temas clave",
   "## Main topics") and a run of headings follows; each heading of the run names one theme,
   the first concept in it ("Community and the Next Generation" → community).
2. **A topic list**: a sentence whose topics word is followed by what they were ("Key topics
   included optimization, security, and scalability", "Los temas fueron …", "crucial topics
   related to Kubernetes optimization"): each concept named after the cue.

Both attach to the event the post is about (the caller passes it); a sentence that names another
event does not speak of this one.

Not a rule, measured: a concept named inside the event's own name ("GitOps Days", "Kubernetes
Community Days", "CloudNativeCon") was a gold theme 10 times in 28.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from graph.extract.text import Prose
from graph.model import Mention

#: A plural noun that announces themes, in en/es/pt ("themes", "topics", "temas", "tópicos",
#: "trends", "tendencias", "tendências", "ejes temáticos").
_THEMES_WORD = re.compile(
    r"\b(?:themes|topics|trends|temas|t[óo]picos|tendencias|tend[êe]ncias|ejes tem[áa]ticos|eixos tem[áa]ticos)\b",
    re.I)
#: What a topics word is followed by when the sentence lists the topics ("topics included …",
#: "topics such as …", "topics related to …", "temas fueron …", "temas como …", "tópicos incluíram …").
_LIST_CUE = re.compile(
    r"\s*(?:\w+\s+){0,3}?(?:includ(?:e|es|ed|ing)|were|are|such as|like|related to|ranged from|covered|spanned|"
    r"ranging from|incluyeron|incluyen|incluían|fueron|son|como|abarcaron|sobre|relacionados con|"
    r"incluíram|incluem|foram|são|relacionados a|relacionados com)\b|\s*:", re.I)
ANNOUNCED, LISTED = "pattern:announced-themes", "pattern:topic-list"


class _Spans:
    """Mentions sorted by start, to find those inside a span in logarithmic time (a page of
    thousands of headings or sentences stays linear)."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]

    def inside(self, start: int, end: int) -> list[Mention]:
        return self.mentions[bisect_left(self.starts, start):bisect_left(self.starts, end)]


def announced_sections(doc: Prose, topics: list[Mention]) -> Iterable[tuple[str, int, int]]:
    """(theme, heading start, heading end) for each heading of a run of headings announced as themes."""
    blocks, spans = doc.blocks, _Spans(topics)
    n = 0
    while n < len(doc.headings):
        index = doc.headings[n]
        heading = blocks[index]
        before = blocks[index - 1] if index > 0 else None
        n += 1
        if before is None:
            continue
        if before.kind == "heading":
            announced = before.level < heading.level and bool(
                _THEMES_WORD.search(doc.clean(before.start, before.end)))
        else:
            # the paragraph just before the run's first heading announces it, naming no theme
            # itself (a paragraph that names them is a list: listed_topics reads it)
            announced = bool(_THEMES_WORD.search(doc.clean(before.start, before.end))) and not spans.inside(
                before.start, before.end)
        if not announced:
            continue
        run: list[tuple[str, int, int]] = []
        at = n - 1
        while at < len(doc.headings):
            block = blocks[doc.headings[at]]
            if block.level < heading.level:
                break  # the run ends where a higher heading begins
            at += 1
            if block.level > heading.level:
                continue  # a subsection of a theme
            inside = spans.inside(block.start, block.end)
            if inside:
                run.append((inside[0].iri, block.start, block.end))  # the heading's first concept
        if len(run) >= 2:  # an announcement of themes is followed by more than one
            yield from run
            return  # one announced run per post
        n = max(n, at)  # the run's headings are not announcements of their own


def listed_topics(doc: Prose, topics: list[Mention], other_events: list[Mention]) -> Iterable[tuple[str, int, int]]:
    """(theme, sentence start, sentence end) for each concept a topic-list sentence names after its cue."""
    spans, events = _Spans(topics), _Spans(other_events)
    seen: set[int] = set()
    for topic in topics:
        sentence = doc.sentence_at(topic.start)
        if sentence is None or sentence.start in seen:
            continue
        seen.add(sentence.start)
        if doc.blocks[sentence.block].kind == "heading":
            continue
        text = doc.masked[sentence.start:sentence.end]
        word = _THEMES_WORD.search(text)
        cue = _LIST_CUE.match(text, word.end()) if word else None
        if cue is None:
            continue
        if events.inside(sentence.start, sentence.end):
            continue  # the sentence speaks of another event
        after = sentence.start + cue.end()
        for iri in dict.fromkeys(m.iri for m in spans.inside(after, sentence.end)):
            yield iri, sentence.start, sentence.end
