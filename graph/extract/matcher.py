"""One pass over a text for every known name: an Aho-Corasick automaton over folded labels.

Folding makes matching accent-, case-, hyphen- and whitespace-tolerant ("Fundacion openinfra"
finds "Fundación OpenInfra", "Kata\\nContainers" finds "Kata Containers") while every match keeps
offsets into the original text. Case rules are per label: acronyms and the single-word labels of
`pg:matchCase` entries must match in their exact case ("SCaLE", "K8s", "Kind"), everything else
in any case. Overlapping matches are resolved longest first, so "Southern California Linux Expo"
is one event and the "Linux" inside it is nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from graph.extract.vocabulary import Entry

_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"}
_SPACES_LIKE = {"-": " ", "\u2010": " ", "\u2011": " ", "\u2012": " ", "\u2013": " ", "\u00a0": " ", "_": " "}
_fold_cache: dict[str, str] = {}


def _fold_char(c: str) -> str:
    cached = _fold_cache.get(c)
    if cached is not None:
        return cached
    if c in _APOSTROPHES:
        out = _APOSTROPHES[c]
    elif c in _SPACES_LIKE:
        out = _SPACES_LIKE[c]
    else:
        parts = unicodedata.normalize("NFKD", c) if not c.isascii() else c
        # a letter and its accents ("é" -> "e"); not a syllable made of letters (Hangul "구" is not "ㄱ")
        base = parts[0] if all(unicodedata.combining(p) for p in parts[1:]) else c
        lower = base.lower()
        out = lower if len(lower) == 1 else base
        if not c.isascii() and unicodedata.combining(out):
            out = c
    _fold_cache[c] = out
    return out


class _FoldTable(dict):
    """str.translate table that folds each character the first time it is seen."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold_keeping_offsets(text: str) -> str:
    """Same length as `text`, character for character, so offsets into it are offsets into `text`:
    lower case, accents dropped, apostrophes and hyphens normalised. What labels and texts are
    matched in (`analysis.search_key` is the other fold: for what people type, length not kept)."""
    if text.isascii():
        return text.lower().replace("-", " ").replace("_", " ").replace("`", "'")
    return text.translate(_FOLD_TABLE)


# what collapse() changes: a slash with blanks around it ("KubeCon / CloudNativeCon"), runs of blanks,
# and any other kind of white space (a single space stays as it is and costs nothing)
_WS = re.compile(r"[ \t]+/[ \t]*|/[ \t]+|\s{2,}|[\t\n\r\f\v\u00a0\u2028\u2029]")
_SLASH = re.compile(r"\s*/\s*")


def collapse(text: str) -> tuple[str, list[int]]:
    """Runs of whitespace become one space, blanks around a slash go; returns the new string and,
    for each of its characters, the offset of the character it came from."""
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _WS.finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()])
            index.extend(range(pos, m.start()))
        if "/" in m.group():
            out.append("/")
            index.append(m.start() + m.group().index("/"))
        else:
            out.append(" ")
            index.append(m.start())
        pos = m.end()
    out.append(text[pos:])
    index.extend(range(pos, len(text)))
    return "".join(out), index


def _wide(c: str) -> bool:
    """Hangul, kana and CJK ideographs: scripts written without spaces between a name and what
    follows it (Korean particles: "Helm은", "헬름이")."""
    return c >= "\u1100" and ("\u1100" <= c <= "\u11ff" or "\u2e80" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af"
                               or "\uf900" <= c <= "\ufaff" or "\uff00" <= c <= "\uffef")


def _joins(neighbour: str, edge: str, trailing: bool = False) -> bool:
    """Whether `neighbour` continues the word whose first (or last) character is `edge`: a letter or
    digit of the same kind of script does; a Korean particle after a Hangul name does not."""
    if not neighbour.isalnum():
        return False
    wide = _wide(neighbour)
    if wide != _wide(edge):
        return False  # "Helm은", "CNCF의": a change of script is a word boundary
    return not (trailing and wide and "\uac00" <= edge <= "\ud7af")


def key_of(label: str) -> str:
    return " ".join(_SLASH.sub("/", fold_keeping_offsets(label)).split())


def _acronym_like(label: str) -> bool:
    """Short names whose capitals carry the meaning ("CNCF", "SCaLE", "K8s"): matched in their case.
    A longer camel-case name that is no word in lower case ("KubeCon", "GitOpsCon") is not: posts
    write "Kubecon" too."""
    letters = [c for c in label if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if upper >= 2 and len(label) <= 8:
        camel = len(label) >= 6 and label[:1].isupper() and any(c.islower() for c in label[1:3]) and \
            label.isalpha() and not is_common_word(label.lower())
        return not camel
    return any(c.isdigit() for c in label) and len(label) <= 5 and upper >= 1


@dataclass(frozen=True)
class Surface:
    """One way an entry is written: the label, whether its case must match exactly, and whether
    it is also an everyday word in English, Spanish or Portuguese ("Tempo", "Helm", "Swift")."""

    label: str
    lang: str
    iri: str
    case_sensitive: bool
    common_word: bool = False


#: A one-word label this frequent (Zipf scale, wordfreq) in en, es or pt is an everyday word.
COMMON_WORD_ZIPF = 3.5


_ZIPF: dict[str, bool] | None = None  # word -> everyday word?, kept on disk between builds
_ZIPF_NEW = 0  # answers not on disk yet


def _zipf_table() -> dict[str, bool]:
    """The everyday-word answers of earlier builds (graph.cache); saved again at exit when new ones
    were added, so an incremental build rarely loads wordfreq's tables (most of a second)."""
    global _ZIPF
    if _ZIPF is None:
        import atexit
        import pickle

        from graph.cache import cache_dir

        _ZIPF = {}
        try:
            with open(_zipf_path(cache_dir()), "rb") as f:
                loaded = pickle.load(f)
            if isinstance(loaded, dict):
                _ZIPF = loaded
        except Exception:
            pass
        atexit.register(_save_zipf_table)
    return _ZIPF


def _zipf_path(folder: Path) -> Path:
    from importlib.metadata import version

    return folder / f"everyday-word-answers-{version('wordfreq')}-{COMMON_WORD_ZIPF}.pickle"


def _save_zipf_table() -> None:
    import os
    import pickle
    import tempfile

    from graph.cache import cache_dir

    if not _ZIPF_NEW or _ZIPF is None or os.environ.get("POSTGRAPH_CACHE") == "off":
        return
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".words-", delete=False) as tmp:
            pickle.dump(_ZIPF, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, _zipf_path(folder))
    except OSError:
        pass


@lru_cache(maxsize=65536)
def is_common_word(label: str) -> bool:
    """True for one-word labels that are frequent words of en/es/pt; they need context to count."""
    global _ZIPF_NEW
    if " " in label.strip() or not label.isalpha():
        return False
    if label not in (label.lower(), label.capitalize(), label.upper()):
        return False  # unusual capitals ("SCaLE", "OpenStack") are a name, not the everyday word
    word = label.lower()
    table = _zipf_table()
    known = table.get(word)
    if known is not None:
        return known
    from wordfreq import zipf_frequency

    answer = table[word] = any(zipf_frequency(word, lang) >= COMMON_WORD_ZIPF for lang in ("en", "es", "pt"))
    _ZIPF_NEW += 1
    return answer


#: Languages whose word lists show whether a frequent word is a name that travels (a brand, a
#: surname) or a word of one language: English words that are also names ("helm", "vault") are
#: rare outside English, while "Google" or "Microsoft" are as frequent in Polish as in English.
_NAME_PANEL = ("en", "es", "pt", "de", "fr", "it", "nl", "pl")
#: How much less frequent (Zipf) a word may be in the rarest panel language and still be a name.
NAME_SPREAD = 0.9


def is_international_name(label: str) -> bool:
    """True for a one-word label used about as often in every language of `_NAME_PANEL` ("Google",
    "Microsoft", "Linux", "Twitter"): a name, not an everyday word, even though it is frequent."""
    global _ZIPF_NEW
    word = label.strip().lower()
    if " " in word or not word.isalpha():
        return False
    table = _zipf_table()
    key = "\x00name:" + word
    known = table.get(key)
    if known is not None:
        return known
    from wordfreq import zipf_frequency

    freq = [zipf_frequency(word, lang) for lang in _NAME_PANEL]
    top = max(freq[:3])  # en, es, pt: the languages whose everyday words matter
    answer = table[key] = top > 0 and min(freq) >= top - NAME_SPREAD
    _ZIPF_NEW += 1
    return answer


def is_everyday_label(label: str) -> bool:
    """An everyday word of en/es/pt that is not a name every language uses: it needs context."""
    return is_common_word(label) and not is_international_name(label)


def everyday_words(labels: set[str]) -> frozenset[str]:
    """Which of these labels are everyday words (`is_everyday_label`), from the disk cache when the
    same labels were asked with the same wordfreq before (graph.cache)."""
    from importlib.metadata import version

    from graph.cache import cached, key_of_parts

    key = key_of_parts([version("wordfreq"), str(COMMON_WORD_ZIPF), f"names {_NAME_PANEL} {NAME_SPREAD}",
                        *sorted(labels)])
    return cached("everyday-words", key, lambda: frozenset(label for label in labels if is_everyday_label(label)))


@dataclass(frozen=True)
class Match:
    start: int  # offsets into the original text
    end: int
    surfaces: tuple[Surface, ...]  # candidates that agree with the text here (usually one)

    @property
    def iris(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.iri for s in self.surfaces))


def _comparable(text: str) -> str:
    return " ".join(_SLASH.sub("/", text.replace("-", " ").replace("\u2019", "'")).split())


def entry_named(entries: Iterable[Entry], term: str, index: dict[str, list[tuple[str, Entry]]] | None = None
                ) -> Entry | None:
    """The known entity a whole term names ("OpenStack", "Comunidad"), with the matcher's case rules
    (acronyms, `pg:matchCase` and everyday words match only in their own case) and without
    entries that need context. A dictionary lookup: no automaton to build for a site's tags.
    `index` (from `label_index`) may be passed to look up many terms."""
    index = index if index is not None else label_index(entries)
    term = term.strip()
    for label, entry in index.get(key_of(term), ()):
        if entry.needs_context:
            continue
        if _comparable(label) == _comparable(term):
            return entry  # written as the vocabulary writes it: no case rule can refuse it
        single_word = " " not in key_of(label)
        strict = _acronym_like(label) or (entry.match_case and single_word) or (
            entry.kind != "topic" and is_everyday_label(label))
        if strict and _comparable(label) != _comparable(term):
            continue
        return entry
    return None


def label_index(entries: Iterable[Entry]) -> dict[str, list[tuple[str, Entry]]]:
    """Folded label -> (label, entry) for every matchable label, in the entries' order."""
    index: dict[str, list[tuple[str, Entry]]] = {}
    for entry in entries:
        for label, _lang in entry.labels:
            index.setdefault(key_of(label), []).append((label, entry))
    return index


class Matcher:
    """Compiled from vocabulary entries; `find` is one automaton pass over a text."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        table: dict[str, list[Surface]] = {}
        entries_list = list(entries)
        common_words = everyday_words({label for e in entries_list if e.kind != "topic" for label, _ in e.labels})
        for entry in entries_list:
            for label, lang in entry.labels:
                key = key_of(label)
                if len(key) < 2:
                    continue
                single_word = " " not in key
                case_sensitive = _acronym_like(label) or (entry.match_case and single_word)
                common = entry.kind != "topic" and label in common_words
                table.setdefault(key, []).append(Surface(label, lang, entry.iri, case_sensitive or common, common))
        self.topics = {e.iri for e in entries_list if e.kind == "topic"}
        self.automaton = ahocorasick.Automaton()
        for key, surfaces in table.items():
            self.automaton.add_word(key, (key, tuple(surfaces)))
        if table:
            self.automaton.make_automaton()
        self.size = len(table)

    def find(self, text: str) -> list[Match]:
        """Every non-overlapping match in `text` (longest first), in text order.

        Themes and things are two layers: a theme's label may contain a thing's name ("beyond
        VMware" and VMware), and each layer resolves its own overlaps."""
        if not self.size:
            return []
        norm, index = collapse(fold_keeping_offsets(text))
        found: list[Match] = []
        n = len(norm)
        for end, (key, surfaces) in self.automaton.iter(norm):
            start = end - len(key) + 1
            if (start > 0 and _joins(norm[start - 1], norm[start])) or (
                    end + 1 < n and _joins(norm[end + 1], norm[end], trailing=True)):
                continue
            o_start, o_end = index[start], index[end] + 1
            original = _comparable(text[o_start:o_end])
            ok = tuple(s for s in surfaces if not s.case_sensitive or _comparable(s.label) == original)
            if ok:
                found.append(Match(o_start, o_end, ok))
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        taken = {False: bytearray(len(text) + 1), True: bytearray(len(text) + 1)}
        chosen: list[Match] = []
        for m in found:
            layer = taken[all(i in self.topics for i in m.iris)]
            if layer.find(1, m.start, m.end) != -1:
                continue
            layer[m.start:m.end] = b"\x01" * (m.end - m.start)
            chosen.append(m)
        chosen.sort(key=lambda m: m.start)
        return chosen
