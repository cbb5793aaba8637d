"""How things nobody listed are named: unknown events, projects and organizations, in en/es/pt.

Each finder returns candidate spans over the masked prose (see graph.text) with a name and a
pattern name; graph.extract decides what becomes an entity (with a lower confidence than the
vocabulary) and `postgraph candidates` lists them for curators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.extract.matcher import COMMON_WORD_ZIPF, is_common_word, is_international_name

# Words that name an event when they head a capitalised name ("Cloud Native Summit 2025").
EVENT_HEADS = (
    "Summit", "Summits", "Conference", "Conf", "Day", "Days", "Expo", "Meetup", "Forum", "Week", "Hackathon",
    "Camp", "Congress", "Congreso", "Congresso", "Jornadas", "Encuentro", "Encontro", "Cumbre", "Conferencia",
    "Conferência", "Semana", "Dia", "Día", "Fest", "Festival", "Symposium", "Simposio", "Simpósio", "Bootcamp",
    "Hackfest", "Convention", "Convención", "Convenção", "Workshop",
)
_HEAD_SET = set(EVENT_HEADS)
# Spanish and Portuguese names put the head first: "Cumbre de Contribuidores de Open Source Software".
HEAD_FIRST = {"Cumbre", "Congreso", "Congresso", "Encuentro", "Encontro", "Jornadas", "Semana", "Dia", "Día",
              "Conferencia", "Conferência", "Simposio", "Simpósio", "Festival", "Convención", "Convenção", "Foro",
              "Fórum"}
_CAMEL_CON = re.compile(r"^[A-Z][A-Za-z]+Con(f)?$")  # KubeCon, PyCon, ArgoCon
# Leading words that are not part of a name (sentence starts, articles, determiners).
STOP_START = {
    "The", "A", "An", "This", "That", "These", "Those", "Our", "Your", "Their", "Its", "Each", "Every", "Last",
    "Next", "First", "Second", "Third", "Annual", "Upcoming", "Recent", "During", "At", "In", "On", "For", "From",
    "El", "La", "Los", "Las", "Un", "Una", "Este", "Esta", "Estos", "Estas", "Nuestro", "Nuestra", "Durante", "En",
    "O", "Os", "As", "Um", "Uma", "Nosso", "Nossa", "No", "Na", "Em", "Del", "Al", "Do", "Da", "Se", "Para",
    "Why", "How", "What", "When", "Where", "Por", "Qué", "Que", "Como", "Cómo", "And", "Y", "E", "Or", "With",
    "Con", "Com", "Sin", "Sem", "Of", "De", "Hoy", "Today", "Hoje", "Join", "Únete", "Junte",
}
CONNECTORS = {"de", "del", "la", "las", "los", "do", "da", "dos", "das", "of", "the", "and", "y", "e", "&", "+",
              "for", "para", "on", "en", "em", "in"}
_TOKEN = re.compile(r"[A-Za-zÀ-ÿ0-9][\w'’.&+-]*|&|\+")
_YEAR = re.compile(r"(?:19|20)\d{2}")


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    name: str
    kind: str  # event, project, organization
    pattern: str
    year: int | None = None
    extra: str | None = None  # e.g. the code repository URL; an event's region
    month: int | None = None  # an edition of a monthly series: "March 2019 … Meetup"


REGION_ADJECTIVES = {"European": "Europe", "North American": "North America", "Latin American": "Latin America",
                     "Asian": "Asia", "African": "Africa", "Australian": "Australia", "Japanese": "Japan",
                     "Chinese": "China", "Indian": "India", "Europea": "Europe", "Europeu": "Europe",
                     "Latinoamericana": "Latin America", "Latinoamericano": "Latin America"}
MONTHS = {m: i + 1 for i, m in enumerate(("January", "February", "March", "April", "May", "June", "July", "August",
                                           "September", "October", "November", "December"))}
#: Regions that name the regional editions of a series, as written -> one spelling
REGIONS = {"Europe": "Europe", "EU": "Europe", "Europa": "Europe", "North America": "North America",
           "NA": "North America", "Norteamérica": "North America", "América do Norte": "North America",
           "China": "China", "Japan": "Japan", "India": "India", "Asia": "Asia", "APAC": "Asia Pacific",
           "Latin America": "Latin America", "LATAM": "Latin America", "LatAm": "Latin America",
           "Latinoamérica": "Latin America", "Africa": "Africa", "Australia": "Australia", "ANZ": "Australia"}

_CAP = r"(?:[A-ZÀ-ÖØ-Þ][\w'’.&+/-]*|\d[\w'’.-]*)"
_CONN = r"(?:de|del|la|las|los|do|da|dos|das|of|the|and|y|e|&|\+|for|para|on|en|em|in)"
_RUN = re.compile(rf"(?<![\w'’]){_CAP}(?:[ \t]+(?:{_CONN}[ \t]+)*{_CAP})*")

Run = list[re.Match[str]]


def capitalised_runs(text: str, start: int = 0, end: int | None = None) -> list[Run]:
    """Runs of capitalised tokens (numbers and lower-case connectors allowed inside) on one line."""
    end = len(text) if end is None else end
    return [list(_TOKEN.finditer(text, m.start(), m.end())) for m in _RUN.finditer(text, start, end)]


def ends_with_event_head(name: str) -> bool:
    """"San Francisco Linkerd Meetup", "FluxCon": the name ends with its event word."""
    last = name.split()[-1] if name.split() else ""
    return last in _HEAD_SET or bool(_CAMEL_CON.match(last))


def find_events(masked: str, runs: list[Run]) -> list[Candidate]:
    """Capitalised names headed by an event word, with an optional trailing year."""
    out = []
    for run in runs:
        stop = next((i for i, m in enumerate(run[:-1]) if m.group().endswith(".") and len(m.group()) > 3), None)
        if stop is not None:
            run = run[:stop + 1]  # "… de Kubernetes 2025. Este evento": a sentence ends inside the run
        words = [m.group().rstrip(".'’") for m in run]
        heads = [i for i, w in enumerate(words) if w in _HEAD_SET or _CAMEL_CON.match(w)]
        if not heads:
            continue
        first = 0
        while first < len(words) and (words[first] in STOP_START or words[first].lower() in CONNECTORS):
            first += 1
        while first < len(words) and words[first].isdigit() and not _YEAR.fullmatch(words[first]):
            first += 1  # "10 Prometheus Days" in "9:45 - 10 Prometheus Days": a time, not part of the name
        # "our first European Helm Summit": the region of one of the series' editions, not its name
        lead_region = None
        if first + 2 < len(words) and " ".join(words[first:first + 2]) in REGION_ADJECTIVES:
            lead_region, first = REGION_ADJECTIVES[" ".join(words[first:first + 2])], first + 2
        elif first + 1 < len(words) and words[first] in REGION_ADJECTIVES:
            lead_region, first = REGION_ADJECTIVES[words[first]], first + 1
        # "March 2019 San Francisco Linkerd Meetup": a month and year before the name date this one
        month = leading_year = None
        if first + 2 < len(words) and words[first] in MONTHS and _YEAR.fullmatch(words[first + 1]):
            month, leading_year = MONTHS[words[first]], int(words[first + 1])
            first += 2
        last = heads[-1]
        if first < len(words) and words[first] in HEAD_FIRST and len(words) - first >= 3:
            last = len(words) - 1
            while last > first and _YEAR.fullmatch(words[last]):
                last -= 1
        # a trailing year (and a place-like capitalised word before it) belongs to the name
        tail = last
        for j in range(last + 1, min(last + 4, len(words))):
            if _YEAR.fullmatch(words[j]):
                tail = j
                break
        # "FluxCon Europe 2026", "FluxCon NA 2025": the region tells two editions of one year apart
        region = REGIONS.get(" ".join(words[last + 1:tail])) if tail > last + 1 else None
        if tail > last + 2 and region is None:
            tail = last  # two unknown words between the name and a year: not its year
        if first > last:
            continue
        core = [w for w in words[first:last + 1] if w.lower() not in CONNECTORS]
        if len(core) < 2 and not _CAMEL_CON.match(core[0] if core else ""):
            continue
        if all(w in _HEAD_SET for w in core):
            continue
        year = int(words[tail]) if tail != last else None
        span_end = run[last].end() if year is None else run[tail].end()
        name_end = run[last].end()
        while name_end > run[first].start() and masked[name_end - 1] in ".'’,;:":
            name_end -= 1
        if first > last:
            continue
        name = masked[run[first].start():name_end]
        inner = [i for i in range(first + 1, last) if words[i] in MONTHS]
        if len(inner) == 1 and month is None:  # "San Francisco Linkerd May Meetup": May's meetup of the series
            month = MONTHS[words[inner[0]]]
            name = " ".join(w for i, w in enumerate(name.split()) if i != inner[0] - first)
            leading_year = year
            year = None
        if month is not None and year is None:  # the month's meeting of a series that meets monthly
            out.append(Candidate(run[first].start(), span_end, " ".join(name.split()), "event", "pattern:event-name",
                                 leading_year, month=month))  # the year may be the post's (see graph.extract)
            continue
        out.append(Candidate(run[first].start(), span_end, " ".join(name.split()), "event", "pattern:event-name",
                             year, (region or lead_region) if year is not None else lead_region))
    return out


_REPO_LINK = re.compile(
    r"\[([^\]\n]{2,60})\]\((https?://(?:www\.)?(?:github\.com|gitlab\.com|codeberg\.org|opendev\.org|"
    r"bitbucket\.org|sr\.ht)/[\w.-]+/[\w.-]+)/?(?:#[^)\s]*)?\)")  # the root of a repository, not a file in it


_GENERIC_LINK_TEXT = {"github", "gitlab", "codeberg", "opendev", "bitbucket", "repo", "repository", "repositories",
                      "repositorio", "repositório", "repositorios", "repositórios", "here", "aquí", "aqui", "link",
                      "enlace", "code", "código", "source", "fuente", "fonte", "project", "proyecto", "projeto",
                      "this", "este", "esto", "isto", "click", "clic"}


def find_repository_links(text: str, start: int) -> list[Candidate]:
    """`[Name](https://github.com/org/name)`: a project, named by the link text (not "here", "repo")."""
    out = []
    for m in _REPO_LINK.finditer(text, start):
        name = " ".join(m.group(1).strip("*_` ").split())
        if not name or not (name[0].isalnum()) or len(name.split()) > 5:
            continue
        if re.fullmatch(r"[\w.-]+/[\w.-]+", name):
            name = name.rsplit("/", 1)[-1]  # "[gimlet-io/capacitor](…)": the repository's name, not its owner's
        elif {w.lower().strip(".,:") for w in name.split()} & _GENERIC_LINK_TEXT:
            # "the [repository](https://github.com/org/openinframx)": the repository names the project
            name = m.group(2).rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
        out.append(Candidate(m.start(1), m.end(1), name, "project", "pattern:repository-link",
                             extra=m.group(2).removesuffix(".git")))
    return out


_ORG_CUE = re.compile(
    r"(?m)^[ \t]*(?:Venue|Sede|Lugar|Local)\s*:|"  # "Venue: CUCEA" at the start of a line
    r"\b(?:hosted|organi[sz]ed|sponsored|run|supported|backed|maintained|founded|created|developed) by|"
    r"\b(?:organizado|patrocinado|apoyado|respaldado|mantenido|creado|desarrollado) por|"
    r"\b(?:organizado|patrocinado|apoiado|mantido|criado|desenvolvido) pel[oa]|"
    r"\bcon el apoyo de|\bcom o apoio d[aoe]|\bde la mano de")
_ORG_SUFFIX = {"Foundation", "University", "Institute", "Inc", "Corp", "Corporation", "Labs", "Group", "Society",
               "Association", "Consortium", "Alliance", "Council", "LLC", "Ltd", "GmbH", "SA"}
_ORG_PREFIX = {"Fundación", "Fundação", "Universidad", "Universidade", "Instituto", "Grupo", "Asociación",
               "Associação", "Consejo", "Conselho", "Comunidad", "Comunidade", "Centro", "Escuela", "Escola"}


_PERSON = r"[A-ZÀ-Ý][a-zà-ÿ'’-]+(?:\s+(?:[A-ZÀ-Ý][a-zà-ÿ'’-]+|[A-Z]\.|de|da|van|von|del|der|le|la)){1,3}"
_AFFILIATION = re.compile(rf"(?<![\w'’])(?P<person>{_PERSON})\s*\((?P<org>[A-Za-z][\w.&'’+ -]{{0,40}}?)\)")
_NOT_AFFILIATION = re.compile(r"^(?:\d.*|[a-z]+|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Ene|Abr|Ago|Dic|Fev|Set|"
                              r"Out|Dez)[a-z]*\.?\s+\d.*|.*\b(?:and|or|y|e|ou|o|with|con|com|of|de|formerly|now|ex|former)\b.*)$")


_NOT_COMPANIES = {"CFP", "CFPS", "TBD", "TBA", "FAQ", "API", "APIS", "CLI", "UI", "UX", "VM", "VMS", "SRE", "QA", "PR",
                  "CI", "CD", "OSS", "FOSS", "LTS", "GA", "RC", "AMA", "CTO", "CEO", "CFO", "VP", "PM", "CNCF TOC",
                  "TOC", "TAG", "SIG", "WG", "KEP", "RFC", "PDF", "PPT", "LIVE", "VIDEO", "SLIDES", "DEMO", "ES", "EN",
                  "PT", "US", "UK", "EU", "NA", "UTC", "GMT", "PST", "PDT", "EST", "EDT", "CET", "CEST", "BST", "MST"}
_BEFORE_PERSON = re.compile(r"(?:^|\n)[ \t>*+-]*$|(?:[-–—&,:;]|\b(?:and|by|with|y|e|por|con|com))\s*$")


@lru_cache(maxsize=16384)
def _english_word(word: str, zipf: float = COMMON_WORD_ZIPF) -> bool:
    """An English word at least this frequent ("Block", "Storage"; "Throttle" at 2.7), and not a
    name that every language uses ("Chris")."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en") >= zipf and not is_international_name(word)


_VENUE_NAME = r"(?:[A-ZÀ-Ý][\w'’.&-]*|\d+)(?:[ \t]+(?:(?:de|del|la|do|da|of|the|&)[ \t]+)*(?:[A-ZÀ-Ý][\w'’.&-]*|\d+)){0,6}"
_VENUE_LINE = re.compile(
    rf"(?im)^[ \t>*+-]*(?:\*\*)?(?:venue|sede|local|lugar)(?:\*\*)?[ \t]*:"
    rf"(?:\*\*)?[ \t]*(?:\*\*)?\[?[ \t]*(?P<name>{_VENUE_NAME})")
_VENUE_HEADS = ("Center", "Centre", "Hotel", "Hall", "Arena", "Auditorium", "Auditorio", "Auditório", "Campus",
                "Pavilion", "Stadium", "Theater", "Theatre", "Museum", "Museo", "Museu", "Palacio", "Palácio",
                "Centro", "Complex", "Plaza", "Forum", "Fórum", "Expo")
_VENUE_AT = re.compile(rf"\b(?:at|en|em|in|no|na)[ \t]+(?:the[ \t]+|el[ \t]+|la[ \t]+|o[ \t]+|a[ \t]+)?(?:\*\*)?\[?"
                       rf"(?P<name>{_VENUE_NAME})")


def find_venues(masked: str, start: int, end: int) -> list[Candidate]:
    """Where an event is held, named as such: a "Venue: Mexico City Marriott Reforma Hotel" line, or
    "at the Moscone Center" (a name ending in a venue word: Center, Hotel, Hall, Campus …)."""
    out = []
    for m in _VENUE_LINE.finditer(masked, start, end):
        name = m.group("name").rstrip(".,;:")
        if len(name) > 2 and name.upper() not in _NOT_COMPANIES:
            out.append(Candidate(m.start("name"), m.start("name") + len(name), name, "place", "pattern:venue"))
    for m in _VENUE_AT.finditer(masked, start, end):
        words = m.group("name").rstrip(".,;:").split()
        last = next((i for i in range(len(words) - 1, -1, -1) if words[i].rstrip(".,") in _VENUE_HEADS), None)
        if last is None or (last == 0 and len(words) == 1):
            continue  # "at the Center" alone is no name
        name = " ".join(words[:last + 1]).rstrip(".,")
        at = m.start("name")
        out.append(Candidate(at, at + len(masked[at:].split(words[last], 1)[0]) + len(words[last].rstrip(".,")),
                             name, "place", "pattern:venue"))
    return out


def find_affiliations(masked: str, start: int, end: int) -> list[Candidate]:
    """"Marco Amador (Anova)", "Laurent Grangeau (Google) & Ludovic Piot": the company in brackets
    after a speaker's name. Not an acronym of the words before it ("Cloud Native Computing
    Foundation (CNCF)"), not a year or a lower-case aside."""
    out = []
    for m in _AFFILIATION.finditer(masked, start, end):
        org = " ".join(m.group("org").split())
        if _NOT_AFFILIATION.match(org) or len(org.split()) > 4 or not all(
                any(c.isupper() or c.isdigit() for c in w) for w in org.split()):
            continue  # every word of a company's name has a capital: not "(it's a full VM)"
        if org.upper() in _NOT_COMPANIES or (" " not in org and _english_word(org, 2.7)):
            continue  # "(CFP)", "(Throttle)": a term explained, not an employer
        person = m.group("person").split()
        initials = "".join(w[0] for w in person if w[:1].isupper())
        if org.upper() == initials.upper() or org.upper().startswith(initials.upper()):
            continue  # the acronym of the words before it
        if any(w in _HEAD_SET or w in _ORG_SUFFIX or w in STOP_START for w in person):
            continue
        if all(_english_word(w) for w in person if w[:1].isupper()):
            continue  # "Mecanismos de Aceleración (Throttle)", "Block Storage (Cinder)": words, not a person
        if not _BEFORE_PERSON.search(masked[max(0, m.start() - 12):m.start()]):
            continue  # a speaker's name follows a dash, an ampersand, a comma or "by": "… - Marco Amador (Anova)"
        out.append(Candidate(m.start("org"), m.start("org") + len(m.group("org").rstrip()), org, "organization",
                             "pattern:affiliation"))
    return out


def find_organizations(masked: str, runs: list[Run], start: int, end: int) -> list[Candidate]:
    """Organisations named after a cue ("hosted by …", "organizado por …") or by an
    organisational suffix or prefix ("… Foundation", "Universidad …")."""
    out = []
    cue_ends = {m.end() for m in _ORG_CUE.finditer(masked, start, end)}
    for run in runs:
        words = [m.group().rstrip(".'’") for m in run]
        first = 0
        while first < len(words) and (words[first] in STOP_START or words[first].lower() in CONNECTORS):
            first += 1
        if first >= len(words):
            continue
        begin = run[first].start()
        before = masked[max(start, begin - 12):begin].rstrip()
        cued = any(abs(begin - c) <= 6 and c <= begin for c in cue_ends) or \
            re.search(r"(by|por|pel[oa]) (the |el |la |los |las |o |a )?$", before) is not None
        suffixed = words[-1] in _ORG_SUFFIX and len(words) - first >= 2
        prefixed = words[first] in _ORG_PREFIX and len(words) - first >= 3
        if not (cued or suffixed or prefixed):
            continue
        if not cued and all(is_common_word(w) for w in words[first:] if w not in _ORG_SUFFIX | _ORG_PREFIX
                            and w.lower() not in CONNECTORS):
            continue  # "The Best Foundation", "Conselho de Administração": ordinary words, not a name
        if all(w in _HEAD_SET for w in words[first:]):
            continue
        name = " ".join(masked[begin:run[-1].end()].split()).rstrip(".")
        out.append(Candidate(begin, run[-1].end(), name, "organization",
                             "pattern:organized-by" if cued else "pattern:organization-name"))
    return out
