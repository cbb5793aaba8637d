"""Names nobody listed: events, projects, organisations and venues the vocabulary does not hold,
found by how they are named (graph.extract.patterns: "… Summit 2025", "the X project", links to
repositories, "Venue: …"), by their acronym ("Cumbre de … (CCOSS)") and by the company they keep
(unknown names in a list of organisations). Each is minted under the entity base; an event with a
year is an edition (graph.ids.edition_iri) of a series minted beside it."""

from __future__ import annotations

import dataclasses
import re

from graph.extract.cues import THIS_YEAR
from graph.extract.extraction import Spans
from graph.extract.matcher import key_of
from graph.extract.patterns import (
    Candidate,
    Run,
    ends_with_event_head,
    find_affiliations,
    find_events,
    find_organizations,
    find_repository_links,
    find_venues,
)
from graph.extract.places import Gazetteer
from graph.extract.positions import ByStart
from graph.extract.text import Prose
from graph.ids import edition_iri, slugify
from graph.model import Extraction, Mention, NewEntity, Page

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_PLURAL_HEADS = {"Summits": "Summit", "Conferences": "Conference", "Meetups": "Meetup", "Hackathons": "Hackathon",
                 "Workshops": "Workshop", "Cumbres": "Cumbre", "Conferencias": "Conferencia"}


def _singular_head(name: str) -> str:
    """"two Helm Summits" and "the Helm Summit" are one series: mint from the singular head."""
    head, _, last = name.rpartition(" ")
    return f"{head} {_PLURAL_HEADS[last]}" if head and last in _PLURAL_HEADS else name


def _blocked(covered: Spans, start: int, end: int, allowed: list[tuple[int, int]] | tuple = ()) -> bool:
    """Whether an accepted mention covers part of [start, end), apart from the `allowed` spans."""
    for a, b in allowed:
        if b <= start or a >= end:
            continue
        if covered.overlaps(start, a):
            return True
        start = b
    return start < end and covered.overlaps(start, end)


def find_new_names(out: Extraction, doc: Prose, runs: dict[int, list[Run]], covered: Spans, page: Page,
                   gazetteer: Gazetteer, base: str) -> None:
    """Events, projects, organisations and venues named the way such things are named (see
    graph.extract.patterns) where no known name or place covers them, minted under `base`."""
    candidates: list[Candidate] = find_repository_links(page.text, page.body_offset)
    for index, block_runs in runs.items():
        block = doc.blocks[index]
        candidates += find_events(doc.masked, block_runs)
        candidates += find_organizations(doc.masked, block_runs, block.start, block.end)
        if block.kind in ("paragraph", "item", "quote", "table"):
            candidates += find_affiliations(doc.masked, block.start, block.end)
            candidates += find_venues(doc.masked, block.start, block.end)
    candidates += _list_members(out, doc, runs)
    year = page.date.year if page.date is not None else None
    body_text = key_of(" ".join(doc.masked[b.start:b.end] for b in doc.blocks
                                if b.kind not in ("title", "heading")))
    # an event named after a known project or organisation ("Helm Summit EU 2019", "Linkerd Day")
    named_after = {m.start: m.end for m in out.mentions if m.kind in ("project", "organization")}
    namers = ByStart(m for m in out.mentions if m.kind in ("project", "organization", "place"))
    unnamed = len(out.mentions) - len(namers)  # out.mentions only grows: the rest is added below
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        for m in out.mentions[len(namers) + unnamed:]:  # what the last candidate added
            if m.kind in ("project", "organization", "place"):
                namers.add(m)
            else:
                unnamed += 1
        rest = named_after.get(c.start, c.start) if c.kind == "event" else c.start
        # "San Francisco Linkerd Meetup": a place and a project inside an event's name
        inside = sorted((m.start, m.end) for m in namers.within(c.start, c.end) if m.end < c.end) \
            if (c.kind == "event" and ends_with_event_head(c.name)) or c.kind == "place" else []
        if rest >= c.end or _blocked(covered, rest, c.end, inside):  # not "Día de … Kubernetes"
            continue
        known = gazetteer.lookup(c.name)
        if known and c.kind not in ("event", "place"):
            continue
        if known and c.kind == "place":
            continue  # "Venue: Guadalajara": the gazetteer's place, found by the place layer
        block = doc.block_at(c.start)
        if block is not None and block.kind in ("title", "heading") and key_of(c.name) not in body_text:
            continue  # Title Case makes every word capitalised: a name must recur in the body
        covered.add(c.start, c.end)
        prefix = {"event": "event", "project": "project", "organization": "org", "place": "place/venue"}[c.kind]
        # A name defined with its acronym ("… de Open Source Software (CCOSS)") is minted from the
        # acronym, which stays the same when the name is translated.
        acronym = re.match(r"^[ \t]*\(([A-Z][A-Za-z0-9]{1,9})\)", doc.masked[c.end:c.end + 16])
        minted_from = acronym.group(1) if acronym else _singular_head(c.name) if c.kind == "event" else c.name
        base_iri = f"{base}{prefix}/{slugify(minted_from)}"
        types = {"event": ("https://schema.org/Event",),
                 "project": ("http://usefulinc.com/ns/doap#Project", "https://schema.org/SoftwareSourceCode"),
                 "organization": ("https://schema.org/Organization",),
                 "place": ("https://schema.org/Place",)}[c.kind]
        iri = base_iri
        confidence = 0.6
        if c.kind == "event" and c.month and not c.year and page.date is not None:
            # "the May Meetup" in a post of May: that year's (a month more than a season away says nothing)
            gap = (c.month - page.date.month) % 12
            if min(gap, 12 - gap) <= 3:
                c = dataclasses.replace(c, year=page.date.year + (1 if c.month < page.date.month - 6 else 0)
                                        - (1 if c.month > page.date.month + 6 else 0))
            else:
                c = dataclasses.replace(c, month=None)
        if c.kind == "event" and (c.year or (year and THIS_YEAR.search(_sentence_text(doc, c.start)))):
            series_iri = base_iri
            out.entities.setdefault(series_iri, NewEntity(series_iri, "event", ("https://schema.org/EventSeries",),
                                                          {page.lang: c.name}, confidence=confidence,
                                                          method=c.pattern))
            region = c.extra if c.year else None  # "FluxCon Europe 2026" is not "FluxCon NA 2026"
            iri = edition_iri(base_iri, c.year or year, region)
            label = f"{c.name} {region} {c.year}" if region else f"{c.name} {c.year or year}"
            if c.month:  # "March 2019 San Francisco Linkerd Meetup": one of a monthly series
                iri = edition_iri(base_iri, c.year, month=c.month)
                label = f"{c.name} {_MONTH_NAMES[c.month - 1]} {c.year}"
            out.entities.setdefault(iri, NewEntity(iri, "event", types, {page.lang: label},
                                                   series=series_iri, year=c.year or year,
                                                   confidence=confidence, method=c.pattern))
            out.kinds[series_iri] = "event"
        else:
            entity = out.entities.setdefault(iri, NewEntity(iri, c.kind, types, {}, confidence=confidence,
                                                            method=c.pattern, repository=c.extra))
            entity.names.setdefault(page.lang, c.name)
        out.kinds[iri] = c.kind
        sentence = doc.sentence_at(c.start)
        out.mentions.append(Mention(iri, c.kind, c.start, c.end, confidence, c.pattern,
                                    block.kind if block else "paragraph",
                                    (sentence.start, sentence.end) if sentence else None))
        _acronym(out, doc, covered, c, iri, confidence, page.lang)

def _acronym(out: Extraction, doc: Prose, covered: Spans, c: Candidate, iri: str,
             confidence: float, lang: str) -> None:
    """"Cumbre de Contribuidores de Open Source Software (CCOSS)": the acronym names it elsewhere."""
    m = re.match(r"^[ \t]*\(([A-Z][A-Za-z0-9]{1,9})\)", doc.masked[c.end:c.end + 16])
    if not m:
        return
    acronym = m.group(1)
    entity = out.entities.get(iri)
    if entity is not None:
        entity.aliases.add((acronym, lang))
    for hit in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", doc.masked):
        if covered.overlaps(hit.start(), hit.end()):
            continue
        covered.add(hit.start(), hit.end())
        block = doc.block_at(hit.start())
        sentence = doc.sentence_at(hit.start())
        out.mentions.append(Mention(iri, c.kind, hit.start(), hit.end(), confidence, "pattern:acronym",
                                    block.kind if block else "paragraph",
                                    (sentence.start, sentence.end) if sentence else None))

def _list_members(out: Extraction, doc: Prose, runs: dict[int, list[Run]]) -> list[Candidate]:
    """In an enumeration where most named items are organisations we know ("Akamai, AWS, Cast AI,
    CNCF, EPAM …"), the unknown capitalised items are organisations too."""
    known_kind = {(m.start, m.end): m.kind for m in out.mentions}
    found: list[Candidate] = []
    for sentence in doc.sentences:
        text = doc.masked[sentence.start:sentence.end]
        if text.count(",") < 3:
            continue
        items: list[tuple[int, int]] = []
        pos = sentence.start
        for part in re.split(r"(,|:|—|\band\b|\by\b|\be\b)", text):
            stripped = part.strip()
            if stripped and part not in (",", ":", "—", "and", "y", "e"):
                lead = len(part) - len(part.lstrip())
                items.append((pos + lead, pos + lead + len(stripped)))
            pos += len(part)
        kinds = [known_kind.get(span) for span in items]
        orgs = sum(k == "organization" for k in kinds)
        if orgs < 2 or orgs < sum(k is not None for k in kinds) / 2:
            continue
        for (start, end), kind in zip(items, kinds, strict=True):
            name = doc.masked[start:end].rstrip(".")
            words = name.split()
            if kind is None and 1 <= len(words) <= 3 and all(w[:1].isupper() or w[:1].isdigit() for w in words):
                found.append(Candidate(start, start + len(name), " ".join(words), "organization",
                                       "pattern:list-of-organizations"))
    return found

def _sentence_text(doc: Prose, offset: int) -> str:
    s = doc.sentence_at(offset)
    return doc.masked[s.start:s.end] if s else ""
