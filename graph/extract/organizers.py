"""Who organises an event: "organized by", "hosted by", "organizado por", "promovido pelo"; an
organisation that hosts or organises it ("the CNCF is hosting Linkerd Day"); an organisation and
its own event ("The Ceph Foundation … its Cephalocon")."""

from __future__ import annotations

import re

from graph.extract.claims import ORGANIZER
from graph.extract.cues import EVENT_NOUNS
from graph.extract.editions import Editions
from graph.extract.positions import ByStart
from graph.extract.text import Prose
from graph.model import Claim, Extraction, Mention

_ORGANIZED_BY = re.compile(
    r"\b(?:organi[sz]ed|hosted|run|put on|convened) by\b|\borganizad[oa] por\b|"
    r"\borganizad[oa] pel[oa]\b|\bpromovid[oa] por\b|\bpromovid[oa] pel[oa]\b|\bauspiciad[oa] por\b", re.I)
_ORG_HOSTS = re.compile(
    r"\)?\s+(?:is|are|will be|has been|was|were|está|estará|estão|está a)?\s*(?:hosting|organi[sz]ing|"
    r"organi[sz]es|hosts|organi[sz]ed|hosted|runs|running|organiza|organizará|organizó|organizou|"
    r"organizando|realiza|realizará|realizó|realizou)\s+(?:the\s+|el\s+|la\s+|o\s+|a\s+|os\s+|as\s+)?",
    re.I)
_POSSESSIVE = re.compile(r"\b(its|their|su|sus|seu|sua|seus|suas)\b", re.I)
# "its event X", "su evento X", "seu evento X": an event noun may stand between the possessive and the name
_EVENT_NOUN = re.compile(rf"\W{{0,4}}(?:own\s+|propi[oa]s?\s+|própri[oa]s?\s+)?(?:{EVENT_NOUNS})\b", re.I)
_EVENT_WORD = re.compile(rf"\b(?:{EVENT_NOUNS}|meetup|day|días?|dia|edition|edición|edição|it|este|esta|this)\b",
                         re.I)


class Organizers:
    """The organizer claims of one post."""

    def __init__(self, editions: Editions) -> None:
        self.editions = editions

    def find(self, doc: Prose, ext: Extraction, events: ByStart[Mention], orgs: ByStart[Mention],
             main: list[str]) -> list[Claim]:
        """Who organises an event: "organized by", "organizado por", an organisation hosting it,
        an organisation's own ("its") event."""
        claims: list[Claim] = []
        named = ByStart(m for m in ext.mentions if m.kind in ("project", "organization"))
        for sentence in doc.sentences:
            here_events = events.within(sentence.start, sentence.end)
            here_orgs = orgs.within(sentence.start, sentence.end)
            if not here_orgs:
                continue
            text = doc.masked[sentence.start:sentence.end]
            for cue in _ORGANIZED_BY.finditer(text):
                at = sentence.start + cue.end()
                org = next((o for o in here_orgs if 0 <= o.start - at <= 6), None)
                if org is None or org.method == "pattern:organized-by":
                    continue  # a name known only because it follows "organized by" is too weak to state
                before = [m for m in here_events if m.start < at]
                subject = before[-1].iri if before else (main[0] if main and self._about_the_event(
                    doc, named, sentence.start, sentence.start + cue.start()) else None)
                if subject:
                    subject = self.editions.edition_like(subject, main[0], ext) if main else subject
                    claims.append(Claim(subject, ORGANIZER, org.iri, sentence.start, sentence.end, 0.8,
                                        "pattern:organized-by"))
            # "the CNCF is hosting Linkerd Day", "la fundación organiza el Summit": the organisation acts
            for org in here_orgs:
                act = _ORG_HOSTS.match(doc.masked, org.end)
                if not act:
                    continue
                event = next((m for m in here_events if 0 <= m.start - act.end() <= 2), None)
                if event is not None:
                    editions = [iri for iri, e in ext.entities.items() if e.series == event.iri and e.year]
                    subject = editions[0] if len(editions) == 1 else event.iri  # the one this post dates
                    claims.append(Claim(subject, ORGANIZER, org.iri, sentence.start, sentence.end, 0.75,
                                        "pattern:org-hosts-event"))
            # "<Org> … its <Event>": the organisation presents the event as its own
            for org in here_orgs:
                for possessive in _POSSESSIVE.finditer(text, org.end - sentence.start):
                    at = sentence.start + possessive.end()
                    noun = _EVENT_NOUN.match(text, possessive.end())
                    if noun:
                        at = sentence.start + noun.end()
                    event = next((m for m in here_events if 0 <= m.start - at <= 4), None)
                    if event is not None:
                        claims.append(Claim(event.iri, ORGANIZER, org.iri, sentence.start, sentence.end, 0.75,
                                            "pattern:org-its-event"))
                        break
        return claims

    @staticmethod
    def _about_the_event(doc: Prose, named: ByStart[Mention], start: int, cue: int) -> bool:
        """Whether the words before an organising cue speak of an event ("The conference is hosted
        by …", "Este evento es organizado por …") rather than of a project or a company named there
        ("Linkerd is a community project and is hosted by the CNCF")."""
        if named.any_within(start, cue):  # a project or an organisation
            return False
        return bool(_EVENT_WORD.search(doc.masked[start:cue]))
