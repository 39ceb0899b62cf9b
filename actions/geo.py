"""Location resolver: what users write -> a place in a French region -> nearest Unicancer centres.

Accepted: the cities of data/catalogue/geography.yml, any 5-digit postal code (first two digits
give the department; 20xxx: Corse-du-Sud or Haute-Corse; 97xxx: overseas departments), any
department name or number ("Gironde", "le 33", "2A"), region names (with or without accents,
hyphens or capitals, "PACA", "IDF") and former regions ("Alsace"). Unknown places give None:
the form asks again rather than guessing a centre.

Two modes: `resolve_location` reads an answer to the form's question ("à Lyon", "le 33"),
`find_location_in_text` looks for a place inside a longer sentence and is stricter (a bare
number or a department named like a common word, "Cher", "Somme", only counts after
"dans le/la" or "département"; such a name also after "dans les", "dans les Landes").
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from actions.catalogue import Catalogue, Centre, load_catalogue, normalize

KINDS = ("postal_code", "city", "department", "area", "region", "country")  # most specific first
NEARBY_KM = 60.0
MAX_TOKENS = 6

_LEADING = tuple(sorted((
    "j habite a", "j habite en", "j habite dans", "j habite", "je vis a", "je vis en",
    "je vis dans", "je suis a", "je suis en", "je suis dans", "je suis", "on habite a",
    "on habite en", "on habite dans", "on habite", "nous habitons a", "nous habitons en",
    "pres de", "a cote de", "autour de", "vers", "region", "la region", "departement", "dept",
    "ville de", "dans", "sur", "a", "au", "aux", "en", "le", "la", "l", "les", "du", "de",
    "plutot", "c est", "secteur", "dans la region", "dans le departement",
), key=len, reverse=True))
_TRAILING = ("s il vous plait", "s il te plait", "svp", "stp", "merci", "please")
_LOCATIVES = ("dans le", "dans la", "dans l", "departement du", "departement de la",
              "departement de l", "departement de", "departement des", "departement")
# a department named like a common word also counts after "dans les" ("dans les Landes"); a
# number does not ("dans les 15 jours")
_NAME_LOCATIVES = _LOCATIVES + ("dans les",)
_NUMBER = r"(?:\d{2,3}|2a|2b)"


@dataclass(frozen=True)
class Place:
    kind: str
    label: str  # shown to users; resolve_location(label) gives the same place back
    region: str | None  # None: the whole of France
    department: str | None = None
    lat: float | None = None  # None: no precise point (a whole region or France)
    lon: float | None = None


COUNTRY = Place("country", "France", None)


def _rank(place: Place) -> int:
    return KINDS.index(place.kind)


@dataclass(frozen=True, eq=False)
class _Gazetteer:
    names: dict[str, tuple[Place, ...]]
    common_words: frozenset[str]
    departments: dict[str, Place]
    anywhere: frozenset[str]


def _add(index: dict[str, list[Place]], names: list[str], place: Place) -> None:
    for name in names:
        key = normalize(name)
        if key and place not in index.setdefault(key, []):
            index[key].append(place)


@lru_cache(maxsize=8)
def _gazetteer(catalogue: Catalogue) -> _Gazetteer:
    index: dict[str, list[Place]] = {}
    departments: dict[str, Place] = {}
    common: set[str] = set()
    for dep in catalogue.departments.values():
        place = Place("department", f"{dep.name} ({dep.number})", dep.region, dep.number,
                      dep.lat, dep.lon)
        departments[dep.number.lower()] = place
        _add(index, [dep.name, *dep.aliases], place)
        if dep.common_word:
            common.add(normalize(dep.name))
    for city in catalogue.cities:
        region = catalogue.departments[city.department].region
        place = Place("city", f"{city.name} ({city.department})", region, city.department,
                      city.lat, city.lon)
        _add(index, [city.name, *city.aliases], place)
    for area in catalogue.areas:
        label = f"{area.name} ({catalogue.regions[area.region].name})"
        _add(index, [area.name, *area.aliases], Place("area", label, area.region, None,
                                                      area.lat, area.lon))
    for region in catalogue.regions.values():
        _add(index, [region.name, *region.aliases], Place("region", region.name, region.id))
    departments["20"] = Place("region", catalogue.regions["corse"].name, "corse")
    _add(index, ["France"], COUNTRY)
    return _Gazetteer(
        names={key: tuple(sorted(value, key=_rank)) for key, value in index.items()},
        common_words=frozenset(common),
        departments=departments,
        anywhere=frozenset(normalize(p) for p in catalogue.anywhere_phrases),
    )


def _postal(code: str, gaz: _Gazetteer) -> Place | None:
    code = code.lower()
    if code[:2] in ("2a", "2b"):
        number = code[:2]
    elif code[:2] == "20":
        number = "2a" if int(code) < 20200 else "2b"
    elif code[:2] == "97":
        number = code[:3]
    else:
        number = code[:2]
    department = gaz.departments.get(number)
    if department is None or department.kind != "department":
        return None
    name = department.label.rsplit(" (", 1)[0]
    return Place("postal_code", f"{code.upper()} ({name})", department.region,
                 department.department, department.lat, department.lon)


def _whole(text: str, gaz: _Gazetteer) -> tuple[Place, ...]:
    """Places named by the whole (normalised) answer, most specific kind first."""
    if text in gaz.anywhere:
        return (COUNTRY,)
    if re.fullmatch(r"\d{5}|2[ab]\d{3}", text):
        place = _postal(text, gaz)
        return (place,) if place else ()
    if re.fullmatch(_NUMBER, text):
        place = gaz.departments.get(text)
        return (place,) if place else ()
    places = gaz.names.get(text, ())
    return tuple(p for p in places if p.kind == places[0].kind) if places else ()


def _variants(text: str) -> list[str]:
    variants = [text]
    changed = True
    while changed:
        changed = False
        for filler in _LEADING:
            if text.startswith(filler + " "):
                text = text[len(filler) + 1:]
                variants.append(text)
                changed = True
                break
        for filler in _TRAILING:
            if text.endswith(" " + filler):
                text = text[: -len(filler) - 1]
                variants.append(text)
                changed = True
                break
    return variants


def _scan(raw: str, text: str, gaz: _Gazetteer) -> list[tuple[Place, ...]]:
    """Every place found inside a sentence, in reading order (each hit may be ambiguous)."""
    hits: list[tuple[int, tuple[Place, ...]]] = []
    for match in re.finditer(r"\b(\d{5}|2[ab]\d{3})\b", text):
        place = _postal(match.group(1), gaz)
        if place:
            hits.append((match.start(), (place,)))
    locative = "|".join(_LOCATIVES)
    patterns = (rf"\b(?:{locative})\s+({_NUMBER})\b", rf"\ble ({_NUMBER})$")
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            place = gaz.departments.get(match.group(1))
            if place:
                hits.append((match.start(), (place,)))
    for match in re.finditer(rf"\(\s*({_NUMBER})\s*\)", raw.lower()):
        place = gaz.departments.get(match.group(1))
        if place:
            hits.append((len(text), (place,)))
    tokens = text.split()
    start = 0
    while start < len(tokens):
        for size in range(min(MAX_TOKENS, len(tokens) - start), 0, -1):
            name = " ".join(tokens[start:start + size])
            places = gaz.names.get(name)
            if not places:
                continue
            before = " ".join(tokens[max(0, start - 3):start])
            if name in gaz.common_words and not before.endswith(_NAME_LOCATIVES):
                continue
            hits.append((len(" ".join(tokens[:start])), places))
            start += size - 1
            break
        start += 1
    return [places for _, places in sorted(hits, key=lambda hit: hit[0])]


def _choose(hits: list[tuple[Place, ...]], text: str) -> tuple[Place | None, list[Place]]:
    """The most specific place; an ambiguous city is settled by a department or region named
    elsewhere in the text ("Saint-Denis 93"), otherwise (None, candidates)."""
    if not hits:
        return None, []
    best = min(_rank(places[0]) for places in hits)
    first = next(p for p in hits if _rank(p[0]) == best)
    candidates = [p for p in first if p.kind == first[0].kind]
    if len(candidates) == 1:
        return candidates[0], []
    others = [p for places in hits for p in places if places is not first]
    numbers = set(re.findall(r"\b(\d{2,3}|2a|2b)\b", text))
    settled = [
        c for c in candidates
        if (c.department or "").lower() in numbers
        or any(o.region == c.region or (o.department and o.department == c.department)
               for o in others)
    ]
    if len(settled) == 1:
        return settled[0], []
    return None, candidates


def _resolve(text: str, catalogue: Catalogue | None, scan_only: bool) -> tuple[Place | None, list[Place]]:
    gaz = _gazetteer(catalogue or load_catalogue())
    normalized = normalize(text)
    if not normalized:
        return None, []
    if not scan_only:
        for variant in _variants(normalized):
            places = _whole(variant, gaz)
            if len(places) == 1:
                return places[0], []
            if places:
                return _choose([places], variant)
    return _choose(_scan(str(text), normalized, gaz), normalized)


def resolve_location(text: str, catalogue: Catalogue | None = None) -> Place | None:
    """The place an answer names ("Lyon", "le 33", "33000", "ile de france"), or None."""
    return _resolve(text, catalogue, scan_only=False)[0]


def find_location_in_text(text: str, catalogue: Catalogue | None = None) -> Place | None:
    """A place mentioned inside a longer sentence ("un essai à Lyon pour ..."), or None."""
    return _resolve(text, catalogue, scan_only=True)[0]


def ambiguous_places(text: str, catalogue: Catalogue | None = None) -> list[Place]:
    """The candidates when `text` names several places ("Saint-Denis": 93 or 974), else []."""
    return _resolve(text, catalogue, scan_only=False)[1]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def centre_distance(centre: Centre, lat: float, lon: float) -> float:
    return min(distance_km(lat, lon, site.lat, site.lon) for site in centre.sites)


def region_has_centre(place: Place, catalogue: Catalogue | None = None) -> bool:
    catalogue = catalogue or load_catalogue()
    return place.region is not None and bool(catalogue.centres_in_region(place.region))


def nearest_centres(place: Place, catalogue: Catalogue | None = None, limit: int = 2) -> list[Centre]:
    """Centres for a place: the nearest one of its region, plus any other within NEARBY_KM.

    A whole region (no point) gets its centres (at most 3). A region without a centre gets the
    nearest ones in distance, or its `fallback_centres` (overseas, or no point known).
    France as a whole gets no centre (the answer points to the Unicancer directory)."""
    catalogue = catalogue or load_catalogue()
    if place.region is None:
        return []
    region = catalogue.regions[place.region]
    in_region = catalogue.centres_in_region(region.id)
    fallback = [catalogue.centres[c] for c in region.fallback_centres]
    if place.lat is None or place.lon is None:
        return in_region[:3] if in_region else fallback[:3]
    if not in_region:
        if region.overseas:
            return fallback[:limit]
        ranked = sorted(catalogue.centres.values(), key=lambda c: centre_distance(c, place.lat, place.lon))
        return ranked[:limit]
    lat, lon = place.lat, place.lon
    chosen = [min(in_region, key=lambda c: centre_distance(c, lat, lon))]
    for centre in sorted(catalogue.centres.values(), key=lambda c: centre_distance(c, lat, lon)):
        if len(chosen) >= limit:
            break
        if centre not in chosen and centre_distance(centre, lat, lon) <= NEARBY_KM:
            chosen.append(centre)
    return chosen
