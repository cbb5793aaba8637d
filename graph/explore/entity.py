"""What an entity page shows: labels, types, facts, links in and out, evidence, translations, related.

Every query is bounded (LIMIT) and DISTINCT: a popular entity is restated by thousands of posts,
and the page must stay small and fast whatever the site's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.query.sparql import run

LANGS = ("en", "es", "pt")
_LABEL_PROPS = "schema:name|skos:prefLabel|schema:headline|rdfs:label"
_HIDDEN_IN = {"http://www.w3.org/ns/oa#hasBody", "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject",
              "http://www.w3.org/1999/02/22-rdf-syntax-ns#object", "https://schema.org/mentions"}
_BLOG_POSTING = "https://schema.org/BlogPosting"


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
    translations: list[Value] = field(default_factory=list)
    related: list[tuple[Value, int]] = field(default_factory=list)  # entity, posts shared
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
        for row in run(snapshot, f"""SELECT DISTINCT ?x ?l WHERE {{ VALUES ?x {{ {values} }}
                {{ ?x {_LABEL_PROPS} ?l }} UNION {{ GRAPH ?g {{ ?x rdfs:label ?l }} }} }}""").result:
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


def short(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def split_mention(sentence: str, exact: str, prefix: str, suffix: str) -> tuple[str, str, str]:
    """The sentence around the mention, for highlighting; falls back to the quote's own context."""
    if sentence:
        at = sentence.find(exact)
        if at < 0:
            at = sentence.casefold().find(exact.casefold())
        if at >= 0:
            return sentence[:at], sentence[at:at + len(exact)], sentence[at + len(exact):]
    return prefix, exact, suffix


def entity_view(snapshot: ox.Store, iri: str, lang: str = "en", evidence_limit: int = 20) -> EntityView | None:
    """Everything the entity page shows, or None when the graph holds nothing about `iri`."""
    node = f"<{iri}>"
    out_rows = list(run(snapshot, f"SELECT DISTINCT ?p ?o WHERE {{ {node} ?p ?o }} LIMIT 1000").result)
    hidden = ", ".join(f"<{p}>" for p in sorted(_HIDDEN_IN))  # evidence and mentions have their own section
    in_rows = list(run(snapshot, f"""SELECT DISTINCT ?p ?s WHERE {{ ?s ?p {node}
                                     FILTER(isIRI(?s) && ?p NOT IN ({hidden})) }} LIMIT 3000""").result)
    if not out_rows and not in_rows and not bool(snapshot.query(f"ASK {{ ?s ?p {node} }}")):
        return None
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    type_iris = {r["o"].value for r in out_rows if r["p"].value == rdf_type}
    linked = {r["o"].value for r in out_rows if isinstance(r["o"], ox.NamedNode)} | {r["s"].value for r in in_rows}
    props = {r["p"].value for r in out_rows} | {r["p"].value for r in in_rows}
    names = labels(snapshot, {iri} | linked | props, lang)
    view = EntityView(iri, names.get(iri, short(iri)), lang, is_post=_BLOG_POSTING in type_iris)
    view.types = [Value(names.get(t, short(t)), t) for t in sorted(type_iris)]

    grouped: dict[str, list[Value]] = defaultdict(list)
    for r in out_rows:
        p, o = r["p"].value, r["o"]
        if p == rdf_type:
            continue
        if isinstance(o, ox.NamedNode):
            grouped[p].append(Value(names.get(o.value, short(o.value)), o.value))
        elif isinstance(o, ox.Literal):
            lang_tag = _lang_of(o)
            if lang_tag and p in ("https://schema.org/name", "http://www.w3.org/2004/02/skos/core#prefLabel",
                                  "http://www.w3.org/2004/02/skos/core#altLabel") and lang_tag != lang:
                grouped[p].append(Value(o.value, None, lang_tag))
            else:
                grouped[p].append(Value(o.value, None, lang_tag or None))
    view.outgoing = sorted(((names.get(p, short(p)), sorted(set(v), key=lambda x: x.text)) for p, v in grouped.items()),
                           key=lambda kv: kv[0].casefold())
    incoming: dict[str, set[str]] = defaultdict(set)
    for r in in_rows:
        if r["p"].value not in _HIDDEN_IN:
            incoming[r["p"].value].add(r["s"].value)
    view.incoming = sorted(((names.get(p, short(p)), [Value(names.get(s, short(s)), s) for s in sorted(subjects)[:30]],
                            len(subjects)) for p, subjects in incoming.items()), key=lambda kv: kv[0].casefold())

    _evidence(snapshot, view, evidence_limit)
    if view.is_post:
        for row in run(snapshot, f"""
                SELECT DISTINCT ?t ?h ?l WHERE {{
                  {{ {node} schema:workTranslation|schema:translationOfWork ?t }}
                  UNION {{ ?t schema:workTranslation|schema:translationOfWork {node} }}
                  FILTER(?t != {node})
                  OPTIONAL {{ ?t schema:headline ?h }} OPTIONAL {{ ?t schema:inLanguage ?l }}
                }} LIMIT 20""").result:
            view.translations.append(Value(row["h"].value if row["h"] else short(row["t"].value), row["t"].value,
                                           row["l"].value if row["l"] else None))
    else:
        related = [(r["other"].value, int(r["n"].value)) for r in run(snapshot, f"""
            SELECT ?other (COUNT(?article) AS ?n) WHERE {{
              ?article a schema:CreativeWork ; schema:mentions {node}, ?other . FILTER(?other != {node})
            }} GROUP BY ?other ORDER BY DESC(?n) ?other LIMIT 12""").result]
        rel_names = labels(snapshot, {o for o, _n in related}, lang)
        view.related = [(Value(rel_names.get(o, short(o)), o), n) for o, n in related]
    return view


def _evidence(snapshot: ox.Store, view: EntityView, limit: int) -> None:
    """Which posts mention the entity (articles and language versions alike), each with a
    sentence of that post that says something about it when one of its claims does."""
    node = f"<{view.iri}>"
    count = next(iter(run(snapshot, f"""
        SELECT (COUNT(?post) AS ?n) WHERE {{ ?post schema:mentions {node} }}""").result))
    view.evidence_posts = int(count["n"].value)
    articles = next(iter(run(snapshot, f"""
        SELECT (COUNT(?a) AS ?n) WHERE {{ ?a a schema:CreativeWork ; schema:mentions {node} }}""").result))
    view.evidence_articles = int(articles["n"].value)
    rows = list(run(snapshot, f"""
        SELECT ?post ?headline ?lang ?sentence WHERE {{
          {{ SELECT ?post WHERE {{ ?post schema:mentions {node} }} ORDER BY ?post LIMIT {limit} }}
          OPTIONAL {{ ?post schema:headline ?headline }} OPTIONAL {{ ?post schema:inLanguage ?lang }}
          OPTIONAL {{ SELECT ?post (SAMPLE(?s) AS ?sentence) WHERE {{
            GRAPH ?post {{ ?c rdf:subject|rdf:object {node} ; pg:sentence ?s }} }} GROUP BY ?post }}
        }} ORDER BY ?post""").result)
    name = view.label
    for row in rows:
        sentence = row["sentence"].value if row["sentence"] else ""
        before, mention, after = split_mention(sentence, name, "", "")
        if not sentence:
            before, mention, after = "", name, ""
        elif not mention:
            before, mention, after = sentence, "", ""
        view.evidence.append(Evidence(row["post"].value, row["headline"].value if row["headline"] else row["post"].value,
                                      row["lang"].value if row["lang"] else "", before, mention, after))
    view.conflicts = conflicts(snapshot, view.iri)


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
    rows = run(snapshot, f"""
        SELECT ?e ?p ?kept ?said (GROUP_CONCAT(STR(?post); separator=" ") AS ?posts) (SAMPLE(?s) AS ?sentence)
        WHERE {{
          VALUES ?p {{ schema:startDate schema:endDate schema:location }}
          GRAPH ?post {{ {subject} ?p ?said .
                         OPTIONAL {{ ?c rdf:subject {subject} ; rdf:predicate ?p ; rdf:object ?said ; pg:sentence ?s }} }}
          {subject} ?p ?kept . FILTER(?kept != ?said)
          {f"BIND({subject} AS ?e)" if iri else ""}
        }} GROUP BY ?e ?p ?kept ?said ORDER BY ?e ?p ?said LIMIT {limit}""").result
    return [Conflict(r["e"].value, r["p"].value, r["kept"].value, r["said"].value,
                     tuple(sorted(r["posts"].value.split())), r["sentence"].value if r["sentence"] else "")
            for r in rows]
