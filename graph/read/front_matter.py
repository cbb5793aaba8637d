"""Front matter values as Hugo reads them: YAML, TOML or JSON, dates, and Hugo's casts.

YAML is read the way Hugo's YAML library reads it (`HugoYAMLLoader`: YAML 1.2 scalars, no key
defined twice, no alias bomb); a parser's error comes back with its line in the file. Dates are
read in Hugo's formats and resolved along Hugo's date chains; `go_string`, `go_bool` and
`string_list` are Hugo's casts of front matter values. `graph.read.post` finds the front matter in
a file and makes the page's `ParsedSource` of it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from graph.model import DateValue

#: A front matter date: timezone-aware or naive datetime, or a plain date (date-only values).


class HugoYAMLLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that resolves plain scalars the way Hugo's YAML library does.

    PyYAML follows YAML 1.1, where `yes`, `on`, `10:30` and unquoted timestamps are not strings;
    Hugo's parser follows YAML 1.2 for those, so `title: yes` stays "yes" and dates stay text until
    Hugo's own date parsing (below) reads them. Safe: only the standard tags are constructed.
    """

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's class-level registry

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """As Hugo does, refuse a mapping that defines a key twice (YAML leaves it undefined)."""
        seen: dict[str, int] = {}
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"mapping key {key_node.value!r} defined twice", key_node.start_mark)
                seen[key_node.value] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


#: Largest front matter, counted in values with every alias expanded: a few aliases are handy,
#: nested ones are a "billion laughs" bomb that grows exponentially in whatever walks the value
#: (Hugo refuses those too).
MAX_EXPANDED_VALUES = 100_000


def _check_aliases(raw: str) -> None:
    sizes: dict[str, int] = {}  # anchor -> values in the node it names, aliases expanded
    stack: list[list[Any]] = [[None, 0]]
    for event in yaml.parse(raw, Loader=HugoYAMLLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            stack.append([event.anchor, 1])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)) and len(stack) > 1:
            anchor, size = stack.pop()
            if anchor:
                sizes[anchor] = size
            stack[-1][1] += size
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                sizes[event.anchor] = 1
            stack[-1][1] += 1
        elif isinstance(event, yaml.AliasEvent):
            stack[-1][1] += sizes.get(event.anchor, 1)
        if stack[-1][1] > MAX_EXPANDED_VALUES:
            raise yaml.composer.ComposerError(
                None, None, f"aliases expand to over {MAX_EXPANDED_VALUES:,} values: a YAML alias bomb?",
                event.start_mark)


for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("int", r"^(?:[-+]?(?:0|[1-9][0-9]*)|[-+]?0[0-7]+|0o[0-7]+|0x[0-9a-fA-F]+|0b[01]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
              r"|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
    ("merge", r"^<<$", "<"),
):
    HugoYAMLLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))

_YAML = YAMLHandler()
_DATE_KEYS = {  # Hugo's default front matter date chains in the order Hugo resolves them, with aliases
    "date": ("date", "publishdate", "pubdate", "published", "lastmod", "modified"),
    "publish_date": ("publishdate", "pubdate", "published", "date"),
    "lastmod": ("lastmod", "modified", "date", "publishdate", "pubdate", "published"),
    "expiry_date": ("expirydate", "unpublishdate"),
}
_ALL_DATE_KEYS = frozenset(k for chain in _DATE_KEYS.values() for k in chain)


def load_front_matter(raw: str, fmt: str, first_line: int) -> Any:
    """The parsed value, or (line in the file, message) when the parser rejects it."""
    try:
        if fmt == "yaml":
            if "*" in raw and "&" in raw:
                _check_aliases(raw)
            return _YAML.load(raw, Loader=HugoYAMLLoader)
        if fmt == "toml":
            return tomllib.loads(raw)
        return json.loads(raw)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        context = getattr(e, "context_mark", None)
        if context is not None and (mark is None or mark.index >= len(raw.rstrip())):
            mark = context  # an unclosed `[`, `{` or quote: point at where it opened, as Hugo does
        where = f" (column {mark.column + 1})" if mark is not None else ""
        what = " ".join(str(p) for p in (getattr(e, "context", None), getattr(e, "problem", None)) if p)
        return first_line + (mark.line if mark else 0), f"invalid YAML front matter: {what or e}{where}"
    except tomllib.TOMLDecodeError as e:
        m = re.search(r" \(at line (\d+), column \d+\)$", str(e))
        line = first_line + int(m.group(1)) - 1 if m else first_line
        message = str(e)[: m.start()] if m else str(e)
        return line, f"invalid TOML front matter: {message}"
    except json.JSONDecodeError as e:
        return first_line + e.lineno - 1, f"invalid JSON front matter: {e.msg} (column {e.colno})"


def kind_of_value(value: Any) -> str:
    """What a front matter value is, for messages: "list", "string", "number", "boolean" …"""
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__)


def key_line(text: str, body_offset: int, fm_line: int, key: str) -> int:
    """Line of the first front matter line that mentions `key` (for date errors, found after parsing)."""
    pattern = re.compile(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*[:=]", re.MULTILINE)
    m = pattern.search(text, 0, body_offset)
    return text.count("\n", 0, m.start()) + 1 if m else fm_line


def front_matter_dates(fm: dict[str, Any]) -> dict[str, DateValue | None] | str:
    """Parse every date key in place and resolve Hugo's four date chains; an error message on failure."""
    for key, value in fm.items():
        if isinstance(key, str) and key.lower() in _ALL_DATE_KEYS and value is not None and value != "":
            try:
                fm[key] = parse_hugo_date(value)
            except ValueError as e:
                return f'the "{key}" front matter value {value!r} is not a date: {e}'
    params = {k.lower(): v for k, v in fm.items() if isinstance(k, str)}
    out: dict[str, DateValue | None] = {}
    for field_name, chain in _DATE_KEYS.items():
        out[field_name] = value = next((v for k in chain if isinstance(v := params.get(k), dt.date)), None)
        # Hugo stores each resolved date back as a param, so later chains see it ("date" for publishDate).
        if not isinstance(params.get(chain[0]), dt.date):
            params[chain[0]] = value
    return out


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_D = r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
_T = r"(?P<h>\d{1,2}):(?P<mi>\d{2}):(?P<s>\d{2})(?P<f>[.,]\d+)?"
_Z = r"(?P<z>Z|[-+]\d{2}:?\d{2})"
_WD = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? +"
_MON = r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
#: The layouts Hugo tries (spf13/cast's list), as regexes; a named zone alone counts as no zone.
_LAYOUTS = [re.compile(p) for p in (
    rf"{_D}T{_T}(?:{_Z})?",  # RFC 3339, with or without zone, and -0700 offsets
    rf"{_D} +{_T} *(?:{_Z}(?: +[A-Z]{{3,5}})?)?",  # "2006-01-02 15:04:05", with Z07:00 / -0700 / " -07:00"
    rf"{_D}",  # date only
    rf"{_WD}(?P<d>\d{{1,2}}) {_MON} (?P<y>\d{{4}}) {_T} (?:{_Z}|[A-Z]{{3,5}})",  # RFC 1123(Z)
    rf"(?P<d>\d{{2}}) {_MON} (?P<y>\d{{2}}) (?P<h>\d{{1,2}}):(?P<mi>\d{{2}}) (?:{_Z}|[A-Z]{{3,5}})",  # RFC 822
    rf"{_WD}(?P<d>\d{{2}})-{_MON}-(?P<y>\d{{2}}) {_T} [A-Z]{{3,5}}",  # RFC 850
    rf"{_WD}{_MON} +(?P<d>\d{{1,2}}) {_T}(?: [A-Z]{{3,5}}| {_Z})? (?P<y>\d{{4}})",  # ANSIC, Unix, Ruby
    rf"(?P<d>\d{{2}}) {_MON} (?P<y>\d{{4}})",  # "02 Jan 2006"
)]


def parse_hugo_date(value: Any) -> DateValue:
    """A front matter date value as Hugo reads it; raises ValueError for what Hugo rejects.

    Values with an offset keep it; values without one stay naive (Hugo reads them in the site's
    `timeZone`, UTC by default, see `to_instant`); date-only values stay `datetime.date`. Numbers
    are Unix seconds, as in Hugo.
    """
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    if not isinstance(value, str):
        raise ValueError(f"a {kind_of_value(value)} is not a date")
    for layout in _LAYOUTS:
        m = layout.fullmatch(value)
        if m is None:
            continue
        g = m.groupdict()
        year = int(g["y"]) if len(g["y"]) == 4 else 2000 + int(g["y"]) if int(g["y"]) < 69 else 1900 + int(g["y"])
        month = _MONTHS.index(g["mon"].lower()) + 1 if g.get("mon") else int(g["mo"])
        try:
            if g.get("h") is None:
                return dt.date(year, month, int(g["d"]))
            frac = (g.get("f") or ".0")[1:7].ljust(6, "0")
            tz = _offset(g.get("z"))
            return dt.datetime(year, month, int(g["d"]), int(g["h"]), int(g["mi"]), int(g.get("s") or 0),
                               int(frac), tzinfo=tz)
        except ValueError as e:
            raise ValueError(f"impossible date ({e})") from None
    raise ValueError("not in a format Hugo reads (use e.g. 2025-04-18 or 2025-04-18T10:00:00-06:00)")


def _offset(z: str | None) -> dt.tzinfo | None:
    if not z:
        return None
    if z == "Z":
        return dt.UTC
    hours, minutes = int(z[1:3]), int(z[-2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"offset {z} out of range")
    delta = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-delta if z[0] == "-" else delta)


def go_string(value: Any) -> str:
    """A front matter scalar as Hugo's cast.ToString gives it ("true" for True; "" for lists and maps)."""
    if value is None or isinstance(value, list | dict):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def go_bool(value: Any) -> bool:
    """Hugo's cast.ToBool: booleans, non-zero numbers, and strconv.ParseBool's true spellings."""
    if isinstance(value, str):
        return value in ("1", "t", "T", "true", "TRUE", "True")
    return bool(value) if isinstance(value, bool | int | float) else False


def string_list(value: Any) -> list[str]:
    """A front matter list of strings; a single string is a one-item list (Hugo keeps it whole)."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    return [s for s in (go_string(v) for v in items) if s]


def to_instant(value: DateValue, tz: dt.tzinfo = dt.UTC) -> dt.datetime:
    """An aware datetime for any DateValue: naive values and plain dates are read in `tz`, as Hugo does."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
