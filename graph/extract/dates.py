"""Dates of editions: "November 12 - 15, 2024", "del 12 al 15 de noviembre", "23 e 24 de fevereiro
de 2024", the year taken from the post when the text omits it; in a sentence that names the edition,
else (for a post about one event) the post's event, unless the date is of something else (a call
for papers, a session's time, a programme's day, a list of key dates). A schedule heading's date
("## Tuesday 17 May - GitOpsCon") is its day's event's."""

from __future__ import annotations

import datetime as dt
import re

from graph.extract.claims import END, START
from graph.extract.colocation import ScheduleDay
from graph.extract.cues import EVENT_ANAPHOR, SCHEDULE_DAY
from graph.extract.editions import Editions
from graph.extract.positions import ByStart
from graph.extract.text import Prose
from graph.extract.vocabulary import Vocabulary
from graph.model import Claim, Extraction, Mention, Page

# a time of day right after a date: a session or a meeting ("June 24 at 9 a.m. PT", "12 de marzo, 10:00")
_TIME_OF_DAY = re.compile(r"\W{0,3}(?:at|a las|às|as|from|de)?\s*\d{1,2}(?::\d\d)?\s*(?:a\.?\s?m\.?|p\.?\s?m\.?|h\b)|"
                          r"\W{0,3}(?:at|a las|às)?\s*\d{1,2}:\d\d", re.I)
# what a date in a post may be about other than the event itself
_NOT_THE_EVENTS_DATE = re.compile(
    r"\b(?:registration|register|tickets?|early[- ]bird|call for (?:papers|proposals|speakers|sponsors)|CFPs?|"
    r"deadline|submissions?|submit|nominations?|sponsors?hip|inscripci[oó]n|inscripciones|registro|boletos|"
    r"entradas|convocatoria|fecha l[ií]mite|propuestas|inscri[çc][ãa]o|inscri[çc][õo]es|ingressos|chamada|"
    r"prazo|submiss[ãa]o|patrocin\w*|founded|established|fundad[oa]|cread[oa]|criad[oa])\b", re.I)
_YEAR_IN = re.compile(r"\b(?:19|20)\d{2}\b")

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "novembro": 11, "dezembro": 12,
}
_M = "(?P<m>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_M2 = "(?P<m2>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_D1, _D2 = r"(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?", r"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?:,?\s*(?:de\s+|del\s+)?(?P<y>(?:19|20)\d{2}))?"
_SEP = r"\s*(?:-|–|—|to|through|until|and|&|,|y|e|al|a|ao|hasta|até)\s*"
_DATE_PATTERNS = [
    # November 12 - 15, 2024 · February 23, 24 2024 · October 15-16 · March 6–9, 2025
    re.compile(rf"\b{_M}\s+{_D1}(?:{_SEP}(?:{_M2}\s+)?{_D2})?(?!\d){_Y}", re.I),
    # 29 de marzo de 2025 · del 12 al 15 de noviembre · 23 e 24 de fevereiro de 2024 · 15-16 October 2024
    re.compile(rf"\b(?:del\s+|de\s+|entre\s+)?{_D1}(?:{_SEP}{_D2})?\s+(?:de\s+)?{_M}{_Y}", re.I),
]


class Dates:
    """The date claims of one post."""

    def __init__(self, editions: Editions, vocabulary: Vocabulary) -> None:
        self.editions = editions
        self.vocabulary = vocabulary

    @staticmethod
    def _timeline_items(doc: Prose) -> set[int]:
        """Indexes of list items that start with a date, in a section with at least three of them (a
        list of key dates: registration opens, CFP closes, the event)."""
        dated: dict[int, list[int]] = {}
        for i, block in enumerate(doc.blocks):
            if block.kind != "item":
                continue
            head = doc.masked[block.start:block.start + 40].strip()
            if any(p.match(head) for p in _DATE_PATTERNS):
                dated.setdefault(block.section, []).append(i)
        return {i for items in dated.values() if len(items) >= 3 for i in items}

    def of_days(self, ext: Extraction, year: int | None, page: Page, days: list[ScheduleDay]) -> list[Claim]:
        """"## Tuesday 17 May - GitOpsCon": the date of a schedule heading is that day's event's own."""
        out = []
        for subject, heading, day in days:
            written = day.group("date").strip()
            if not written:
                continue
            for pattern in _DATE_PATTERNS:
                m = pattern.search(written)
                span = parse_dates(m, year, page.date) if m else None
                if span is None or span[0] != span[1] or not self._plausible_dates(subject, span[0], ext):
                    continue
                s = heading.start + day.start("date")
                out.append(Claim(subject, START, span[0].isoformat(), s, s + len(written), 0.7,
                                 "pattern:date-of-day", literal=True))
                break
        return out

    def _plausible_dates(self, subject: str, first: dt.date, ext: Extraction) -> bool:
        """A date belongs to an edition only if it falls in the edition's year and, when the
        vocabulary knows the edition's start, is that start: otherwise the clause dates something
        else (a call for papers, a meeting, a co-located day)."""
        edition_year = self.editions.year_of(subject, ext)
        if edition_year is not None and first.year != edition_year:
            return False
        entry = self.vocabulary.entries.get(subject)
        if entry is not None:
            known = [t.object.value for t in self.vocabulary.by_subject.get(subject, ()) if t.predicate.value == START]
            if known and first.isoformat() not in {k[:10] for k in known}:
                return False
        return True

    @staticmethod
    def _in_heading(doc: Prose, offset: int) -> bool:
        block = doc.block_at(offset)
        return block is not None and block.kind == "heading"

    def find(self, doc: Prose, ext: Extraction, editions: ByStart[Mention], main: list[str], year: int | None,
             page: Page) -> list[Claim]:
        """The start and end dates of the editions a sentence names (else of the post's one event),
        one start date per event."""
        claims: list[Claim] = []
        series = ByStart(m for m in ext.mentions if m.kind == "event" and not self.editions.is_edition(m.iri, ext))
        longest = max((m.end - m.start for m in editions), default=0)
        timeline = self._timeline_items(doc)
        previous = None
        for sentence in doc.sentences:
            text = doc.masked[sentence.start:sentence.end]
            # a line that is only a date ("GitOps Days!\ June 8-9, 2022") goes with the sentence before it
            lo = previous.start if previous is not None and _only_a_date(text) and not \
                doc.masked[previous.end:sentence.start].strip(" \t\n*_[]()>\\") else sentence.start
            previous = sentence
            here = list(dict.fromkeys(m.iri for m in editions.within(lo, sentence.end)))
            if not here and sentence.block in timeline:
                continue  # "- August 16: CFP closes" in a list of key dates: each item dates its own milestone
            # "GitOps Days! June 8-9, 2022": a series named beside a date with its year is that year's edition
            series_here = list(dict.fromkeys(m.iri for m in series.within(lo, sentence.end)))
            subjects = here[:1] or (main[:1] if len(main) == 1 else [])
            if not here and not series_here and EVENT_ANAPHOR.match(text.strip() + " "):
                # "The conference is from 6th-9th November in Chicago.": the edition just named before it
                before = [m for m in editions.within(sentence.start - 400 - longest, sentence.start)
                          if sentence.start - m.end <= 400]
                if before:
                    here = [before[-1].iri]
                    subjects = here
            if not subjects and len(series_here) != 1:
                continue
            dated = len(claims)  # the claims of this sentence start here
            for pattern in _DATE_PATTERNS:
                for m in pattern.finditer(text):
                    span = parse_dates(m, year, page.date)
                    if span is None:
                        continue
                    first, last = span
                    if not here and len(series_here) == 1 and _YEAR_IN.search(m.group()):
                        edition = self.editions.edition_in(ext, series_here[0], first.year)
                        if self.editions.is_edition(edition, ext) and self._plausible_dates(edition, first, ext) and \
                                not _NOT_THE_EVENTS_DATE.search(text):
                            s, e = sentence.start + m.start(), sentence.start + m.end()
                            claims.append(Claim(edition, START, first.isoformat(), s, e, 0.7,
                                                "pattern:date-of-series-edition", literal=True))
                            if last != first:
                                claims.append(Claim(edition, END, last.isoformat(), s, e, 0.7,
                                                    "pattern:date-of-series-edition", literal=True))
                            continue
                    if not subjects:
                        continue
                    if not self._plausible_dates(subjects[0], first, ext):
                        continue
                    if not here and (_TIME_OF_DAY.match(text, m.end()) or self._in_heading(doc, sentence.start)):
                        continue  # "June 24 at 9 a.m.", "## Monday, December 10": a session's day, not the event's
                    line_start = text.rfind("\n", 0, m.start()) + 1
                    line_end = text.find("\n", m.end())
                    if not here and _NOT_THE_EVENTS_DATE.search(text[line_start:line_end if line_end >= 0 else None]):
                        continue  # "July 15: registration and the CFP open": the date of something else
                    if self._in_heading(doc, sentence.start) and SCHEDULE_DAY.match(text.strip()):
                        continue  # "## Monday, October 24 (Flux Project Meeting at KubeCon)": a day of the programme
                    s, e = sentence.start + m.start(), sentence.start + m.end()
                    method = "pattern:date" if here else "pattern:date-of-main-event"
                    claims.append(Claim(subjects[0], START, first.isoformat(), s, e, 0.8, method, literal=True))
                    if last != first:
                        claims.append(Claim(subjects[0], END, last.isoformat(), s, e, 0.8, method, literal=True))
                if any(c.predicate == START for c in claims[dated:] if sentence.start <= c.start < sentence.end):
                    break
        # one start date per event: the first date of a sentence that names the event, else the first at all
        out, seen = [], set()
        for c in sorted(claims, key=lambda c: (c.method != "pattern:date", c.start)):
            if (c.subject, c.predicate) in seen:
                continue
            seen.add((c.subject, c.predicate))
            out.append(c)
        return out


def _only_a_date(text: str) -> bool:
    """"June 8-9, 2022", "**October 15-16**": a line that is a date and (almost) nothing else."""
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if m:
            rest = re.sub(r"[\W_]+", " ", text[:m.start()] + " " + text[m.end():]).split()
            return len(rest) <= 1
    return False


def parse_dates(m: re.Match[str], year: int | None, post_date: object) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date expression names; the year from the text, else the post's."""
    groups = m.groupdict()
    month = MONTHS.get((groups.get("m") or "").lower().rstrip("."))
    month2 = MONTHS.get((groups.get("m2") or "").lower().rstrip(".")) or month
    if not month:
        return None
    y = int(groups["y"]) if groups.get("y") else year
    if y is None:
        return None
    try:
        first = dt.date(y, month, int(groups["d1"]))
        last = dt.date(y, month2, int(groups["d2"])) if groups.get("d2") else first
    except (ValueError, TypeError):
        return None
    if last < first:
        return None
    del post_date
    return first, last
