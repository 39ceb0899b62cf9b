"""The resource catalogue: schema, cross-references, content rules, and failure behaviour."""
from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest
import yaml

from actions.catalogue import CatalogueError, get_catalogue, load_catalogue, normalize
from actions.geo import ambiguous_places, nearest_centres, resolve_location
from actions.settings import ROOT
from actions.trial_answer import canonical_cancer_type

CATALOGUE = ROOT / "data" / "catalogue"
# The Unicancer network as listed in shared/CONTENT.md: no more, no less.
CONTENT_CENTRES = {
    "Centre Antoine Lacassagne": "Nice", "Centre François Baclesse": "Caen",
    "Centre Georges-François Leclerc": "Dijon", "Centre Henri Becquerel": "Rouen",
    "Centre Jean Perrin": "Clermont-Ferrand", "Centre Léon Bérard": "Lyon",
    "Centre Oscar Lambret": "Lille", "Gustave Roussy": "Villejuif",
    "Institut Bergonié": "Bordeaux", "Institut Curie": "Paris, Saint-Cloud",
    "Institut de Cancérologie de l'Ouest": "Angers, Saint-Herblain",
    "Institut de Cancérologie de Lorraine": "Vandœuvre-lès-Nancy",
    "Institut de Cancérologie Strasbourg Europe": "Strasbourg",
    "Institut du Cancer de Montpellier": "Montpellier",
    "Institut Claudius Regaud / IUCT-Oncopole": "Toulouse", "Institut Godinot": "Reims",
    "Institut Paoli-Calmettes": "Marseille", "Centre Eugène Marquis": "Rennes",
    "Institut Sainte-Catherine": "Avignon",
}
# Phone numbers confirmed by the content brief.
ALLOWED_NUMBERS = {"0805123124", "0800940939", "3114", "15", "112", "114"}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(CATALOGUE)


def test_loads_with_expected_sizes(catalogue):
    assert len(catalogue.regions) == 18
    assert len(catalogue.departments) == 101
    assert len(catalogue.cities) >= 100
    assert load_catalogue(CATALOGUE) is catalogue, "read once, then cached"


def test_centres_are_exactly_the_content_brief_list_and_flagged(catalogue):
    found = {c.name: ", ".join(s.city for s in c.sites) for c in catalogue.centres.values()}
    assert found == CONTENT_CENTRES
    raw = yaml.safe_load((CATALOGUE / "centres.yml").read_text(encoding="utf-8"))
    for centre in raw["centres"]:
        assert centre["verified"] is False
        assert centre["source"] == "shared/CONTENT.md (liste à vérifier)"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", centre["checked_on"])
        if "website" in centre:
            assert centre["website_verified"] is False
    assert not re.search(r"\d{2}[ .]\d{2}[ .]\d{2}[ .]\d{2}", (CATALOGUE / "centres.yml").read_text())


def test_every_region_reaches_a_centre(catalogue):
    for region in catalogue.regions.values():
        place = resolve_location(region.name, catalogue)
        assert place is not None and place.region == region.id
        assert nearest_centres(place, catalogue), region.name


def test_user_facing_lines_only_use_confirmed_numbers_and_verified_urls(catalogue):
    raw = yaml.safe_load((CATALOGUE / "resources.yml").read_text(encoding="utf-8"))
    unverified_urls = {link["url"] for r in raw["resources"] for link in r.get("deep_links", [])
                       if not link["verified"]}
    for resource in catalogue.resources.values():
        for line in filter(None, (resource.line, resource.line_local)):
            numbers = re.findall(r"(?<![\d/])\d(?: ?\d){2,}(?![\d/])", line)  # 3+ digits
            numbers += re.findall(r"\b(?:le|au) (\d+)\b", line)  # "le 15", "au 114"
            assert numbers or resource.phone is None, resource.id
            for number in numbers:
                assert number.replace(" ", "") in ALLOWED_NUMBERS, (resource.id, number)
            assert not any(url in line for url in unverified_urls), resource.id
            assert "9 h" not in line and "19 h" not in line, "Cancer Info hours are to verify"
    assert any(not r["verified"] for r in raw["resources"]), "Santé Info Droits stays flagged"


def test_nlu_cancer_type_synonyms_map_to_the_same_ids(catalogue):
    """Contract with data/lookups/cancer_type.yml: every canonical id is known here, and the
    raw-text fallback finds the same id as the NLU synonym."""
    lookups = yaml.safe_load((ROOT / "data" / "lookups" / "cancer_type.yml").read_text("utf-8"))
    synonyms = [item for item in lookups["nlu"] if "synonym" in item]
    assert synonyms
    for item in synonyms:
        assert item["synonym"] in catalogue.cancer_types
        for example in item["examples"].splitlines():
            example = example.strip()[2:]
            if example:
                assert canonical_cancer_type(example, catalogue) == item["synonym"], example


def test_nlu_location_lookup_entries_all_resolve(catalogue):
    lookups = yaml.safe_load((ROOT / "data" / "lookups" / "location.yml").read_text("utf-8"))
    entries = [line.strip()[2:] for item in lookups["nlu"] if "lookup" in item
               for line in item["examples"].splitlines() if line.strip()]
    assert len(entries) > 100
    for entry in entries:
        assert resolve_location(entry, catalogue) or ambiguous_places(entry, catalogue), entry


def test_normalize():
    assert normalize("Île-de-France") == "ile de france"
    assert normalize("St-Étienne") == "saint etienne"
    assert normalize("l’Œsophage") == "l oesophage"


# --- a malformed catalogue fails loudly (tests), never the bot (get_catalogue -> None) ---

def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, target)
    return target


def _edit(directory: Path, name: str, change) -> None:
    path = directory / f"{name}.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")


def _region(document, region_id):
    return next(r for r in document["regions"] if r["id"] == region_id)


BREAKAGES = {
    "missing field": ("centres", lambda d: d["centres"][0].pop("region"), "region"),
    "unknown region of a department": (
        "geography", lambda d: d["departments"][0].update(region="atlantide"), "atlantide"),
    "unknown region of a centre": (
        "centres", lambda d: d["centres"][0].update(region="atlantide"), "atlantide"),
    "site outside the centre's region": (
        "centres", lambda d: d["centres"][0]["sites"][0].update(department="33"), "not in region"),
    "http URL": ("resources", lambda d: d["resources"][-1].update(url="http://clinicaltrials.gov"), "http"),
    "region without any centre": (
        "geography", lambda d: _region(d, "corse").pop("fallback_centres"), "no centre"),
    "unknown fallback centre": (
        "geography", lambda d: _region(d, "cvl").update(fallback_centres=["nowhere"]), "nowhere"),
    "duplicate department": (
        "geography", lambda d: d["departments"][1].update(number="01"), "duplicate"),
    "bad date": ("cancer_types", lambda d: d.update(checked_on="23/11/2026"), "checked_on"),
    "phone missing from its line": (
        "resources", lambda d: d["resources"][0].update(phone="3 114 0"), "does not show"),
    "city in an unknown department": (
        "geography", lambda d: d["cities"][0].update(department="2C"), "department"),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_a_malformed_catalogue_is_rejected(tmp_path, case):
    name, change, expected = BREAKAGES[case]
    directory = _copy(tmp_path)
    _edit(directory, name, change)
    with pytest.raises(CatalogueError) as error:
        load_catalogue(directory)
    assert any(expected in problem for problem in error.value.problems), error.value.problems


def test_yaml_syntax_error_and_missing_file_are_rejected(tmp_path):
    directory = _copy(tmp_path)
    (directory / "centres.yml").write_text("centres: [unclosed\n", encoding="utf-8")
    (directory / "resources.yml").unlink()
    with pytest.raises(CatalogueError) as error:
        load_catalogue(directory)
    assert any(p.startswith("centres") for p in error.value.problems)
    assert any(p.startswith("resources") for p in error.value.problems)


def test_get_catalogue_logs_and_returns_none_on_a_broken_file(tmp_path, monkeypatch, caplog):
    directory = _copy(tmp_path)
    (directory / "geography.yml").write_text("regions: 3\n", encoding="utf-8")
    monkeypatch.setenv("CATALOGUE_DIR", str(directory))
    with caplog.at_level(logging.ERROR):
        assert get_catalogue() is None
    assert "catalogue unavailable" in caplog.text
    monkeypatch.delenv("CATALOGUE_DIR")
    assert get_catalogue() is not None
