"""Loader and validator of the resource catalogue (data/catalogue/*.yml).

Each file is checked against its JSON schema (data/catalogue/schemas/) and across files
(references, every region reaching a centre, https only), once per directory, at first use.
A broken catalogue raises `CatalogueError` listing every problem (the tests fail on it);
actions use `get_catalogue()`, which logs and returns None: they then answer a safe minimum.
"""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from actions.settings import load_settings

logger = logging.getLogger(__name__)

FILES = ("geography", "centres", "cancer_types", "resources")
_COMMON_REF = "common.schema.json#/$defs/"


class CatalogueError(Exception):
    """The catalogue is missing or invalid; `problems` lists every finding."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid catalogue:\n- " + "\n- ".join(problems))
        self.problems = problems


def normalize(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces; "St" -> "saint"."""
    text = str(text).lower().replace("œ", "oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    tokens = re.sub(r"[^a-z0-9]+", " ", text).split()
    expand = {"st": "saint", "ste": "sainte"}
    return " ".join(expand.get(token, token) for token in tokens)


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    aliases: tuple[str, ...]
    lat: float
    lon: float
    overseas: bool
    fallback_centres: tuple[str, ...]


@dataclass(frozen=True)
class Area:
    name: str
    region: str
    aliases: tuple[str, ...]
    lat: float
    lon: float


@dataclass(frozen=True)
class Department:
    number: str
    name: str
    region: str
    aliases: tuple[str, ...]
    common_word: bool
    lat: float
    lon: float


@dataclass(frozen=True)
class City:
    name: str
    department: str
    postal_prefix: str
    aliases: tuple[str, ...]
    lat: float
    lon: float


@dataclass(frozen=True)
class Site:
    city: str
    department: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Centre:
    id: str
    name: str
    region: str
    sites: tuple[Site, ...]
    website: str | None
    website_verified: bool
    associated: bool
    verified: bool


@dataclass(frozen=True)
class CancerType:
    id: str
    label: str
    ctgov_term: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Resource:
    id: str
    name: str
    line: str
    topics: tuple[str, ...]
    verified: bool
    phone: str | None = None
    url: str | None = None
    line_local: str | None = None
    search_url: str | None = None
    study_url: str | None = None


@dataclass(frozen=True, eq=False)
class Catalogue:
    regions: dict[str, Region]
    areas: tuple[Area, ...]
    departments: dict[str, Department]
    cities: tuple[City, ...]
    centres: dict[str, Centre]
    centre_directory_url: str
    cancer_types: dict[str, CancerType]
    dont_know_phrases: tuple[str, ...]
    anywhere_phrases: tuple[str, ...]
    resources: dict[str, Resource]
    distress_markers: tuple[str, ...]

    def centres_in_region(self, region_id: str) -> list[Centre]:
        return [centre for centre in self.centres.values() if centre.region == region_id]


def _read(directory: Path) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    documents: dict[str, Any] = {}
    try:
        common = json.loads((directory / "schemas" / "common.schema.json").read_text("utf-8"))
    except (OSError, ValueError) as error:
        return {}, [f"schemas/common.schema.json: {error}"]
    for name in FILES:
        try:
            raw = (directory / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
            schema = json.loads(raw.replace(_COMMON_REF, "#/$defs/"))  # inline shared $defs
            schema.setdefault("$defs", {}).update(common["$defs"])
            validator = Draft202012Validator(schema)
            document = yaml.safe_load((directory / f"{name}.yml").read_text(encoding="utf-8"))
        except (OSError, ValueError, yaml.YAMLError) as error:
            problems.append(f"{name}: {error}")
            continue
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path)):
            where = "/".join(str(part) for part in error.path) or "(root)"
            problems.append(f"{name}.yml {where}: {error.message}")
        documents[name] = document
    return documents, problems


def _urls(document: Any) -> list[str]:
    return re.findall(r"[a-z]+://[^\s\"'<>]+", json.dumps(document, ensure_ascii=False))


def _build(docs: dict[str, Any]) -> Catalogue:
    geo, cen, can, res = (docs[name] for name in FILES)
    return Catalogue(
        regions={
            r["id"]: Region(r["id"], r["name"], tuple(r["aliases"]), r["lat"], r["lon"],
                            r.get("overseas", False), tuple(r.get("fallback_centres", ())))
            for r in geo["regions"]
        },
        areas=tuple(Area(a["name"], a["region"], tuple(a.get("aliases", ())), a["lat"], a["lon"])
                    for a in geo["areas"]),
        departments={
            d["number"]: Department(d["number"], d["name"], d["region"],
                                    tuple(d.get("aliases", ())), d.get("common_word", False),
                                    d["lat"], d["lon"])
            for d in geo["departments"]
        },
        cities=tuple(City(c["name"], c["department"], c["postal_prefix"],
                          tuple(c.get("aliases", ())), c["lat"], c["lon"])
                     for c in geo["cities"]),
        centres={
            c["id"]: Centre(c["id"], c["name"], c["region"],
                            tuple(Site(**site) for site in c["sites"]), c.get("website"),
                            c.get("website_verified", False), c.get("associated", False),
                            c["verified"])
            for c in cen["centres"]
        },
        centre_directory_url=cen["directory_url"],
        cancer_types={t["id"]: CancerType(t["id"], t["label"], t["ctgov_term"], tuple(t["aliases"]))
                      for t in can["cancer_types"]},
        dont_know_phrases=tuple(can["dont_know_phrases"]),
        anywhere_phrases=tuple(can["anywhere_phrases"]),
        resources={
            r["id"]: Resource(r["id"], r["name"], r["line"], tuple(r["topics"]), r["verified"],
                              r.get("phone"), r.get("url"), r.get("line_local"),
                              r.get("search_url"), r.get("study_url"))
            for r in res["resources"]
        },
        distress_markers=tuple(res["distress_markers"]),
    )


def _duplicates(values: list[str]) -> set[str]:
    return {value for value in values if values.count(value) > 1}


def _cross_check(catalogue: Catalogue, docs: dict[str, Any]) -> list[str]:
    """Checks between files: references, reachability of a centre, https, unique ids."""
    problems: list[str] = []
    regions, departments = catalogue.regions, catalogue.departments
    for name, document in docs.items():
        problems += [f"{name}.yml: URL is not https: {url}"
                     for url in _urls(document) if not url.startswith("https://")]
    for name, key, items in (
        ("geography", "id", docs["geography"]["regions"]),
        ("geography", "number", docs["geography"]["departments"]),
        ("centres", "id", docs["centres"]["centres"]),
        ("cancer_types", "id", docs["cancer_types"]["cancer_types"]),
        ("resources", "id", docs["resources"]["resources"]),
    ):
        problems += [f"{name}.yml: duplicate {key} {dup}" for dup in _duplicates([item[key] for item in items])]
    owners = [(f"department {d.number}", d.region) for d in departments.values()]
    owners += [(f"area {a.name}", a.region) for a in catalogue.areas]
    owners += [(f"centre {c.id}", c.region) for c in catalogue.centres.values()]
    problems += [f"{who}: unknown region {region}" for who, region in owners if region not in regions]
    for city in catalogue.cities:
        if city.department not in departments:
            problems.append(f"city {city.name}: unknown department {city.department}")
        expected = "20" if city.department in ("2A", "2B") else city.department
        if city.postal_prefix != expected:
            problems.append(f"city {city.name}: postal prefix {city.postal_prefix} != {expected}")
    for centre in catalogue.centres.values():
        for site in centre.sites:
            department = departments.get(site.department)
            if department is None or department.region != centre.region:
                problems.append(f"centre {centre.id}: site {site.city} not in region {centre.region}")
    for region in regions.values():
        for centre_id in region.fallback_centres:
            if centre_id not in catalogue.centres:
                problems.append(f"region {region.id}: unknown fallback centre {centre_id}")
        if not catalogue.centres_in_region(region.id) and not region.fallback_centres:
            problems.append(f"region {region.id}: no centre and no fallback_centres")
    aliases = [normalize(a) for t in catalogue.cancer_types.values() for a in t.aliases]
    problems += [f"cancer_types.yml: alias {dup!r} used twice" for dup in _duplicates(aliases)]
    if "inconnu" not in catalogue.cancer_types:
        problems.append("cancer_types.yml: the 'inconnu' type is missing")
    for resource_id in ("inca_registry", "unicancer_trials", "clinicaltrials_gov", "cancer_info"):
        if resource_id not in catalogue.resources:
            problems.append(f"resources.yml: resource {resource_id} is missing")
    for resource in catalogue.resources.values():
        if resource.phone and resource.phone not in resource.line:
            problems.append(f"resource {resource.id}: the line does not show {resource.phone}")
        if resource.url and resource.url not in resource.line:
            problems.append(f"resource {resource.id}: the line does not show {resource.url}")
    return problems


@lru_cache(maxsize=8)
def _load(directory: str) -> Catalogue:
    docs, problems = _read(Path(directory))
    if problems:
        raise CatalogueError(problems)
    catalogue = _build(docs)  # the schemas guarantee the fields exist
    problems = _cross_check(catalogue, docs)
    if problems:
        raise CatalogueError(problems)
    return catalogue


def load_catalogue(directory: Path | str | None = None) -> Catalogue:
    """The validated catalogue of `directory` (default: settings), read once; raises CatalogueError."""
    path = Path(directory) if directory is not None else load_settings().catalogue_dir
    return _load(str(path.resolve()))


def get_catalogue() -> Catalogue | None:
    """The catalogue, or None (logged) when it is invalid: actions then answer a safe minimum."""
    try:
        return load_catalogue()
    except CatalogueError as error:
        logger.error("catalogue unavailable, answering with the safe fallback: %s", error)
        return None
