"""Text side of the trial finder: cancer types in free text, and the answer message.

`compose_answer` builds the single message of action_trial_search (plain text, URLs written
out so that web widgets make them clickable, under MAX_CHARS): 1) the INCa registry and how to
search it, 2) Unicancer's listings, 3) the nearest centre(s), 4) a ClinicalTrials.gov search
link for the English condition term, 5) recruiting studies from the API when available,
6) eligibility is decided with the oncologist, and the case can be discussed in RCP.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from actions.catalogue import CancerType, Catalogue, Centre, normalize
from actions.constants import UNKNOWN_CANCER_TYPE
from actions.ctgov import Study
from actions.geo import Place, nearest_centres, region_has_centre

MAX_CHARS = 1200
SAFE_TRIAL_ANSWER = (
    "Pour chercher un essai clinique :\n"
    "- le registre des essais de l'Institut national du cancer : https://www.e-cancer.fr\n"
    "- ClinicalTrials.gov (en anglais) : https://clinicaltrials.gov\n"
    "Pour en parler, Cancer Info répond au 0 805 123 124 (appel gratuit). "
    "Seul votre oncologue peut dire si un essai vous convient."
)


def plain(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value or "").split())


def quoted(value: Any, limit: int = 40) -> str:
    text = plain(value).replace("«", "").replace("»", "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lru_cache(maxsize=8)
def _alias_pattern(catalogue: Catalogue) -> tuple[re.Pattern[str], dict[str, str]]:
    by_alias = {normalize(a): t.id for t in catalogue.cancer_types.values() for a in t.aliases}
    names = sorted(by_alias, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b"), by_alias


def match_cancer_type(text: str, catalogue: Catalogue) -> str | None:
    """Canonical id of the first cancer type named in `text` ("cancer du poumon" -> poumon)."""
    normalized = re.sub(r"\b(?:au|en son) sein d\w*", " ", normalize(text))
    pattern, by_alias = _alias_pattern(catalogue)
    match = pattern.search(normalized)
    return by_alias[match.group(1)] if match else None


def says(text: str, phrases: tuple[str, ...]) -> bool:
    """True when a short answer is (or contains) one of `phrases` ("je sais pas trop")."""
    words = normalize(text)
    for phrase in phrases:
        key = normalize(phrase)
        if words == key or (re.search(rf"\b{re.escape(key)}\b", words)
                            and len(words.split()) <= len(key.split()) + 3):
            return True
    return False


def canonical_cancer_type(value: Any, catalogue: Catalogue) -> str | None:
    text = plain(value)
    if text.lower() in catalogue.cancer_types:
        return text.lower()
    found = match_cancer_type(text, catalogue)
    if found:
        return found
    return UNKNOWN_CANCER_TYPE if says(text, catalogue.dont_know_phrases) else None


def _centre_lines(centres: list[Centre], catalogue: Catalogue) -> list[str]:
    lines = []
    for centre in centres:
        cities = ", ".join(site.city for site in centre.sites)
        associated = ", centre associé" if centre.associated else ""
        website = f" : {centre.website}" if centre.website else ""
        lines.append(f"   - {centre.name} ({cities}{associated}){website}")
    if any(not centre.website for centre in centres):
        lines.append(f"   Coordonnées des centres : {catalogue.centre_directory_url}")
    return lines


def _centres_block(place: Place | None, location_text: str, catalogue: Catalogue) -> list[str]:
    directory = catalogue.centre_directory_url
    centres = nearest_centres(place, catalogue) if place else []
    if place is None and location_text:
        return [f"3. Je n'ai pas pu situer « {quoted(location_text)} » : "
                f"la liste des centres Unicancer est sur {directory}"]
    if not centres:
        return [f"3. Les centres Unicancer de toute la France : {directory}"]
    if region_has_centre(place, catalogue):
        plural = "s" if len(centres) > 1 else ""
        return [f"3. Centre{plural} de lutte contre le cancer proche{plural} :",
                *_centre_lines(centres, catalogue)]
    overseas = catalogue.regions[place.region].overseas
    where = "en métropole, par exemple" if overseas else "les plus proches"
    return [f"3. Pas de centre Unicancer dans votre région ; {where} :",
            *_centre_lines(centres, catalogue),
            "   Votre oncologue et le réseau régional de cancérologie peuvent aussi vous orienter."]


def _short(title: str, limit: int) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def compose_answer(ctype: CancerType, place: Place | None, location_text: str,
                   studies: list[Study] | None, catalogue: Catalogue) -> str:
    """The single answer message, plain text under MAX_CHARS, URLs written out."""
    resources = catalogue.resources
    known = ctype.id != UNKNOWN_CANCER_TYPE
    label = ctype.label if known else "type de cancer non précisé"
    where = "" if place is None else ", toute la France" if place.kind == "country" else f", {place.label}"
    ctgov = resources["clinicaltrials_gov"]
    search_url = (ctgov.search_url or "").replace("{cond}", quote(ctype.ctgov_term))
    hint = (f"   Cherchez « {ctype.label} » et affichez les essais ouverts." if known else
            "   Cherchez par type de cancer ; votre équipe soignante peut vous dire lequel choisir.")
    head = [f"Pour chercher un essai clinique ({label}{where}) :",
            f"1. {resources['inca_registry'].line}", hint,
            f"2. {resources['unicancer_trials'].line}",
            *_centres_block(place, location_text, catalogue),
            f"4. ClinicalTrials.gov (en anglais), essais recrutant en France : {search_url}"]
    tail = ["Seul votre oncologue peut dire si un essai vous convient. Vous pouvez lui demander "
            "que votre dossier soit discuté en RCP (réunion de concertation pluridisciplinaire)."]
    region = place.region if place else None
    preferred = {normalize(c.name) for c in catalogue.cities
                 if catalogue.departments[c.department].region == region}
    preferred |= {normalize(site.city) for c in catalogue.centres_in_region(region or "")
                  for site in c.sites}
    study_url = ctgov.study_url or "https://clinicaltrials.gov/study/{nct_id}"
    if studies == []:
        head.append("5. ClinicalTrials.gov ne donne pas d'essai recrutant en France pour ce terme.")
    for count in range(len(studies or []), -1, -1):
        for limit in (70, 45):
            lines = []
            if count:
                lines.append("5. Essais qui recrutent en France (titres en anglais) :")
            for study in (studies or [])[:count]:
                city = study.city_near(preferred)
                lines.append(f"   - {study.nct_id} : {_short(study.title, limit)} ({city}) "
                             f"{study_url.replace('{nct_id}', study.nct_id)}")
            text = "\n".join(head + lines + tail)
            if len(text) < MAX_CHARS:
                return text
    return "\n".join(head + tail)
