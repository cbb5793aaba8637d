"""One content file of a Hugo site: its front matter, body and the facts Hugo derives from them.

`parse_source` reads one file's bytes the way Hugo's page parser does (YAML `---`, TOML `+++` or
JSON `{` front matter, Hugo's date formats and date chains: the values are read by
`graph.read.front_matter`) into graph.model's `ParsedSource`, or a `Problem`; the site-wide facts
(kind, language, permalink, translations) are added by `graph.read.site`, which makes the `Page`.
"""

from __future__ import annotations

import hashlib
import json
import re

from graph.model import ParsedSource, Problem
from graph.read.front_matter import front_matter_dates, key_line, kind_of_value, load_front_matter

# ---------------------------------------------------------------------------------------------
# Reading a source file: a pure function of its bytes, so it can run in worker processes and be
# cached by content hash.


_DELIMITERS = {"-": ("---", "yaml"), "+": ("+++", "toml")}


def parse_source(rel_path: str, data: bytes) -> ParsedSource | Problem:
    """Decode one content file and split off its front matter, the way Hugo's page parser does.

    Errors come back as a `Problem` with the line in the file where the parser found them, so the
    build can report "content/x.md:7: ..." and carry on with the other files.
    """
    content_hash = hashlib.sha256(data).hexdigest()
    nul = data.find(0)
    if nul >= 0:
        return Problem(rel_path, data.count(b"\n", 0, nul) + 1,
                       f"binary file (NUL byte at byte offset {nul}): not Markdown text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return Problem(rel_path, line, f"not UTF-8: invalid byte 0x{data[e.start]:02x} at byte offset "
                                       f"{e.start}; re-save the file as UTF-8")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return Problem(rel_path, None, "empty file: no front matter and no content (Hugo would publish "
                                       "an empty page without a title)")
    start = len(text) - len(text.lstrip(" \t\r\n"))
    opener = text[start]
    if opener not in "-+{" or (opener != "{" and not text.startswith(_DELIMITERS[opener][0], start)):
        # No front matter: Hugo still makes it a page (no title, no date) and says nothing; we
        # keep the page too, but tell the user, since it is usually a mistake.
        warning = Problem(rel_path, 1, "no front matter: built as a page without title or date (start the file "
                                       "with '---', '+++' or '{' to give it one)", fatal=False)
        return ParsedSource({}, text, 0, 1, content_hash, problems=(warning,))
    fm_line = text.count("\n", 0, start) + 1
    split = _split_json(text, start) if opener == "{" else _split_delimited(text, start, *_DELIMITERS[opener])
    if len(split) == 2:
        return Problem(rel_path, *split)
    raw, fmt, raw_line, body_offset = split
    loaded = load_front_matter(raw, fmt, raw_line)
    if isinstance(loaded, tuple):
        return Problem(rel_path, loaded[0], loaded[1])
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        return Problem(rel_path, fm_line, f"front matter is a {kind_of_value(loaded)}, not a mapping of keys to "
                                          "values")
    dates = front_matter_dates(loaded)
    if isinstance(dates, str):
        return Problem(rel_path, key_line(text, body_offset, fm_line, dates.split('"')[1]), dates)
    seen: dict[str, str] = {}
    warnings = []
    for key in (k for k in loaded if isinstance(k, str)):
        if (first := seen.setdefault(key.lower(), key)) != key:
            # Hugo lower-cases keys, so one of the two silently wins
            warnings.append(Problem(rel_path, key_line(text, body_offset, fm_line, key), f"front matter keys "
                                    f"{first!r} and {key!r} are the same key for Hugo; keep one", fatal=False))
    return ParsedSource(loaded, text, body_offset, text.count("\n", 0, body_offset) + 1,
                        content_hash, fmt, fm_line, **dates, problems=tuple(warnings))


def _split_delimited(text: str, start: int, delim: str, fmt: str) -> tuple[str, str, int, int] | tuple[int, str]:
    """(front matter text, format, its first line, body offset), or (line, error message)."""
    pos = start + 3
    pos += _newline_len(text, pos)
    raw_line = text.count("\n", 0, pos) + 1
    # Like Hugo, any line that starts with the delimiter closes the front matter.
    match = re.compile(rf"^{re.escape(delim)}", re.MULTILINE).search(text, pos)
    if match is None:
        return (text.count("\n", 0, start) + 1, f"front matter opened with '{delim}' is never closed: add a "
                f"line with '{delim}' after the last front matter line")
    end = match.start()
    return text[pos:end], fmt, raw_line, end + 3 + _newline_len(text, end + 3)


def _split_json(text: str, start: int) -> tuple[str, str, int, int] | tuple[int, str]:
    """JSON front matter is the first complete object; a syntax error is reported at its line."""
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError as e:
        return e.lineno, f"invalid JSON front matter: {e.msg} (column {e.colno})"
    return text[start:end], "json", text.count("\n", 0, start) + 1, end + _newline_len(text, end)


def _newline_len(text: str, pos: int) -> int:
    return 2 if text.startswith("\r\n", pos) else 1 if text.startswith("\n", pos) else 0


