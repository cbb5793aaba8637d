"""The prose of a Markdown file, with offsets that point into the original file.

`prose(text, body_offset)` returns a *masked* copy of the file: the same length as the file,
with everything that is not prose — front matter (except the title), code blocks, inline code,
URLs, HTML tags and comments, Hugo shortcodes, Markdown markup — replaced by spaces (newlines
kept). Matching runs on the masked text, so every match's offsets are offsets into the file and
`text[start:end]` is exactly what the post says. Blocks (title, headings, paragraphs, list items,
image alt texts) and sentences are spans of the same coordinates.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from graph.extract.scan import finditer_bracketed, finditer_closed, finditer_domains, finditer_emails

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_HEADING = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_LIST = re.compile(r"^(\s*)([*+-]|\d{1,9}[.)])(\s+)")
_QUOTE = re.compile(r"^(\s*>\s?)+")
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,}\s*$")
# (written so that no two parts can take the same spaces: "\s*\|?\s*" was quadratic in the
# indentation of a deeply nested list)
_TABLE_SEP = re.compile(r"^\s*(?:\|\s*)?:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*(?:\|\s*)?$")
_LINK_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$")
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)
_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.S)
_CODE_SHORTCODE = re.compile(
    r"\{\{[<%]\s*(highlight|code|gist|raw)\b.*?[%>]\}\}.*?(\{\{[<%]\s*/\s*\1\s*[%>]\}\}|\Z)", re.S)
_SCRIPT = re.compile(r"<(script|style|pre|code)\b.*?(</\1\s*>|\Z)", re.S | re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(([^()\s]*(?:\([^()]*\))?[^()\s]*)(\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^()\s]*(?:\([^()]*\))?[^()\s]*)(\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^>\s]+>")
_URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>()\[\]\"'`]+[^\s<>()\[\]\"'`.,;:!?]")
_TLD = (r"(?:com|org|net|io|dev|mx|lat|co|br|ar|cl|pe|es|pt|info|ai|app|"
        r"cloud|tech|us|ca|uk|de|fr|eu|gov|edu)\b")
_DOMAIN = re.compile(r"\b(?:[A-Za-z0-9-]+\.)+" + _TLD + r"(?:/[^\s)]*)?")
_TLD_AT = re.compile(_TLD)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")
_EMPHASIS = re.compile(r"(\*{1,3}|(?<![\w])_{1,3}|_{1,3}(?![\w])|~~)")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?)\]])")
#: A word after which a period ends no sentence (a number: "in 2024. Then" reads as one sentence).
_NOT_AN_END = re.compile(r"\d+|[A-Za-z]|e\.g|i\.e|etc|vs|Dr|Mr|Mrs|Ms|Sr|Sra|Jr|No|Nº|St|approx|aprox", re.I)
#: Longest sentence, in characters (real ones reach 2,500: long list items). A paragraph with no
#: sentence end, or whose every period follows a number, is cut into sentences this long, so that
#: what is done per sentence (per mention, in it) stays bounded whatever the paragraph's size.
MAX_SENTENCE = 4000
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_TITLE_YAML = re.compile(r"^title\s*:\s*(?P<q>[\"']?)(?P<v>.*?)(?P=q)\s*(#.*)?$", re.M)
_TITLE_TOML = re.compile(r"^title\s*=\s*(?P<q>\"\"\"|'''|[\"'])(?P<v>.*?)(?P=q)\s*(#.*)?$", re.M)
_TITLE_JSON = re.compile(r"\"title\"\s*:\s*\"(?P<v>(?:[^\"\\]|\\.)*)\"")


@dataclass(frozen=True)
class Block:
    """A span of prose: `kind` is title, heading, paragraph, item, quote, table or alt."""

    start: int
    end: int
    kind: str
    level: int = 0  # heading level (1-6); list nesting for items
    section: int = -1  # index into Prose.headings of the heading this block is under (-1: none)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    block: int  # index into Prose.blocks


@dataclass
class Prose:
    text: str  # the original file text
    masked: str  # same length; non-prose replaced by spaces
    blocks: list[Block] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)  # indexes into blocks of heading blocks
    sentences: list[Sentence] = field(default_factory=list)
    _outer: list[Block] = field(default_factory=list, repr=False, compare=False)  # see block_at
    _starts: list[int] | None = field(default=None, repr=False, compare=False)

    def clean(self, start: int, end: int) -> str:
        """The prose between two offsets with markup removed and whitespace collapsed."""
        return _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(self.masked[start:end].split()))

    def sentence_at(self, offset: int) -> Sentence | None:
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return s
        return None

    def block_at(self, offset: int) -> Block | None:
        """The first block (in `blocks` order) that holds `offset`. Blocks other than alt texts do not
        overlap, and an alt text comes after the block it lies in: found by bisection (asked for every
        mention, a walk over the blocks made a post of thousands of headings quadratic)."""
        if self._starts is None:
            self._outer = [b for b in self.blocks if b.kind != "alt"]
            self._starts = [b.start for b in self._outer]
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self._outer[i].end:
            return self._outer[i]
        return next((b for b in self.blocks if b.kind == "alt" and b.start <= offset < b.end), None)


#: The shortcode patterns, with their opening and what must follow it for them to match at all.
_OPENERS = {
    _CODE_SHORTCODE: (re.compile(r"\{\{[<%]\s*(?:highlight|code|gist|raw)\b"), re.compile(r"[%>]\}\}")),
    _SHORTCODE: (re.compile(r"\{\{[<%]"), re.compile(r"[%>]\}\}")),
}


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(max(start, 0), min(end, len(chars))):
        if chars[i] not in "\n\r":
            chars[i] = " "


_TITLE_YAML_BLOCK = re.compile(r"^title\s*:\s*[|>][+-]?[0-9]?\s*(#.*)?\n(?P<v>(?:[ \t]+\S.*(?:\n|$))+)", re.M)


def _title_span(text: str, body_offset: int) -> tuple[int, int] | None:
    head = text[:body_offset]
    block = _TITLE_YAML_BLOCK.search(head)  # title: |-  followed by indented lines
    if block:
        return block.start("v"), block.end("v") - (1 if block.group("v").endswith("\n") else 0)
    for pattern in (_TITLE_YAML, _TITLE_TOML, _TITLE_JSON):
        m = pattern.search(head)
        if m and m.group("v").strip() and m.group("v").strip()[0] not in "|>":
            return m.start("v"), m.end("v")
    return None


def prose(text: str, body_offset: int = 0) -> Prose:
    """Mask everything that is not prose; find blocks and sentences. Offsets are into `text`."""
    chars = list(text)
    _blank(chars, 0, body_offset)
    blocks: list[Block] = []
    title = _title_span(text, body_offset)
    if title:
        chars[title[0]:title[1]] = text[title[0]:title[1]]
        blocks.append(Block(title[0], title[1], "title"))

    body = text[body_offset:]
    # Whole regions first: comments, code shortcodes, script/style/pre, fenced code.
    for pattern in (_COMMENT, _CODE_SHORTCODE, _SHORTCODE, _SCRIPT):
        for m in finditer_closed(pattern, *_OPENERS[pattern], body) if pattern in _OPENERS else pattern.finditer(body):
            _blank(chars, body_offset + m.start(), body_offset + m.end())
    lines = body.splitlines(keepends=True)
    starts = []
    pos = body_offset
    for line in lines:
        starts.append(pos)
        pos += len(line)
    fence: str | None = None
    paragraph_start: int | None = None
    current_section = -1
    headings: list[int] = []
    prev_blank = True

    def close_paragraph(end: int) -> None:
        nonlocal paragraph_start
        if paragraph_start is not None:
            blocks.append(Block(paragraph_start, end, "paragraph", section=current_section))
            paragraph_start = None

    for i, line in enumerate(lines):
        start = starts[i]
        end = start + len(line.rstrip("\r\n"))
        stripped = line.strip()
        if fence is not None:
            _blank(chars, start, end)
            if stripped.startswith(fence) and set(stripped) <= set(fence[0]):
                fence = None
            continue
        m = _FENCE.match(line)
        if m:
            close_paragraph(start)
            fence = m.group(2)
            _blank(chars, start, end)
            continue
        masked_line = "".join(chars[start:end])
        if not masked_line.strip():
            close_paragraph(start)
            prev_blank = True
            continue
        if prev_blank and (line.startswith("    ") or line.startswith("\t")) and not _LIST.match(line) \
                and not (blocks and blocks[-1].kind == "item"):
            _blank(chars, start, end)  # indented code block
            continue
        prev_blank = False
        if _RULE.match(line) or _TABLE_SEP.match(line) or _LINK_DEF.match(line):
            close_paragraph(start)
            _blank(chars, start, end)
            continue
        if _SETEXT.match(line) and paragraph_start is not None:
            # the paragraph above is a setext heading
            level = 1 if stripped.startswith("=") else 2
            h_start = paragraph_start
            paragraph_start = None
            headings.append(len(blocks))
            current_section = len(headings) - 1
            blocks.append(Block(h_start, start, "heading", level, section=current_section))
            _blank(chars, start, end)
            continue
        h = _HEADING.match(line)
        if h:
            close_paragraph(start)
            _blank(chars, start, start + h.end())
            trailing = re.search(r"\s#+\s*$", line.rstrip("\r\n"))
            if trailing:
                _blank(chars, start + trailing.start(), end)
            headings.append(len(blocks))
            current_section = len(headings) - 1
            blocks.append(Block(start + h.end(), end, "heading", len(h.group(2)), section=current_section))
            continue
        kind = "paragraph"
        q = _QUOTE.match(line)
        if q:
            _blank(chars, start, start + q.end())
            kind = "quote"
        li = _LIST.match(line, q.end() if q else 0)
        if li:
            close_paragraph(start)
            _blank(chars, start + li.start(2), start + li.end(2))
            blocks.append(Block(start + li.end(), end, "item", len(li.group(1)) // 2, section=current_section))
            continue
        if "|" in line and line.strip().startswith("|"):
            close_paragraph(start)
            for j, c in enumerate(line):
                if c == "|":
                    chars[start + j] = " "
            blocks.append(Block(start, end, "table", section=current_section))
            continue
        if kind == "quote":
            close_paragraph(start)
            blocks.append(Block(start, end, "quote", section=current_section))
            continue
        if paragraph_start is None:
            paragraph_start = start
        if blocks and blocks[-1].kind == "item" and paragraph_start == start and line[:1] in " \t":
            # continuation line of a list item: extend the item instead of opening a paragraph
            last = blocks.pop()
            blocks.append(Block(last.start, end, "item", last.level, last.section))
            paragraph_start = None
    close_paragraph(len(text))

    # Inline markup, on the whole body at once (offsets shift by body_offset).
    masked_body = "".join(chars[body_offset:])
    for m in _INLINE_CODE.finditer(masked_body):
        _blank(chars, body_offset + m.start(), body_offset + m.end())
    masked_body = "".join(chars[body_offset:])
    alt_blocks = []
    for m in finditer_bracketed(_IMAGE, masked_body, "!["):
        s = body_offset + m.start()
        _blank(chars, s, s + 2)
        _blank(chars, body_offset + m.end(1), body_offset + m.end())
        if m.group(1).strip():
            alt_blocks.append(Block(body_offset + m.start(1), body_offset + m.end(1), "alt"))
    masked_body = "".join(chars[body_offset:])
    for m in finditer_bracketed(_LINK, masked_body, "["):
        s = body_offset + m.start()
        _blank(chars, s, s + 1)
        _blank(chars, body_offset + m.end(1), body_offset + m.end())
    masked_body = "".join(chars[body_offset:])
    for m in finditer_bracketed(_REF_LINK, masked_body, "["):
        s = body_offset + m.start()
        _blank(chars, s, s + 1)
        _blank(chars, body_offset + m.end(1), body_offset + m.end())
    masked_body = "".join(chars[body_offset:])
    # (the e-mail and domain patterns were quadratic on a long word of dotted labels: graph.scan)
    scans = {_EMAIL: lambda text: finditer_emails(_EMAIL, text),
             _DOMAIN: lambda text: finditer_domains(_DOMAIN, _TLD_AT, text)}
    for pattern in (_AUTOLINK, _URL, _EMAIL, _DOMAIN, _TAG):
        for m in scans[pattern](masked_body) if pattern in scans else pattern.finditer(masked_body):
            _blank(chars, body_offset + m.start(), body_offset + m.end())
        masked_body = "".join(chars[body_offset:])
    for m in _EMPHASIS.finditer(masked_body):
        _blank(chars, body_offset + m.start(), body_offset + m.end())
    masked = "".join(chars)

    # Blocks keep their section; drop blocks that are empty after masking.
    out_blocks = [b for b in blocks if masked[b.start:b.end].strip()]
    for alt in alt_blocks:
        host = next((b for b in out_blocks if b.start <= alt.start < b.end), None)
        out_blocks.append(Block(alt.start, alt.end, "alt", section=host.section if host else -1))
    out_blocks.sort(key=lambda b: (b.start, b.kind != "alt"))
    heading_index = [i for i, b in enumerate(out_blocks) if b.kind == "heading"]
    # Re-number sections so that they index the final heading list.
    renumber = {}
    for new, i in enumerate(heading_index):
        renumber[out_blocks[i].section] = new
    out_blocks = [Block(b.start, b.end, b.kind, b.level, renumber.get(b.section, -1)) for b in out_blocks]
    result = Prose(text=text, masked=masked, blocks=out_blocks, headings=heading_index)
    result.sentences = _sentences(result)
    return result


def _sentences(doc: Prose) -> list[Sentence]:
    out: list[Sentence] = []
    for index, block in enumerate(doc.blocks):
        if block.kind == "alt":
            continue  # alt text lies inside a paragraph's span; the paragraph's sentences cover it
        segment = doc.masked[block.start:block.end]
        cursor = 0
        for m in _SENTENCE_END.finditer(segment):
            cursor = _cut_long(out, doc, segment, block, index, cursor, m.start())
            if block.kind in ("heading", "title") or _ends_with_abbreviation(segment, cursor, m.start()):
                continue
            _add_sentence(out, doc, block.start + cursor, block.start + m.end(), index)
            cursor = m.end()
        cursor = _cut_long(out, doc, segment, block, index, cursor, len(segment))
        _add_sentence(out, doc, block.start + cursor, block.end, index)
    out.sort(key=lambda s: s.start)
    return out


def _ends_with_abbreviation(segment: str, start: int, end: int) -> bool:
    """Whether the last word of segment[start:end] is one after which a period ends no sentence.
    Found by walking back over that word only: searching the whole span again at each period made a
    paragraph of abbreviations quadratic."""
    j = end
    while j > start and segment[j - 1].isspace():
        j -= 1
    i = j
    while i > start and not segment[i - 1].isspace():
        i -= 1
    return i < j and _NOT_AN_END.fullmatch(segment, i, j) is not None


def _cut_long(out: list[Sentence], doc: Prose, segment: str, block: Block, index: int, cursor: int,
              end: int) -> int:
    """Sentences of at most MAX_SENTENCE characters from `cursor` while `end` is further than that,
    each cut after a space when there is one in its second half; the new cursor."""
    while end - cursor > MAX_SENTENCE:
        cut = segment.rfind(" ", cursor + MAX_SENTENCE // 2, cursor + MAX_SENTENCE) + 1 or cursor + MAX_SENTENCE
        _add_sentence(out, doc, block.start + cursor, block.start + cut, index)
        cursor = cut
    return cursor


def _add_sentence(out: list[Sentence], doc: Prose, start: int, end: int, block: int) -> None:
    while start < end and doc.masked[start].isspace():
        start += 1
    while end > start and doc.masked[end - 1].isspace():
        end -= 1
    if end > start and any(c.isalnum() for c in doc.masked[start:end]):
        if out and out[-1].end > start:
            return  # nested spans (alt text inside a paragraph) are already covered
        out.append(Sentence(start, end, block))
