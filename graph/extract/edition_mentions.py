"""Which edition a mention of an event series means: an explicit year or edition number after the
name ("KubeCon Europe 2025", "SCaLE 22x"), "the first", the city the vocabulary holds an edition in
("KubeCon North America in Salt Lake City"), "this year" / "last year" / the tense with the post's
date, or the post's title; and, once the post named an edition, the later mentions of its series
without a year (discourse). The editions themselves come from `graph.extract.editions`."""

from __future__ import annotations

import re
from typing import NamedTuple

from graph.extract.cues import ACRONYM_ASIDE, LOCATION_NAME, THIS_YEAR
from graph.extract.editions import Editions
from graph.extract.extraction import CONFIDENCE
from graph.extract.matcher import Match, key_of
from graph.extract.patterns import REGION_ADJECTIVES, REGIONS
from graph.extract.text import Prose
from graph.extract.vocabulary import Entry
from graph.ids import slugify
from graph.model import Extraction, Mention

_YEAR_AFTER = re.compile(
    rf"^[ \t]*{ACRONYM_ASIDE}(?:(?:in|en|em)[ \t]+(?=[A-ZÀ-Ý]))?"
    rf"(?:(?:[A-ZÀ-Ý][\w'-]*|de|del|do|da)[ \t]+){{0,2}}?((?:19|20)\d{{2}})\b")
_EDITION_AFTER = re.compile(r"^[ \t]*(\d{1,3}[xX])\b")
_LAST_YEAR = re.compile(r"\b(last year|last year's|el año pasado|o ano passado|no ano passado)\b", re.I)
_NEXT_YEAR = re.compile(r"\b(next year|next year's|el próximo año|el año que viene|o próximo ano|no próximo ano)\b",
                        re.I)
# Tense that ties a single occurrence of an event to the time of the post ("KubeCon will be held in
# November", "se celebró", "aconteceu"): the edition of the post's year.
_DATED_TENSE = re.compile(
    r"\b(will (?:be )?(?:take place|held|happen|host|bring|gather|return|run)|is coming|upcoming|"
    r"took place|was held|were held|kicked off|wrapped up|se celebr(?:ó|ará|a)|se llevó a cabo|se llevará a cabo|"
    r"tendrá lugar|tuvo lugar|se realizar(?:á|on)|se realizó|aconteceu|acontecerá|foi realizad[oa]|será realizad[oa]|"
    r"ocorreu|ocorrerá)\b", re.I)
# "last year's Summit", "the previous KubeCon", "la edición anterior": another edition than the one the
# post names ("the first KCD Guadalajara" is often the very edition announced, so ordinals do not count)
_OTHER_EDITION_BEFORE = re.compile(
    r"\b(?:previous|past|earlier|last year'?s?|next year'?s?|anterior|pasad[ao]|passad[ao]|del año pasado|"
    r"do ano passado)\W+(?:[\w'-]+\W+)?$", re.I)
# "… in Salt Lake City", "… en Valencia", "… at Amsterdam": the city right after an event's name
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|enero|febrero|"
           "marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|"
           "maio|junho|julho|setembro|outubro|novembro|dezembro")
_PLACE_AFTER = re.compile(
    r"^\s*(?:\]\([ \t]*\)\s*)?(?:(?:[A-Z][\w+]*|\+)[ \t]+){0,4}?"
    rf"(?:(?:this|next|este|esta|próximo|en|em|in)\s+(?:{_MONTHS}|month|year|week)\s+)?"
    r"(?:in|en|em|at|à)[ \t]+((?:[A-ZÀ-Ý][\w'’-]*[ \t]?){1,3})")
_CITY_RIGHT_AFTER = re.compile(r"^[ \t]+((?:[A-ZÀ-Ý][\w'’-]*[ \t]?){1,3})")
# "the first KubeCon", "la primera edición de": the first edition of the series
_FIRST_BEFORE = re.compile(r"\b(?:first|1st|inaugural|original|primer|primera|primeira|primeiro)\W+(?:[\w'-]+\W+)?$",
                           re.I)
# "the first KubeCon", "the inaugural KubeCon" (not "the first hybrid KubeCon": the first of a kind)
_FIRST_RIGHT_BEFORE = re.compile(r"\b(?:first|1st|inaugural|original|primer|primera|primeira|primeiro)(?:[- ]ever)?"
                                 r"\s+$", re.I)


class SeriesMention(NamedTuple):
    """What a mention of a known series names: the series (a regional one, if the words after it
    say so), the edition if the text tells which (else None), where the mention ends, how it was
    told, and where the edition's city ends when its name includes it ("KubeCon London")."""

    series: Entry
    edition: str | None
    end: int
    method: str
    city_end: int | None = None


def edition_named(editions: Editions, out: Extraction, doc: Prose, m: Match, entry: Entry, year: int | None,
                  sent: tuple[int, int] | None, kind_block: str) -> SeriesMention:
    """Which edition the mention `m` of the series `entry` means, in a post of `year`."""
    # A broader series followed by a place ("Kubernetes Community Days in Guadalajara, Mexico")
    # means its regional series.
    entry = editions.regional_series(entry, doc.masked[m.end:m.end + 60])
    after = doc.masked[m.end:m.end + 60]
    number = _EDITION_AFTER.match(after)
    explicit = _YEAR_AFTER.match(after)
    if _FIRST_RIGHT_BEFORE.search(doc.masked[max(0, m.start - 40):m.start]) and not explicit:
        first = [e for e in editions.vocabulary.editions_of(entry.iri).values() if e.edition_label == "1"]
        if first:  # "the first KubeCon", "the inaugural KubeCon": the edition the vocabulary marks as the 1st
            return SeriesMention(entry, first[0].iri, m.end, "edition:first")
    if number:
        known = [e for e in editions.vocabulary.entries.values()
                 if e.series == entry.iri and (e.edition_label or "").lower() == number.group(1).lower()]
        if known:
            return SeriesMention(entry, known[0].iri, m.end + number.end(1), "edition:explicit")
    if explicit:
        edition = editions.edition_of(out, entry, int(explicit.group(1)))
        if edition is None:  # "KubeCon 2022 NA": the region after the year names the regional series
            regional = editions.regional_series(
                entry, doc.masked[m.end + explicit.end(1):m.end + explicit.end(1) + 40])
            if regional is not entry:
                edition = editions.edition_of(out, regional, int(explicit.group(1)))
        if edition is not None:
            return SeriesMention(entry, edition, m.end + explicit.end(1), "edition:explicit")
    if year is None:
        return SeriesMention(entry, None, m.end, "vocabulary")
    venue = edition_at_venue(editions, entry, doc.masked[m.end:m.end + 240], year)
    if venue is not None:  # "KubeCon London": the city is part of the name, and a place
        return SeriesMention(entry, venue[0], m.end, "edition:venue",
                             m.end + venue[1][1] if venue[1] is not None else None)
    sentence_text = doc.masked[sent[0]:sent[1]] if sent else ""
    edition, method = None, "vocabulary"
    if THIS_YEAR.search(sentence_text):
        edition, method = editions.edition_of(out, entry, year), "edition:this-year"
    elif _LAST_YEAR.search(sentence_text):
        edition, method = editions.edition_of(out, entry, year - 1), "edition:this-year"
    elif _NEXT_YEAR.search(sentence_text):
        edition, method = editions.edition_of(out, entry, year + 1), "edition:this-year"
    elif _DATED_TENSE.search(sentence_text):
        edition, method = editions.edition_of(out, entry, year), "edition:tense"
    elif kind_block == "title":
        edition, method = editions.edition_of(out, entry, year), "edition:title"
    return SeriesMention(entry, edition, m.end, method)


def edition_at_venue(editions: Editions, series: Entry, after: str, year: int
                     ) -> tuple[str, tuple[int, int] | None] | None:
    """"KubeCon North America in Salt Lake City" in a post of 2024: the one edition of the series
    that the vocabulary places in that city, held the year before, of or after the post. With
    the city's span in `after` when the city is written right after the name ("KubeCon London")."""
    city = _PLACE_AFTER.match(after)
    direct = None
    if not city:
        city = _CITY_RIGHT_AFTER.match(after)
        if not city:
            return None
    named = key_of(city.group(1))
    found = []
    regional = [e.iri for e in editions.narrower_series(series.iri)]
    vocabulary = editions.vocabulary
    for edition_year, edition in [(y, e) for s in (series.iri, *regional) for y, e in vocabulary.editions_of(s).items()]:
        if abs(edition_year - year) > 1:
            continue
        venues = {key_of(t.object.value.split(",")[0]) for t in vocabulary.by_subject.get(edition.iri, ())
                  if t.predicate.value == LOCATION_NAME}  # "Salt Lake City, Utah": the city
        for v in venues:
            if named == v or named.startswith(v + " "):
                found.append(edition.iri)
                if city.re is _CITY_RIGHT_AFTER:
                    direct = (city.start(1), city.start(1) + len(v))
                break
    return (found[0], direct) if len(found) == 1 else None


def resolve_discourse(editions: Editions, out: Extraction, doc: Prose | None = None) -> None:
    """A series mentioned again without a year means the edition this post already named —
    unless the words before it say it is another one ("the inaugural KubeCon", "last year's")."""
    chosen: dict[str, str] = {}
    for m in out.mentions:
        if m.kind != "event":
            continue
        series = editions.series_of(m.iri, out)
        if series and m.iri != series:
            for s in editions.series_chain(series):
                chosen.setdefault(s, m.iri)
    # an edition of a broader series ("OpenInfraDays 2022") in a post about a regional one
    # ("OpenInfraDays Mexico 2022") is that regional edition
    narrower_edition: dict[tuple[str, int], str] = {}
    for m in out.mentions:
        series, year = editions.series_of(m.iri, out), editions.year_of(m.iri, out)
        if series and year:
            for broader in editions.series_chain(series)[1:]:
                narrower_edition.setdefault((broader, year), m.iri)
    for i, m in enumerate(out.mentions):
        series, year = editions.series_of(m.iri, out), editions.year_of(m.iri, out)
        target = narrower_edition.get((series, year)) if series and year else None
        if target and target != m.iri:
            out.mentions[i] = Mention(target, m.kind, m.start, m.end, CONFIDENCE["edition:discourse"],
                                      "edition:discourse", m.block, m.sentence)
            if m.iri in out.entities and not any(x.iri == m.iri for x in out.mentions):
                out.kinds.pop(m.iri, None)
    for i, m in enumerate(out.mentions):
        entry = editions.entity(m.iri)
        before = doc.masked[max(0, m.start - 40):m.start] if doc is not None else ""
        if _OTHER_EDITION_BEFORE.search(before):
            continue
        if entry is not None and entry.is_series and m.iri in chosen and _FIRST_BEFORE.search(before) \
                and editions.earlier_edition_known(m.iri, chosen[m.iri], out):
            continue  # "the inaugural KubeCon" when KubeCon 2019 is the post's: the series had earlier ones
        if entry is not None and entry.is_series and m.iri in chosen:
            out.mentions[i] = Mention(chosen[m.iri], m.kind, m.start, m.end, CONFIDENCE["edition:discourse"],
                                      "edition:discourse", m.block, m.sentence)


def resolve_pattern_series(out: Extraction, doc: Prose) -> None:
    """A series the patterns found ("FluxCon", "FluxCon Europe") means the one edition of it the
    post names (with the same region, if the text gives one)."""
    editions_of: dict[str, list[str]] = {}
    for iri, entity in out.entities.items():
        if entity.kind == "event" and entity.series and entity.year is not None:
            editions_of.setdefault(entity.series, []).append(iri)
    # "FluxCon 2025" in a post that names "FluxCon NA 2025": the one regional edition of that year
    same: dict[str, str] = {}
    for editions in editions_of.values():
        for plain in [e for e in editions if e.rsplit("/", 1)[-1].isdigit()]:
            y = plain.rsplit("/", 1)[-1]  # "…/north-america-2025", "…/2019-03" are more precise ones
            regional = [e for e in editions if e != plain and re.search(rf"(?:^|-){y}(?:-|$)", e.rsplit("/", 1)[-1])]
            if len(regional) == 1:
                same[plain] = regional[0]
    for i, m in enumerate(out.mentions):
        if m.iri in same:
            out.mentions[i] = Mention(same[m.iri], m.kind, m.start, m.end, m.confidence, m.method, m.block,
                                      m.sentence)
    for plain in same:
        out.entities.pop(plain, None)
        out.kinds.pop(plain, None)
        for editions in editions_of.values():
            if plain in editions:
                editions.remove(plain)
    for i, m in enumerate(out.mentions):
        if m.iri not in editions_of:
            continue
        after = re.match(r"[ \t]+([A-Z][\w]*(?:[ \t]+[A-Z][\w]*)?)", doc.masked[m.end:m.end + 30])
        region = next((REGIONS[w] for w in ((after.group(1), after.group(1).split()[0]) if after else ())
                       if w in REGIONS), None)
        before = re.search(r"((?:[A-Z][\w]*[ \t]+)?[A-Z][\w]*)[ \t]+$", doc.masked[max(0, m.start - 30):m.start])
        if region is None and before:  # "our first European Helm Summit"
            region = REGION_ADJECTIVES.get(before.group(1)) or REGION_ADJECTIVES.get(before.group(1).split()[-1])
        options = [e for e in editions_of[m.iri] if region is None or f"/{slugify(region)}-" in e]
        if len(options) == 1 and not _OTHER_EDITION_BEFORE.search(doc.masked[max(0, m.start - 40):m.start]):
            out.mentions[i] = Mention(options[0], m.kind, m.start, m.end, CONFIDENCE["edition:discourse"],
                                      "edition:discourse", m.block, m.sentence)
