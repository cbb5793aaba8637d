"""`finditer` in linear time for the few patterns of graph.text whose plain `finditer` is quadratic
on some inputs (bench/bench_shapes.py: a line of "[" never closed, "{{<" openers never closed, a
word of 100,000 dot-separated labels).

`re.finditer` tries a match at every position, and each try of these patterns can scan to the end
of a line or of the text before it fails. Each function here yields exactly the matches
`pattern.finditer(text)` yields (real match objects, from `pattern.match` at the right places), but
first works out, from what the pattern needs, where a match can start at all, so that no stretch
of text is scanned again and again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_STOP = re.compile(r"[\]\n]")
_WORD_EDGE = re.compile(r"\b")


def finditer_closed(pattern: re.Pattern[str], opener: re.Pattern[str], closer: re.Pattern[str], text: str
                    ) -> Iterator[re.Match[str]]:
    """For a pattern that starts with `opener` and cannot match unless `closer` occurs after it
    ("{{< … >}}"): only openings before the last closing are tried; each of the others scanned to
    the end of the text."""
    last = max((m.start() for m in closer.finditer(text)), default=-1)
    pos = 0
    while (o := opener.search(text, pos, last)) is not None:
        m = pattern.match(text, o.start())
        if m is None:
            pos = o.start() + 1
            continue
        yield m
        pos = max(m.end(), o.start() + 1)


def finditer_bracketed(pattern: re.Pattern[str], text: str, opener: str) -> Iterator[re.Match[str]]:
    """For a link pattern: `opener`, a text without "]" or line break, "]", and what follows. Every
    opener before the same first "]" or line break shares its fate past it: when one fails there,
    the others are not tried (each scanned to the end of its line)."""
    pos = 0
    while (i := text.find(opener, pos)) >= 0:
        stop = _STOP.search(text, i + len(opener))
        if stop is None:
            return
        m = pattern.match(text, i) if stop.group() == "]" else None
        if m is not None:
            yield m
            pos = m.end()
        else:  # a "[]" fails for being empty, not for what follows it: only that opener
            pos = i + 1 if stop.start() == i + len(opener) else stop.end()


_EMAIL_CHAR = re.compile(r"[\w.+-]")
_EMAIL_RUN = re.compile(r"[\w.+-]++")
_EMAIL_RUN_START = re.compile(r"(?<![\w.+-])[\w.+-]++")
_LONG_EMAIL_RUN = re.compile(r"[\w.+-]{256}")


def finditer_emails(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    r"""For graph.text's e-mail pattern, a word edge, `[\w.+-]+@` and a domain: a match can only
    start in a run of [\w.+-] that "@" follows, and then either at its first word edge or nowhere
    in the run. Each run is read once (finditer read a long dotted word to its end from each of
    its word edges). Text without "@", or without a run of 256 such characters, goes to finditer
    itself: it is linear there, and faster."""
    if "@" not in text:
        return
    if _LONG_EMAIL_RUN.search(text) is None:
        yield from pattern.finditer(text)
        return
    pos = 0
    while True:
        # the run a match may start in: the rest of the one `pos` is inside (a match ended in its
        # middle), else the next whole one
        inside = 0 < pos < len(text) and _EMAIL_CHAR.match(text, pos - 1) is not None
        run = _EMAIL_RUN.match(text, pos) if inside else None
        run = run or _EMAIL_RUN_START.search(text, pos)
        if run is None:
            return
        pos = run.end()
        if text.startswith("@", run.end()):
            edge = _WORD_EDGE.search(text, run.start())
            m = pattern.match(text, edge.start()) if edge is not None and edge.start() < run.end() else None
            if m is not None:
                yield m
                pos = m.end()


_DOMAIN_RUN = re.compile(r"[A-Za-z0-9.-]++")
_LONG_DOMAIN_RUN = re.compile(r"[A-Za-z0-9.-]{256}")


def finditer_domains(pattern: re.Pattern[str], tld: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    r"""For graph.text's domain pattern, `\b(?:[A-Za-z0-9-]+\.)+` then a top-level domain `tld`
    (with its closing word edge) and maybe a path: a match lies in a chain of non-empty labels
    joined by single dots and needs a top-level domain after one of those dots, two characters at
    least after its start. So in each chain only its first word edge that has such a dot ahead is
    tried, and a chain with none is skipped (finditer read a long dotted word to its end from
    each of its word edges, and backed off dot by dot). Text without a run of 256 such characters
    goes to finditer itself: it is linear there, and faster."""
    if _LONG_DOMAIN_RUN.search(text) is None:
        yield from pattern.finditer(text)
        return
    after_dot = re.compile(r"(?<=\.)" + tld.pattern)
    pos = 0
    while (run := _DOMAIN_RUN.search(text, pos)) is not None:
        pos = run.end()
        chain_start = run.start()
        # chains: the run split where a label would be empty (".."): each one's end, in order
        ends, i = [], text.find("..", run.start(), run.end())
        while i >= 0:
            ends.append(i + 1)
            i = text.find("..", i + 1, run.end())
        for chain_end in [*ends, run.end()]:
            # the last place a top-level domain can start (+8: its word edge sees the real next character)
            last = -1
            for m in after_dot.finditer(text, chain_start + 1, chain_end + 8):
                if m.start() > chain_end:
                    break
                last = m.start()
            s = chain_start
            while last >= 0 and s <= last - 2:
                edge = _WORD_EDGE.search(text, s)
                if edge is None or edge.start() > last - 2:
                    break
                m = pattern.match(text, edge.start())
                if m is None:  # not an edge a label starts at ("." then a word edge): the next one
                    s = edge.start() + 1
                    continue
                yield m
                s = m.end()
                if m.end() > run.end():
                    pos = m.end()  # a path took it past the run: go on from there
                    break
            else:
                chain_start = chain_end
                continue
            break
