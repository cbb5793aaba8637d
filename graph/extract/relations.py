"""Relations between the entities of a post, each with the sentence that supports it.

Run by `Extractor.extract` on the post's mentions, in this order: co-location of events
(graph.extract.colocation), where an edition takes place (graph.extract.locations), when
(graph.extract.dates), who organises it (graph.extract.organizers), and which themes and projects
it featured (graph.extract.featured). Every relation is a `Claim` (graph.extract.claims) with a span
of the source file, a method and a confidence; graph.map.mentions writes them as `pg:Claim`s next
to the statements themselves. A relation may name an edition the text did not write out ("FluxCon
… co-located with KubeCon Europe 2026"): graph.extract.editions finds or mints it and records it in
the extraction, as it does for the mentions; `Extractor.extract` returns the extraction only then.
"""

from __future__ import annotations

from graph.extract.claims import COLOCATED, END, FEATURES, LOCATION, ORGANIZER, START, THEME
from graph.extract.colocation import Colocation
from graph.extract.dates import MONTHS, Dates, parse_dates
from graph.extract.editions import Editions
from graph.extract.featured import Featured
from graph.extract.locations import Locations
from graph.extract.organizers import Organizers
from graph.extract.positions import ByStart
from graph.extract.vocabulary import Vocabulary
from graph.model import Claim, Extraction, Page

__all__ = ["COLOCATED", "END", "FEATURES", "LOCATION", "MONTHS", "ORGANIZER", "START", "THEME", "Claim",
           "RelationFinder", "parse_dates"]


class RelationFinder:
    """Finds the claims of one post, with the extractor's vocabulary and editions (its part of
    `Extractor.extract`)."""

    def __init__(self, editions: Editions, vocabulary: Vocabulary) -> None:
        self.editions = editions
        self.colocation = Colocation(self.editions, vocabulary)
        self.locations = Locations(vocabulary)
        self.dates = Dates(self.editions, vocabulary)
        self.organizers = Organizers(self.editions)
        self.featured = Featured(self.editions)

    def find(self, page: Page, ext: Extraction) -> list[Claim]:
        """The claims of the post whose mentions are `ext`; an edition a claim names that the text
        did not write out is added to `ext.entities`."""
        doc = ext.prose
        if doc is None:
            return []
        is_edition, series_of = self.editions.is_edition, self.editions.series_of
        claims: list[Claim] = []
        # by where they start: what a sentence names is found by bisection, not by walking them all
        events = ByStart(m for m in ext.mentions if m.kind == "event" and m.block != "front-matter")
        editions = ByStart(m for m in events if is_edition(m.iri, ext))
        places = ByStart(m for m in ext.mentions if m.kind == "place")
        orgs = ByStart(m for m in ext.mentions if m.kind == "organization" and m.block != "front-matter")
        year = page.date.year if page.date is not None else None
        main = [iri for iri in ext.about if is_edition(iri, ext)]
        colocated, days = self.colocation.find(doc, ext, events, main)
        claims += colocated
        located, unplaced = self.locations.find(doc, ext, editions, places, main, events)
        claims += located
        claims += self.locations.shared(claims)
        claims += self.dates.find(doc, ext, editions, main, year, page)
        claims += self.dates.of_days(ext, year, page, days)
        if not any(c.predicate == LOCATION and c.subject in main for c in claims):
            claims += self.locations.place_of_dated_main_event(claims, main, ext, unplaced)
        claims += self.organizers.find(doc, ext, events, orgs, main)
        claims += self.featured.find(doc, ext, events, main)
        # an event is not co-located with itself, nor with another edition of its own series
        claims = [c for c in claims if c.predicate != COLOCATED or (
            c.subject != c.object and {c.subject, series_of(c.subject, ext)}.isdisjoint(
                {c.object, series_of(c.object, ext)}))]
        unique: dict[tuple[str, str, str], Claim] = {}
        for c in claims:
            key = (c.subject, c.predicate, c.object)
            if key not in unique or c.confidence > unique[key].confidence:
                unique[key] = c
        return list(unique.values())
