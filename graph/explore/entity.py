"""What an entity page shows: labels, types, facts, links in and out, evidence, translations, related.

A popular entity is mentioned by thousands of posts, and its page must stay small and fast
whatever the site's size: every query is bounded (LIMIT, COUNT, VALUES of one page of posts), and
no query joins or sorts all of an entity's mentions. What is computed once per store generation
is passed in: the index of every post's date (`PostIndex`), the posts mentioning the entity
newest first (`Mentions`: one index scan, no join) and the co-mention counts of the projected
entity graph. Pages of `EVIDENCE_PAGE` posts show the evidence, newest first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.namespaces import local_name
from graph.query.sparql import column, solutions

if TYPE_CHECKING:
    from graph.explore.analysis import EntityGraph

LANGS = ("en", "es", "pt")
_LABEL_PROPS = "schema:name|skos:prefLabel|schema:headline|rdfs:label"
_HIDDEN_IN = {"http://www.w3.org/ns/oa#hasBody", "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject",
              "http://www.w3.org/1999/02/22-rdf-syntax-ns#object", "https://schema.org/mentions"}
_BLOG_POSTING = "https://schema.org/BlogPosting"
#: Posts of evidence a page shows; related entities shown; posts read for them without the entity graph
EVIDENCE_PAGE, RELATED_SHOWN, RELATED_SAMPLE = 20, 12, 200


@dataclass(frozen=True)
class Value:
    text: str
    iri: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Evidence:
    post: str
    headline: str
    lang: str
    before: str  # the sentence split around the mention: before, mention, after (plain text)
    mention: str
    after: str


@dataclass
class EntityView:
    iri: str
    label: str
    lang: str
    types: list[Value] = field(default_factory=list)
    outgoing: list[tuple[str, list[Value]]] = field(default_factory=list)  # property label, values
    incoming: list[tuple[str, list[Value], int]] = field(default_factory=list)  # property label, values, total
    evidence: list[Evidence] = field(default_factory=list)
    evidence_posts: int = 0  # posts (language versions) that mention it
    evidence_articles: int = 0  # articles (an article's versions count once)
    evidence_page: int = 1  # which page of EVIDENCE_PAGE posts `evidence` is (newest first)
    evidence_pages: int = 1
    translations: list[Value] = field(default_factory=list)
    related: list[tuple[Value, int]] = field(default_factory=list)  # entity, posts shared
    related_sample: int = 0  # when not 0: related counted among the newest this many posts only
    is_post: bool = False
    conflicts: list[Conflict] = field(default_factory=list)


def _lang_of(term: object) -> str:
    return getattr(term, "language", None) or ""


def labels(snapshot: ox.Store, iris: set[str], lang: str) -> dict[str, str]:
    """The best label of each IRI in `lang` (else English, else any)."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    todo = sorted(iris)
    for i in range(0, len(todo), 200):
        values = " ".join(f"<{iri}>" for iri in todo[i:i + 200])
        # the knowledge graph's labels, and the ontology's for classes and properties (its own graph)
        for row in solutions(snapshot, f"""SELECT DISTINCT ?x ?l WHERE {{ VALUES ?x {{ {values} }}
                {{ ?x {_LABEL_PROPS} ?l }} UNION {{ GRAPH ?g {{ ?x rdfs:label ?l }} }} }}"""):
            found[row["x"].value].append((row["l"].value, _lang_of(row["l"])))
    out = {}
    for iri, options in found.items():
        for wanted in (lang, "en", ""):
            match = [text for text, tag in options if tag.split("-")[0] == wanted]
            if match:
                out[iri] = sorted(match)[0]
                break
        else:
            out[iri] = sorted(options)[0][0]
    return out


def split_mention(sentence: str, exact: str, prefix: str, suffix: str) -> tuple[str, str, str]:
    """The sentence around the mention, for highlighting; falls back to the quote's own context."""
    if sentence:
        at = sentence.find(exact)
        if at < 0:
            at = sentence.casefold().find(exact.casefold())
        if at >= 0:
            return sentence[:at], sentence[at:at + len(exact)], sentence[at + len(exact):]
    return prefix, exact, suffix


@dataclass(frozen=True)
class PostIndex:
    """Every post's publication date and every article, read once per store generation."""

    dates: dict[str, str]  # post (BlogPosting) -> its datePublished as written ("" when it has none)
    articles: frozenset[str]  # articles (schema:CreativeWork: the language versions of one text)

    @classmethod
    def build(cls, snapshot: ox.Store) -> PostIndex:
        dates = {r["p"].value: r["d"].value if r["d"] is not None else "" for r in solutions(snapshot, """
            SELECT ?p (MAX(?date) AS ?d) WHERE { ?p a schema:BlogPosting OPTIONAL { ?p schema:datePublished ?date } }
            GROUP BY ?p""")}
        articles = frozenset(r["a"].value for r in solutions(snapshot, "SELECT ?a WHERE { ?a a schema:CreativeWork }"))
        return cls(dates, articles)


@dataclass(frozen=True)
class Mentions:
    """Who mentions an entity: its posts newest first, and how many articles."""

    posts: tuple[str, ...]
    articles: int


def mentions(snapshot: ox.Store, iri: str, index: PostIndex) -> Mentions:
    """The posts that mention `iri`, newest first, and the number of articles that do: one scan of
    its `schema:mentions` index (no join: dates and kinds come from `index`)."""
    posts, articles = [], 0
    for subject in column(snapshot, f"SELECT ?p WHERE {{ ?p schema:mentions <{iri}> }}"):
        if subject in index.dates:
            posts.append(subject)
        elif subject in index.articles:
            articles += 1
    posts.sort(key=lambda p: (index.dates[p], p), reverse=True)
    return Mentions(tuple(posts), articles)


def entity_view(snapshot: ox.Store, iri: str, lang: str = "en", page: int = 1, mentioned: Mentions | None = None,
                comentions: EntityGraph | None = None) -> EntityView | None:
    """Everything the entity page shows, or None when the graph holds nothing about `iri`.

    `page` is the page of evidence (EVIDENCE_PAGE posts, newest first; past the last, the last);
    `mentioned` who mentions it (else read here, with a PostIndex of its own); `comentions` the
    projected entity graph, whose co-mention counts give the related entities (without it they are
    counted among the newest RELATED_SAMPLE posts)."""
    node = f"<{iri}>"
    out_rows = list(solutions(snapshot, f"SELECT DISTINCT ?p ?o WHERE {{ {node} ?p ?o }} LIMIT 1000"))
    hidden = ", ".join(f"<{p}>" for p in sorted(_HIDDEN_IN))  # evidence and mentions have their own section
    # no DISTINCT and no isIRI() here: both cost a decoding of every mention of a hub (20x slower)
    in_rows = [r for r in solutions(snapshot, f"""SELECT ?p ?s WHERE {{ ?s ?p {node} FILTER(?p NOT IN ({hidden})) }}
                                            LIMIT 3000""") if isinstance(r["s"], ox.NamedNode)]
    if not out_rows and not in_rows and not bool(snapshot.query(f"ASK {{ ?s ?p {node} }}")):
        return None
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    type_iris = {r["o"].value for r in out_rows if r["p"].value == rdf_type}
    linked = {r["o"].value for r in out_rows if isinstance(r["o"], ox.NamedNode)} | {r["s"].value for r in in_rows}
    props = {r["p"].value for r in out_rows} | {r["p"].value for r in in_rows}
    names = labels(snapshot, {iri} | linked | props, lang)
    view = EntityView(iri, names.get(iri, local_name(iri)), lang, is_post=_BLOG_POSTING in type_iris)
    view.types = [Value(names.get(t, local_name(t)), t) for t in sorted(type_iris)]

    grouped: dict[str, list[Value]] = defaultdict(list)
    for r in out_rows:
        p, o = r["p"].value, r["o"]
        if p == rdf_type:
            continue
        if isinstance(o, ox.NamedNode):
            grouped[p].append(Value(names.get(o.value, local_name(o.value)), o.value))
        elif isinstance(o, ox.Literal):
            lang_tag = _lang_of(o)
            if lang_tag and p in ("https://schema.org/name", "http://www.w3.org/2004/02/skos/core#prefLabel",
                                  "http://www.w3.org/2004/02/skos/core#altLabel") and lang_tag != lang:
                grouped[p].append(Value(o.value, None, lang_tag))
            else:
                grouped[p].append(Value(o.value, None, lang_tag or None))
    view.outgoing = sorted(((names.get(p, local_name(p)), sorted(set(v), key=lambda x: x.text)) for p, v in grouped.items()),
                           key=lambda kv: kv[0].casefold())
    incoming: dict[str, set[str]] = defaultdict(set)
    for r in in_rows:
        incoming[r["p"].value].add(r["s"].value)
    view.incoming = sorted(((names.get(p, local_name(p)), [Value(names.get(s, local_name(s)), s) for s in sorted(subjects)[:30]],
                            len(subjects)) for p, subjects in incoming.items()), key=lambda kv: kv[0].casefold())

    if mentioned is None:
        mentioned = mentions(snapshot, iri, PostIndex.build(snapshot))
    _evidence(snapshot, view, mentioned, page)
    if view.is_post:
        for row in solutions(snapshot, f"""
                SELECT DISTINCT ?t ?h ?l WHERE {{
                  {{ {node} schema:workTranslation|schema:translationOfWork ?t }}
                  UNION {{ ?t schema:workTranslation|schema:translationOfWork {node} }}
                  FILTER(?t != {node})
                  OPTIONAL {{ ?t schema:headline ?h }} OPTIONAL {{ ?t schema:inLanguage ?l }}
                }} LIMIT 20"""):
            view.translations.append(Value(row["h"].value if row["h"] else local_name(row["t"].value), row["t"].value,
                                           row["l"].value if row["l"] else None))
    else:
        related = _related(snapshot, iri, mentioned, comentions, view)
        rel_names = labels(snapshot, {o for o, _n in related}, lang)
        view.related = [(Value(rel_names.get(o, local_name(o)), o), n) for o, n in related]
    return view


def _related(snapshot: ox.Store, iri: str, mentioned: Mentions, eg: EntityGraph | None,
             view: EntityView) -> list[tuple[str, int]]:
    """The entities most often mentioned in the same posts, with how many posts: from the entity
    graph's co-mention counts (every entity's strongest are kept there), else counted among the
    newest RELATED_SAMPLE posts (exact when it has no more)."""
    if eg is not None:
        if iri not in eg.graph:
            return []
        counts = [(other, d["posts"]) for other, d in eg.graph[iri].items() if d["posts"] > 0]
        return sorted(counts, key=lambda t: (-t[1], t[0]))[:RELATED_SHOWN]
    sample = mentioned.posts[:RELATED_SAMPLE]
    if not sample:
        return []
    view.related_sample = len(sample) if len(mentioned.posts) > len(sample) else 0
    values = " ".join(f"<{p}>" for p in sample)
    return [(r["other"].value, int(r["n"].value)) for r in solutions(snapshot, f"""
        SELECT ?other (COUNT(?post) AS ?n) WHERE {{
          VALUES ?post {{ {values} }} ?post schema:mentions ?other . FILTER(?other != <{iri}>)
        }} GROUP BY ?other ORDER BY DESC(?n) ?other LIMIT {RELATED_SHOWN}""")]


def _evidence(snapshot: ox.Store, view: EntityView, mentioned: Mentions, page: int) -> None:
    """One page of the posts that mention the entity (newest first), each with a sentence of that
    post that says something about it when one of its claims does; the counts of posts and articles."""
    node = f"<{view.iri}>"
    view.evidence_posts, view.evidence_articles = len(mentioned.posts), mentioned.articles
    view.evidence_pages = max(1, -(-len(mentioned.posts) // EVIDENCE_PAGE))
    view.evidence_page = min(max(1, page), view.evidence_pages)
    first = (view.evidence_page - 1) * EVIDENCE_PAGE
    shown = mentioned.posts[first:first + EVIDENCE_PAGE]
    view.conflicts = conflicts(snapshot, view.iri)
    if not shown:
        return
    values = " ".join(f"<{p}>" for p in shown)
    facts = {r["post"].value: r for r in solutions(snapshot, f"""
        SELECT ?post (SAMPLE(?h) AS ?headline) (SAMPLE(?l) AS ?lang) WHERE {{ VALUES ?post {{ {values} }}
          OPTIONAL {{ ?post schema:headline ?h }} OPTIONAL {{ ?post schema:inLanguage ?l }} }} GROUP BY ?post""")}
    sentences = {r["post"].value: r["sentence"].value for r in solutions(snapshot, f"""
        SELECT ?post (SAMPLE(?s) AS ?sentence) WHERE {{ VALUES ?post {{ {values} }}
          GRAPH ?post {{ ?c rdf:subject|rdf:object {node} ; pg:sentence ?s }} }} GROUP BY ?post""")}
    name = view.label
    for post in shown:
        sentence = sentences.get(post, "")
        before, mention, after = split_mention(sentence, name, "", "")
        if not sentence:
            before, mention, after = "", name, ""
        elif not mention:
            before, mention, after = sentence, "", ""
        row = facts.get(post)
        headline = row["headline"].value if row is not None and row["headline"] is not None else post
        lang = row["lang"].value if row is not None and row["lang"] is not None else ""
        view.evidence.append(Evidence(post, headline, lang, before, mention, after))


@dataclass(frozen=True)
class Conflict:
    """Posts that say another value than the knowledge graph's for a one-value property."""

    entity: str
    property: str
    kept: str  # the knowledge graph's value
    said: str  # what these posts say instead
    posts: tuple[str, ...]
    sentence: str


def conflicts(snapshot: ox.Store, iri: str | None = None, limit: int = 200) -> list[Conflict]:
    """Where posts disagree with the consolidated value of a start date, end date or location
    (DESIGN.md: one value per edition; the others stay visible here, with their evidence)."""
    subject = f"<{iri}>" if iri else "?e"
    rows = solutions(snapshot, f"""
        SELECT ?e ?p ?kept ?said (GROUP_CONCAT(STR(?post); separator=" ") AS ?posts) (SAMPLE(?s) AS ?sentence)
        WHERE {{
          VALUES ?p {{ schema:startDate schema:endDate schema:location }}
          GRAPH ?post {{ {subject} ?p ?said .
                         OPTIONAL {{ ?c rdf:subject {subject} ; rdf:predicate ?p ; rdf:object ?said ; pg:sentence ?s }} }}
          {subject} ?p ?kept . FILTER(?kept != ?said)
          {f"BIND({subject} AS ?e)" if iri else ""}
        }} GROUP BY ?e ?p ?kept ?said ORDER BY ?e ?p ?said LIMIT {limit}""")
    return [Conflict(r["e"].value, r["p"].value, r["kept"].value, r["said"].value,
                     tuple(sorted(r["posts"].value.split())), r["sentence"].value if r["sentence"] else "")
            for r in rows]
