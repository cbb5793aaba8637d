"""Hugo's glob patterns and glob slices, as used by module mounts, cascade targets and permalinks.

A glob (gobwas/glob syntax, matched case-insensitively as Hugo does): `*` and `?` stop at `/`,
`**` does not, `[a-z]`/`[!a-z]` are classes, `{a,b}` alternatives. A glob slice is a list of
globs where "! pattern" (an exclamation mark and one space) negates one; the first pattern that
matches decides, and a value no pattern matches is kept only when the slice has no positive
pattern (checked against Hugo 0.168: `files = ["**", "! docs/*.md"]` keeps docs/a.md).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass


@functools.cache
def compile_glob(pattern: str) -> re.Pattern[str]:
    """A compiled regex for one glob; raises ValueError for a pattern Hugo would refuse."""
    regex, end = _translate(pattern.lower(), 0, in_braces=False)
    if end != len(pattern):
        raise ValueError(f"glob {pattern!r}: unexpected {pattern[end]!r} at {end}")
    return re.compile(regex, re.DOTALL)


def _translate(p: str, i: int, *, in_braces: bool) -> tuple[str, int]:
    out: list[str] = []
    while i < len(p):
        c = p[i]
        if in_braces and c in ",}":
            return "".join(out), i
        if c == "*":
            if p.startswith("**", i):
                out.append(".*")
                i += 2
            else:
                out.append("[^/]*")
                i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = p.find("]", i + 2)
            if end < 0:
                raise ValueError(f"glob {p!r}: unclosed '['")
            body = p[i + 1:end]
            neg = body.startswith("!")
            body = body[1:] if neg else body
            out.append("[" + ("^" if neg else "") + body.replace("\\", "\\\\").replace("^", "\\^") + "]")
            i = end + 1
        elif c == "{":
            alternatives = []
            i += 1
            while True:
                alt, i = _translate(p, i, in_braces=True)
                alternatives.append(alt)
                if i >= len(p):
                    raise ValueError(f"glob {p!r}: unclosed '{{'")
                i += 1
                if p[i - 1] == "}":
                    break
            out.append("(?:" + "|".join(alternatives) + ")")
        elif c == "\\" and i + 1 < len(p):
            out.append(re.escape(p[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    if in_braces:
        raise ValueError(f"glob {p!r}: unclosed '{{'")
    return "".join(out), i


def glob_match(pattern: str, value: str) -> bool:
    return compile_glob(pattern).fullmatch(value.lower()) is not None


@dataclass(frozen=True)
class GlobSlice:
    """An ordered list of (negated, glob) pairs; see the module docstring for how it decides."""

    patterns: tuple[tuple[bool, str], ...]

    @classmethod
    def parse(cls, value: object) -> GlobSlice:
        """From a config value: one string or a list of strings ("! x" negates x)."""
        items = [value] if isinstance(value, str) else list(value) if isinstance(value, list | tuple) else []
        patterns = []
        for item in (str(v) for v in items if v is not None):
            negated = item.startswith("! ")
            pattern = item[2:] if negated else item
            compile_glob(pattern)  # fail early, at config time
            patterns.append((negated, pattern))
        return cls(tuple(patterns))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def first_match(self, value: str) -> bool | None:
        """True or False from the first pattern that matches (False if it is negated), else None."""
        for negated, pattern in self.patterns:
            if glob_match(pattern, value):
                return not negated
        return None

    def matches(self, value: str) -> bool:
        decided = self.first_match(value)
        return decided if decided is not None else not any(not neg for neg, _ in self.patterns)

    def select(self, values: Iterable[str]) -> tuple[str, ...]:
        return tuple(v for v in values if self.matches(v))
