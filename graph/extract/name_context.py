"""Whether a known name that is also a word or another thing's name ("Helm", "Flux", "Tempo",
"Buoyant") means the vocabulary's entity on this page: a tag naming it, a kind word beside it ("the
Helm project"), a version ("Helm v3"), a link to its own site, a job at it ("engineer at Buoyant"),
its full name elsewhere, its project beside it, or others of its kind in the sentence or the list;
and which one-word names a post writes as names in running text."""

from __future__ import annotations

import bisect
import re

import pyoxigraph as ox

from graph.extract.matcher import Match, key_of
from graph.extract.text import Prose
from graph.extract.vocabulary import Entry, Vocabulary

# a version right after a name: " v3", " 2.8.0", " 3" (not a year: "Summit 2019")
_VERSION_AFTER = re.compile(r"[ \t]?(?:v\d+(?:\.\d+)*|\d{1,2}(?:\.\d+)*)(?![\w.]|\.\w)")
_LIST_SEPARATOR = re.compile(r"\s*(?:[,/&+;]\s*(?:(?:and|y|e|or|o|ou)\s+)?|(?:and|y|e|or|o|ou)\s+)", re.I)
_KIND_WORDS = {"project", "projects", "tool", "tools", "proyecto", "proyectos", "projeto", "projetos",
               "herramienta", "herramientas", "ferramenta", "ferramentas", "service", "services", "servicio",
               "serviço", "component", "componente", "distribution", "distribución", "distribuição"}
_URL = re.compile(r"https?://[^\s)\]>\"'<]+")
_ROLE_AT = re.compile(r"\b(?:engineer|developer|CTO|CEO|COO|CFO|founder|co-founder|VP|director|manager|maintainer|"
                      r"architect|evangelist|advocate|employee|lead|head|intern|PM|SRE|staff|team)s?\s+"
                      r"(?:[\w-]+\s+){0,3}?(?:at|@|from|of|en|em|de)\s+$", re.I)
# "Philippe Ensarguet (Orange)": a speaker's employer in brackets after the name
_PERSON_BRACKET = re.compile(r"(?:^|[\s,&-])[A-ZÀ-Ý][a-zà-ÿ'’-]+(?:\s+[A-ZÀ-Ý][a-zà-ÿ'’-]+){1,2}\s*\(\s*$")
_ORG_AFTER = re.compile(r"(?:'s|’s)?\s+(?:VP|CEO|CTO|COO|founder|co-founder|engineers?|employees|customers|"
                        r"profitability|acquisition|Inc|Labs|GmbH|Ltd)\b")
_LINK_AFTER = re.compile(r"[^\]\[\n]{0,40}\]\((https?://[^)\s]+)")
_HOME_PREDICATES = {"https://schema.org/url", "https://schema.org/codeRepository", "http://usefulinc.com/ns/doap#homepage",
                    "https://schema.org/sameAs"}
_CODE_HOSTS = {"github.com", "gitlab.com", "codeberg.org", "bitbucket.org"}


def site_of(url: str) -> str:
    """"buoyant.io" for https://www.buoyant.io/blog/x; "github.com/helm" for a repository of helm's."""
    rest = url.split("://", 1)[-1]
    host, _, path = rest.partition("/")
    host = host.lower().removeprefix("www.").split(":")[0]
    if host in _CODE_HOSTS:
        owner = path.split("/", 1)[0].lower()
        return f"{host}/{owner}" if owner else host
    return host


_LOWER_WORD_BEFORE = re.compile(r"(?:^|[\s(])[a-zà-ÿ][\w'’-]*,?[ \t]*\n?[ \t]*$")
_CAPITALISED_AFTER = re.compile(r"[ \t]+(?:[A-ZÀ-Ý0-9]|of |de |do |da )")


def written_as_names(doc: Prose, matches: list[Match]) -> set[str]:
    """Entities whose ambiguous one-word name the post writes as a name at least twice: with its
    capital after a lower-case word in running text ("… shortly after the release, Helm was born",
    "from there Helm development …"), not at the start of a sentence nor inside a longer
    capitalised name ("Salt Lake City", "Shaping the Future"). An everyday word is not written so."""
    counts: dict[str, int] = {}
    for m in matches:
        surface = doc.masked[m.start:m.end]
        if " " in surface.strip() or not surface[:1].isupper() or surface.isupper():
            continue
        before = doc.masked[max(0, m.start - 40):m.start]
        if not _LOWER_WORD_BEFORE.search(before) or _CAPITALISED_AFTER.match(doc.masked, m.end):
            continue
        if before.rstrip()[-1:] in ("-", "—", "–"):
            continue
        sentence = doc.sentence_at(m.start)
        if sentence is None or doc.blocks[sentence.block].kind not in ("paragraph", "item", "quote"):
            continue
        for iri in m.iris:
            counts[iri] = counts.get(iri, 0) + 1
    return {iri for iri, n in counts.items() if n >= 2}


class SitesOf:
    """Each vocabulary entity's own web sites and repositories (host, or host/owner on a code host):
    made once per build, on first use."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._sites: dict[str, set[str]] | None = None  # entity -> its web sites and repositories

    def __call__(self, iri: str) -> set[str]:
        if self._sites is None:
            self._sites = {}
            for subject, triples in self.vocabulary.by_subject.items():
                for t in triples:
                    if t.predicate.value in _HOME_PREDICATES and isinstance(t.object, ox.NamedNode):
                        site = site_of(t.object.value)
                        if site not in _CODE_HOSTS:  # "github.com" alone is everybody's
                            self._sites.setdefault(subject, set()).add(site)
        return self._sites.get(iri, set())


class NameContext:
    """What one page offers to tell an ambiguous known name from a word: its matches (in text
    order), the sites it links to and the entities it names in full. Made once per page."""

    def __init__(self, vocabulary: Vocabulary, site_subjects: frozenset[str], sites_of: SitesOf, text: str,
                 doc: Prose, matches: list[Match]) -> None:
        self.entries = vocabulary.entries
        self.site_subjects = site_subjects
        self.sites_of = sites_of
        self.doc = doc
        self.matches = matches
        self._page_sites = {site_of(u) for u in _URL.findall(text)}  # the sites the page links to
        # asked for each ambiguous match: computed once per page, so a page repeating a name stays linear
        self._starts = [o.start for o in matches]  # matches come in text order
        self._full_named = {i for o in matches if " " in key_of(doc.masked[o.start:o.end]) for i in o.iris}

    def has_context(self, m: Match, entry: Entry, tags: set[str], strict: bool = False,
                    index: int | None = None) -> bool:
        """An ambiguous name counts only with a tag naming it, a kind word beside it ("the Helm
        project"), its full name elsewhere in the post, or — for names that are not everyday words —
        another thing of its kind in the same sentence. An everyday word ("Tempo") needs more: a
        neighbour of its kind in the same enumeration ("k3s, MicroK8s, Kind, & Minikube")."""
        if entry.iri in self.site_subjects or any(key_of(label) in tags for label, _ in entry.labels):
            return True
        if entry.part_of and entry.part_of in self.site_subjects:
            return True  # on Flux's own site, Flagger (a part of Flux) is that Flagger
        if entry.kind == "project" and _VERSION_AFTER.match(self.doc.masked, m.end):
            return True  # "Helm v3", "Flux 2.8": software has versions
        if self._links_to_itself(m, entry):
            return True  # "[Buoyant](https://buoyant.io/)": the link goes to the entity's own site
        if self.sites_of(entry.iri) & self._page_sites:
            return True  # the post links to the entity's own site somewhere ("buoyant.io/blog/…")
        if entry.kind == "organization" and (_ROLE_AT.search(self.doc.masked[max(0, m.start - 40):m.start])
                                             or _ORG_AFTER.match(self.doc.masked, m.end)
                                             or _PERSON_BRACKET.search(self.doc.masked[max(0, m.start - 60):m.start])):
            return True  # "software engineer at Buoyant", "Orange VP of Engineering", "Buoyant's CEO"
        if entry.iri in self._full_named and " " not in key_of(self.doc.masked[m.start:m.end]):
            return True  # its full name elsewhere in the post ("Helm charts" … "Helm")
        sentence = self.doc.sentence_at(m.start)
        block = self.doc.blocks[sentence.block] if sentence else self.doc.block_at(m.start)
        if entry.part_of and block is not None and any(
                entry.part_of in o.iris for o in self._between(block.start, block.end)):
            return True  # "OpenStack … virtual machines (Nova)": a component beside its project
        lo, hi = (sentence.start, sentence.end) if sentence else (m.start - 80, m.end + 80)
        window = self.doc.masked[max(lo, m.start - 20):min(hi, m.end + 20)].lower().split()
        if any(w.strip(".,;:()") in _KIND_WORDS for w in window):
            return True
        if index is not None and self._in_long_list(index, entry):
            return True
        # another thing of its kind in the sentence (a few hundred characters around it at most: a
        # 2 MB "sentence" is not read once per name it holds)
        for other in self._between(max(lo, m.start - 400), min(hi, m.end + 400)):
            if other is m:
                continue
            e = self.entries.get(other.iris[0])
            if e is None or e.kind != entry.kind or (e.needs_context and e.iri not in self.site_subjects):
                continue  # an ambiguous neighbour proves nothing, unless it is what the site is about
            between = self.doc.masked[min(m.end, other.end):max(m.start, other.start)]
            if not strict or (len(between) <= 6 and re.fullmatch(r"\s*(,|&|/|and|y|e|or|o|ou)?\s*,?\s*&?\s*",
                                                                   between)):
                return True
        return False

    def _links_to_itself(self, m: Match, entry: Entry) -> bool:
        link = _LINK_AFTER.match(self.doc.text, m.end)
        return bool(link) and site_of(link.group(1)) in self.sites_of(entry.iri)

    def _between(self, start: int, end: int) -> list[Match]:
        """The matches that start in [start, end), found by bisection of the page's match starts."""
        return self.matches[bisect.bisect_left(self._starts, start):bisect.bisect_left(self._starts, end)]

    def _in_long_list(self, i: int, entry: Entry) -> bool:
        """"near the LitmusChaos/Flux/Cortex/Falco booths": three or more names of one kind joined only by
        separators are a list of such things, even when each name alone is also a word. `i` is the
        match's index in `matches` (walked outwards from there, not searched for)."""
        run = 1
        for step in (-1, 1):
            k = i
            while 0 <= k + step < len(self.matches):
                a, b = (self.matches[k + step], self.matches[k]) if step < 0 else (self.matches[k], self.matches[k + step])
                other = self.entries.get(self.matches[k + step].iris[0])
                if other is None or other.kind != entry.kind or not _LIST_SEPARATOR.fullmatch(self.doc.masked[a.end:b.start]):
                    break
                run += 1
                if run >= 3:
                    return True  # enough: a long list is not walked to its end for each of its names
                k += step
        return False
