"""Editions of recurring events: the one place that finds which edition of a series is meant
(the vocabulary's, or one minted with `graph.ids.edition_iri`) and records a minted edition in
the page's `Extraction`. The extractor asks it for what the text names ("KubeCon Europe 2025"),
the relation finder for what a relation implies ("FluxCon … co-located with KubeCon Europe 2026").
"""

from __future__ import annotations

import re

from graph.extract.cues import ACRONYM_ASIDE
from graph.extract.matcher import key_of
from graph.extract.patterns import REGIONS
from graph.extract.places import Gazetteer
from graph.extract.vocabulary import Entry, Vocabulary
from graph.ids import edition_iri, slugify
from graph.model import Extraction, NewEntity


class Editions:
    """Series and their editions in one build's vocabulary (and gazetteer, for regional series)."""

    def __init__(self, vocabulary: Vocabulary, gazetteer: Gazetteer) -> None:
        self.vocabulary = vocabulary
        self.gazetteer = gazetteer
        self._regional: set[str] | None = None  # series with regional series of their own (edition_of)
        self._narrower: dict[str, list[Entry]] | None = None  # series -> its regional series
        self._keys: dict[tuple[str, str], frozenset[str]] = {}  # see _keys_of

    def entity(self, iri: str) -> Entry | None:
        return self.vocabulary.entries.get(iri)

    # -- what an IRI is -------------------------------------------------------------------------
    def is_edition(self, iri: str, ext: Extraction) -> bool:
        if iri in ext.entities:
            return ext.entities[iri].kind == "event" and ext.entities[iri].year is not None
        entry = self.entity(iri)
        return entry is not None and entry.kind == "event" and not entry.is_series

    def series_of(self, iri: str, ext: Extraction) -> str | None:
        if iri in ext.entities:
            return ext.entities[iri].series
        entry = self.entity(iri)
        return entry.series if entry is not None and not entry.is_series else None

    def year_of(self, iri: str, ext: Extraction) -> int | None:
        if iri in ext.entities:
            return ext.entities[iri].year
        entry = self.entity(iri)
        return entry.year if entry is not None else None

    def series_chain(self, series: str) -> list[str]:
        """The series and the broader ones it belongs to (KubeCon Europe, KubeCon)."""
        chain, seen = [], set()
        while series and series not in seen:
            seen.add(series)
            chain.append(series)
            entry = self.entity(series)
            series = entry.series if entry is not None else None
        return chain

    def narrower_series(self, iri: str) -> list[Entry]:
        if self._narrower is None:
            self._narrower = {}
            for e in self.vocabulary.entries.values():
                if e.is_series and e.series:
                    self._narrower.setdefault(e.series, []).append(e)
        return self._narrower.get(iri, [])

    def earlier_edition_known(self, series: str, edition: str, ext: Extraction) -> bool:
        """Whether `series` had an edition before `edition`: the vocabulary knows an earlier one, or
        `edition` belongs to a narrower (regional) series of it."""
        if self.series_of(edition, ext) != series:
            return True  # "the inaugural KubeCon" and a North America edition: the first of all KubeCons
        year = self.year_of(edition, ext)
        if year is None:
            return False
        return any(y < year for s in self.series_chain(series) for y in self.vocabulary.editions_of(s)) or any(
            e.series and e.series in self.series_chain(series) and e.is_series and
            any(y < year for y in self.vocabulary.editions_of(e.iri)) for e in self.vocabulary.entries.values()
            if e.series == series)

    # -- regions --------------------------------------------------------------------------------
    def regional_series(self, entry: Entry, after: str) -> Entry:
        """"Kubernetes Community Days in Guadalajara, Mexico": the regional series of `entry` that
        the words `after` its name place it in; `entry` itself when they name none."""
        narrower = self.narrower_series(entry.iri)
        if not narrower:
            return entry
        words = re.match(rf"^[ \t]*{ACRONYM_ASIDE}(?:in|en|em|de)?[ \t]*((?:[A-ZÀ-Ý][\w'-]*(?:,?[ \t]+)?){{1,4}})",
                         after)
        if not words:
            return entry
        names = {key_of(w) for w in re.split(r"[,\s]+", words.group(1)) if w}
        for place_name in list(names):
            for place in self.gazetteer.lookup(place_name)[:1]:
                for ref in (place.country, place.admin):
                    if ref in self.gazetteer.places:
                        names |= self._keys_of("place", ref)
        for candidate in narrower:
            own = self._keys_of("entry", candidate.iri) - self._keys_of("entry", entry.iri)
            if own & names:
                return candidate
        return entry

    def _keys_of(self, kind: str, ref: str) -> frozenset[str]:
        """The words of a vocabulary entry's labels, or the names of a gazetteer place, as keys:
        asked for every mention of a series, so made once."""
        if (kind, ref) not in self._keys:
            if kind == "place":
                keys = {key_of(n) for _l, n in self.gazetteer.places[ref].names}
            else:
                keys = {key_of(w) for label, _ in self.vocabulary.entries[ref].labels for w in label.split()}
            self._keys[kind, ref] = frozenset(keys)
        return self._keys[kind, ref]

    def region_of(self, edition: str) -> str | None:
        """The region an edition belongs to: from its IRI ("…/europe-2026") or its series' name
        ("KubeCon + CloudNativeCon Europe")."""
        region = next((r for r in set(REGIONS.values()) if f"/{slugify(r)}-" in edition), None)
        entry = self.entity(edition)
        if region is None and entry is not None and entry.series:
            parent = self.entity(entry.series)
            names = " ".join(label for label, _ in parent.labels) if parent else ""
            region = next((r for w, r in REGIONS.items() if re.search(rf"\b{re.escape(w)}\b", names)), None)
        return region

    def same_region(self, series: Entry, other: str) -> Entry:
        """"FluxCon Europe 2026 … co-located with KubeCon": the KubeCon of the same region (KubeCon +
        CloudNativeCon Europe), when `series` has regional series and `other` says its region."""
        narrower = self.narrower_series(series.iri)
        if not narrower:
            return series
        region = self.region_of(other)
        if region is None:
            return series
        spelled = [w for w, r in REGIONS.items() if r == region]
        found = [e for e in narrower if any(re.search(rf"\b{re.escape(w)}\b", label) for label, _ in e.labels
                                            for w in spelled)]
        return found[0] if len(found) == 1 else series

    # -- finding and minting editions -----------------------------------------------------------
    def edition_of(self, ext: Extraction, series: Entry, year: int, region: str | None = None) -> str | None:
        """The edition of the vocabulary's `series` in `year`: the vocabulary's, else minted (series +
        year). None for a series with regional series of its own (KubeCon: Europe, North America,
        China …): "KubeCon 2025" does not say which one, and a "global" edition would be an event
        that never took place."""
        known = self.vocabulary.editions_of(series.iri).get(year)
        if known is not None:
            ext.kinds.setdefault(series.iri, "event")
            return known.iri
        if self._regional is None:
            self._regional = {e.series for e in self.vocabulary.entries.values() if e.is_series and e.series}
        if series.iri in self._regional:
            return None
        # held with a regional edition ("GitOpsCon" on a day of KubeCon Europe 2022): that region's
        iri, _new = self._mint(ext, series.iri, series.names, year, region, 0.9, "edition")
        return iri

    def edition_in(self, ext: Extraction, iri: str, year: int, other: str | None = None) -> str:
        """The edition of series `iri` (the vocabulary's, or one the post named) held in `year` (of
        the region of `other`, an edition it was held with, when the series has regional ones); `iri`
        itself when there is no such thing to name. The post refers to it: it gets its name and series."""
        entry = self.entity(iri)
        if entry is not None:
            regional = self.same_region(entry, other) if other else entry
            if regional is not entry:
                edition = self.edition_of(ext, regional, year)
            else:
                edition = self.edition_of(ext, entry, year, self.region_of(other) if other else None)
            if edition is None:
                return iri
            ext.kinds.setdefault(edition, "event")
            return edition
        series = ext.entities.get(iri)
        if series is None:
            return iri
        region = self.region_of(other) if other else None
        edition, new = self._mint(ext, iri, series.names, year, region, series.confidence, series.method)
        if new and "EventSeries" not in " ".join(series.types):
            series.types = ("https://schema.org/EventSeries",)
        ext.kinds[edition] = "event"
        return edition

    def edition_like(self, iri: str, other: str, ext: Extraction) -> str:
        """A series co-located with an edition of year Y means that series' edition of year Y."""
        if self.is_edition(iri, ext):
            return iri
        year = self.year_of(other, ext)
        if year is None:
            return iri
        return self.edition_in(ext, iri, year, other)

    @staticmethod
    def _mint(ext: Extraction, series: str, names: dict[str, str], year: int, region: str | None,
              confidence: float, method: str) -> tuple[str, bool]:
        """The IRI of `series`' edition of `year` (and `region`), defined in `ext` unless it is there
        already; and whether it was new."""
        iri = edition_iri(series, year, region)
        if iri in ext.entities:
            return iri, False
        ext.entities[iri] = NewEntity(iri, "event", ("https://schema.org/Event",),
                                      {lang: f"{name} {region + ' ' if region else ''}{year}"
                                       for lang, name in names.items()},
                                      series=series, year=year, confidence=confidence, method=method)
        return iri, True
