"""Pages become quads: a pure function of a `Page` and the build context.

Data model version 2 (DESIGN.md): what a page *is* (headline, dates, language, authors, tags,
translations, the article it is a version of) is knowledge and goes into the default graph; how
we know it (PROV-O: file, content hash, commit, extractor version, fingerprint) goes into the
page's own named graph, named by its permalink. Facts shared by many pages — the web site, the
taxonomy concept schemes and their concepts, authors without a profile page, articles — are made
once per build by `site_quads` and `article_quads`, also into the default graph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin

import pyoxigraph as ox

from graph.ids import Minter
from graph.model import DateValue, Page, Translation
from graph.namespaces import (
    RDF_TYPE,
    X_DCTERMS,
    X_PG,
    X_PROV,
    X_SCHEMA,
    X_SKOS,
    X_XSD,
)

#: Bumped whenever mapping or extraction changes what a page yields; part of every page's fingerprint.
EXTRACTOR_VERSION = "0.3.1"  # themes only where announced, featured projects from reports: older graphs are rebuilt

#: Taxonomies with a schema.org property of their own; any other taxonomy links with dcterms:subject.
TAXONOMY_PROPERTIES = {
    "tags": X_SCHEMA.keywords,
    "categories": X_SCHEMA.articleSection,
}
AUTHOR_TAXONOMIES = ("authors", "author")

# Words that say an author profile describes a group rather than a person (en, es, pt).
_ORG_WORDS = re.compile(
    r"\b(user group|group|community|foundation|organi[sz]ation|team|company|meetup|chapter|"
    r"association|project|inc|ltd|llc|grupo|comunidad|comunidade|fundaci[oó]n|funda[cç][aã]o|"
    r"equipo|equipe|asociaci[oó]n|associa[cç][aã]o|empresa)\b",
    re.IGNORECASE,
)
_SOCIAL_URLS = {
    "github": "https://github.com/{}",
    "gitlab": "https://gitlab.com/{}",
    "twitter": "https://twitter.com/{}",
    "x": "https://x.com/{}",
    "linkedin": "https://www.linkedin.com/in/{}",
    "mastodon": "{}",
    "youtube": "https://www.youtube.com/channel/{}",
    "facebook": "https://www.facebook.com/{}",
    "instagram": "https://www.instagram.com/{}",
    "website": "{}",
    "trello": "{}",
}


@dataclass(frozen=True)
class MappingContext:
    """What mapping needs beyond the page itself; identical for every page of one build."""

    minter: Minter
    base_url: str
    default_language: str
    site_title: str | None = None
    git_commit: str | None = None
    extractor_version: str = EXTRACTOR_VERSION
    taxonomies: dict[str, str] = field(default_factory=dict)  # singular -> plural


def literal_date(value: DateValue) -> ox.Literal:
    """xsd:dateTime keeping the timezone as written, or xsd:date for date-only values."""
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=X_XSD.dateTime)
    return ox.Literal(value.isoformat(), datatype=X_XSD.date)


def lang_literal(text: str, lang: str) -> ox.Literal:
    return ox.Literal(text, language=lang) if lang else ox.Literal(text)


def absolute_url(base_url: str, ref: str) -> str | None:
    """A front matter link ("/images/x.png", "images/x.png", "https://…") as an absolute URL."""
    ref = ref.strip()
    if not ref:
        return None
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", ref):
        return ref if ref.startswith(("http://", "https://")) else None
    if not ref.startswith("/"):
        ref = "/" + ref
    return urljoin(base_url, ref.lstrip("/")) if base_url.endswith("/") else urljoin(base_url + "/", ref.lstrip("/"))


def page_fingerprint(page: Page, config_fingerprint: str, related: Iterable[str] = (),
                     version: str = EXTRACTOR_VERSION) -> str:
    """Everything a page's graph depends on: its bytes, the site config, `related` (the permalinks
    of its translations, the author it profiles), the code.

    Two builds that compute the same fingerprint for a page produce the same graph for it, so the
    second build can skip the page entirely.
    """
    h = hashlib.sha256()
    # the effective front matter too: a parent's `cascade` can change a page whose file did not
    effective = json.dumps(page.front_matter, sort_keys=True, default=str)
    for part in (page.content_hash, config_fingerprint, version, page.permalink, page.lang, page.kind,
                 *sorted(related), str(page.date), str(page.draft), effective):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def page_class(page: Page) -> ox.NamedNode:
    if page.kind == "page" and page.date is not None:
        return X_SCHEMA.BlogPosting
    if page.term and page.term[0] in AUTHOR_TAXONOMIES:
        return X_SCHEMA.ProfilePage
    if page.kind in ("section", "taxonomy", "term", "home"):
        return X_SCHEMA.CollectionPage
    return X_SCHEMA.WebPage


def author_ids(page: Page) -> list[str]:
    ids: list[str] = []
    for key in AUTHOR_TAXONOMIES:
        ids.extend(page.taxonomies.get(key, []))
    if not ids:
        # Hugo themes also read a plain `author:` string or list when it is not a taxonomy.
        raw = page.front_matter.get("author")
        if isinstance(raw, str):
            ids.append(raw)
        elif isinstance(raw, list):
            ids.extend(str(a) for a in raw if a)
    return [a for a in dict.fromkeys(a.strip() for a in ids) if a]


def author_class(profile: Page | None) -> ox.NamedNode:
    """Person unless the profile says (explicitly, or in its title or description) it is a group."""
    if profile is None:
        return X_SCHEMA.Person
    explicit = str(profile.front_matter.get("authorType") or profile.front_matter.get("type") or "").lower()
    if explicit in ("organization", "organisation", "org"):
        return X_SCHEMA.Organization
    if explicit == "person":
        return X_SCHEMA.Person
    text = f"{profile.title} {profile.description or ''}"
    return X_SCHEMA.Organization if _ORG_WORDS.search(text) else X_SCHEMA.Person


class _Quads:
    """Collects quads of one graph (a named graph, or the default graph)."""

    def __init__(self, graph: ox.NamedNode | ox.DefaultGraph) -> None:
        self.graph = graph
        self.items: list[ox.Quad] = []

    def add(self, s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal | None) -> None:
        if o is not None:
            self.items.append(ox.Quad(s, p, o, self.graph))


def article_iri(page: Page, minter: Minter) -> ox.NamedNode | None:
    """The article a dated post is a language version of (Hugo's translation grouping), or None."""
    if page_class(page) != X_SCHEMA.BlogPosting:
        return None
    key = (page.translation_key or page.rel_path).strip("/")
    return minter.iri("article", *[part for part in key.split("/") if part])


def page_quads(page: Page, ctx: MappingContext, *, fingerprint: str, build_time: dt.datetime,
               translations: Sequence[Translation] = (), profile_of: str | None = None
               ) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """What one page is (default graph) and where its graph came from (the page's named graph).

    `translations` are the page's other language versions; `profile_of` is the author id when
    the page is that author's profile (`authors/<id>/_index.md`).
    """
    node = ox.NamedNode(page.permalink)
    q = _Quads(ox.DefaultGraph())
    m = ctx.minter
    q.add(node, RDF_TYPE, page_class(page))
    q.add(node, X_SCHEMA.headline if page_class(page) == X_SCHEMA.BlogPosting else X_SCHEMA.name,
          lang_literal(page.title, page.lang) if page.title else None)
    q.add(node, X_SCHEMA.url, node)
    q.add(node, X_SCHEMA.inLanguage, ox.Literal(page.lang))
    q.add(node, X_SCHEMA.isPartOf, m.website(ctx.base_url))
    published = page.publish_date or page.date
    if published is not None:
        q.add(node, X_SCHEMA.datePublished, literal_date(published))
    if page.date is not None and page.publish_date is not None:
        q.add(node, X_SCHEMA.dateCreated, literal_date(page.date))
    if page.lastmod is not None:
        q.add(node, X_SCHEMA.dateModified, literal_date(page.lastmod))
    if page.expiry_date is not None:
        q.add(node, X_SCHEMA.expires, literal_date(page.expiry_date))
    if page.draft:
        q.add(node, X_SCHEMA.creativeWorkStatus, ox.Literal("draft"))
    if page.description:
        q.add(node, X_SCHEMA.description, lang_literal(page.description, page.lang))
    if page.section:
        q.add(node, X_PG.section, ox.Literal(page.section))
    words = len(page.body.split())
    if words:
        q.add(node, X_SCHEMA.wordCount, ox.Literal(str(words), datatype=X_XSD.integer))
    for alias in page.aliases:
        q.add(node, X_SCHEMA.sameAs, ox.NamedNode(alias))
    canonical = page.front_matter.get("canonicalURL") or page.front_matter.get("canonical")
    if isinstance(canonical, str) and (url := absolute_url(ctx.base_url, canonical)):
        q.add(node, X_PG.canonicalURL, ox.NamedNode(url))
    for image in page.images:
        if isinstance(image, str) and (url := absolute_url(ctx.base_url, image)):
            q.add(node, X_SCHEMA.image, ox.NamedNode(url))
    for resource in page.resources:
        name = resource.rsplit("/", 1)[-1]
        q.add(node, X_SCHEMA.associatedMedia, ox.NamedNode(page.permalink + quote(name, safe="-._~")))
    for author in author_ids(page):
        q.add(node, X_SCHEMA.author, m.author(author))
    for taxonomy, terms in page.taxonomies.items():
        if taxonomy in AUTHOR_TAXONOMIES:
            continue
        prop = TAXONOMY_PROPERTIES.get(taxonomy, X_DCTERMS.subject)
        for term in terms:
            q.add(node, prop, m.concept(taxonomy, term))
    for other in translations:
        q.add(node, X_SCHEMA.workTranslation, ox.NamedNode(other.permalink))
        if other.is_original:
            q.add(node, X_SCHEMA.translationOfWork, ox.NamedNode(other.permalink))
    article = article_iri(page, m)
    if article is not None:
        q.add(node, X_SCHEMA.exampleOfWork, article)
    if profile_of is not None:
        q.add(node, X_SCHEMA.mainEntity, ctx.minter.author(profile_of))
    own = _Quads(node)
    _provenance(own, node, page, ctx, fingerprint, build_time)
    return q.items, own.items


def article_quads(versions: Sequence[Page], minter: Minter) -> list[ox.Quad]:
    """An article (`schema:CreativeWork`) and its language versions, in the default graph.

    Its name is each version's headline in that version's language."""
    q = _Quads(ox.DefaultGraph())
    article = article_iri(versions[0], minter) if versions else None
    if article is None:
        return []
    q.add(article, RDF_TYPE, X_SCHEMA.CreativeWork)
    for page in sorted(versions, key=lambda p: (p.lang, p.permalink)):
        q.add(article, X_SCHEMA.workExample, ox.NamedNode(page.permalink))
        if page.title:
            q.add(article, X_SCHEMA.name, lang_literal(page.title, page.lang))
    return q.items


def _author_profile(q: _Quads, node: ox.NamedNode, page: Page, author_id: str, ctx: MappingContext) -> None:
    author = ctx.minter.author(author_id)
    q.add(author, RDF_TYPE, author_class(page))
    q.add(author, X_SCHEMA.identifier, ox.Literal(author_id))
    if page.title:
        q.add(author, X_SCHEMA.name, ox.Literal(page.title))
    if page.description:
        q.add(author, X_SCHEMA.description, lang_literal(page.description, page.lang))
    q.add(author, X_SCHEMA.url, node)
    avatar = page.front_matter.get("avatar")
    if isinstance(avatar, str) and (url := absolute_url(ctx.base_url, avatar)):
        q.add(author, X_SCHEMA.image, ox.NamedNode(url))
    social = page.front_matter.get("social")
    if isinstance(social, dict):
        for key, value in social.items():
            if not isinstance(value, str) or not value.strip():
                continue
            value = value.strip()
            if key == "email":
                q.add(author, X_SCHEMA.email, ox.Literal(value))
                continue
            pattern = _SOCIAL_URLS.get(str(key).lower())
            url = value if value.startswith(("http://", "https://")) else (
                pattern.format(value) if pattern and pattern != "{}" else None)
            if url and url.startswith(("http://", "https://")):
                q.add(author, X_SCHEMA.sameAs, ox.NamedNode(url))


def _provenance(q: _Quads, node: ox.NamedNode, page: Page, ctx: MappingContext, fingerprint: str,
                build_time: dt.datetime) -> None:
    m = ctx.minter
    source = m.source(page.rel_path)
    activity = m.extraction(fingerprint)
    q.add(node, X_PROV.wasDerivedFrom, source)
    q.add(node, X_PROV.wasGeneratedBy, activity)
    q.add(node, X_PG.fingerprint, ox.Literal(fingerprint))
    q.add(source, RDF_TYPE, X_PROV.Entity)
    q.add(source, X_PG.sourcePath, ox.Literal(page.rel_path))
    q.add(source, X_PG.contentHash, ox.Literal(page.content_hash))
    if ctx.git_commit:
        q.add(source, X_PG.gitCommit, ox.Literal(ctx.git_commit))
    q.add(activity, RDF_TYPE, X_PROV.Activity)
    q.add(activity, X_PROV.used, source)
    q.add(activity, X_PROV.endedAtTime, ox.Literal(build_time.isoformat(), datatype=X_XSD.dateTime))
    q.add(activity, X_PROV.wasAssociatedWith, m.agent(ctx.extractor_version))
    q.add(activity, X_PG.extractorVersion, ox.Literal(ctx.extractor_version))


def site_quads(pages: Sequence[Page], ctx: MappingContext, *, profiles: dict[str, list[Page]],
               term_entity: Callable[[str], tuple[str, str] | None] | None = None) -> list[ox.Quad]:
    """Facts of the site as a whole, in the default graph: web site, taxonomy schemes and
    concepts, authors (from their profile page when they have one).

    `profiles` maps an author id to its profile pages (one per language).

    `term_entity(term)` gives the (IRI, kind) of the known entity a tag or category names, if any:
    the concept is then linked to it (`skos:exactMatch` a theme, `schema:about` anything else).
    """
    m = ctx.minter
    q = _Quads(ox.DefaultGraph())
    site = m.website(ctx.base_url)
    q.add(site, RDF_TYPE, X_SCHEMA.WebSite)
    q.add(site, X_SCHEMA.url, site)
    if ctx.site_title:
        q.add(site, X_SCHEMA.name, ox.Literal(ctx.site_title))
    q.add(site, X_SCHEMA.inLanguage, ox.Literal(ctx.default_language))
    plural_names = {p: s for s, p in ctx.taxonomies.items()}
    # Terms that differ only in case or accents ("Events", "events") are one concept, as in
    # Hugo; per language the most used spelling is the prefLabel and the others are altLabels.
    spellings: dict[ox.NamedNode, dict[str, Counter[str]]] = {}
    concept_taxonomy: dict[ox.NamedNode, str] = {}
    authors: dict[str, None] = {}
    minted: dict[tuple[str, str], ox.NamedNode] = {}  # the same few hundred terms recur on every page
    for page in pages:
        for author in author_ids(page):
            authors.setdefault(author)
        for taxonomy, terms in page.taxonomies.items():
            if taxonomy in AUTHOR_TAXONOMIES:
                continue
            for term in terms:
                concept = minted.get((taxonomy, term))
                if concept is None:
                    concept = minted[taxonomy, term] = m.concept(taxonomy, term)
                concept_taxonomy[concept] = taxonomy
                spellings.setdefault(concept, {}).setdefault(page.lang, Counter())[term] += 1
    for taxonomy in sorted(set(concept_taxonomy.values())):
        scheme = m.scheme(taxonomy)
        q.add(scheme, RDF_TYPE, X_SKOS.ConceptScheme)
        q.add(scheme, X_SKOS.prefLabel, ox.Literal(plural_names.get(taxonomy, taxonomy), language="en"))
    for concept, by_lang in spellings.items():
        q.add(concept, RDF_TYPE, X_SKOS.Concept)
        q.add(concept, X_SKOS.inScheme, m.scheme(concept_taxonomy[concept]))
        for lang, counts in sorted(by_lang.items()):
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            q.add(concept, X_SKOS.prefLabel, ox.Literal(ranked[0][0], language=lang))
            for other, _n in ranked[1:]:
                q.add(concept, X_SKOS.altLabel, ox.Literal(other, language=lang))
        if term_entity is not None:
            term = next(iter(next(iter(by_lang.values()))))
            linked = term_entity(term)
            if linked is not None:
                q.add(concept, X_SKOS.exactMatch if linked[1] == "topic" else X_SCHEMA.about, ox.NamedNode(linked[0]))
    for author_id, versions in sorted(profiles.items()):
        for profile in sorted(versions, key=lambda p: p.permalink):
            _author_profile(q, ox.NamedNode(profile.permalink), profile, author_id, ctx)
    for author in authors:
        if author not in profiles:
            node = m.author(author)
            q.add(node, RDF_TYPE, X_SCHEMA.Person)
            q.add(node, X_SCHEMA.identifier, ox.Literal(author))
            q.add(node, X_SCHEMA.name, ox.Literal(author))
    return q.items
