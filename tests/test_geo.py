"""Location resolver: cities, postal codes, departments, regions, places without a centre."""
from __future__ import annotations

import pytest

from actions.catalogue import load_catalogue
from actions.geo import (
    COUNTRY,
    ambiguous_places,
    distance_km,
    find_location_in_text,
    nearest_centres,
    resolve_location,
)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


# (what the user answers, resolved label, region id, names of the centres given, in order)
CASES = [
    # cities
    ("Bordeaux", "Bordeaux (33)", "naq", ["Institut Bergonié"]),
    ("à Lyon", "Lyon (69)", "ara", ["Centre Léon Bérard"]),
    ("Marseille", "Marseille (13)", "paca", ["Institut Paoli-Calmettes"]),
    ("Nice", "Nice (06)", "paca", ["Centre Antoine Lacassagne"]),
    ("Paris", "Paris (75)", "idf", ["Institut Curie", "Gustave Roussy"]),
    ("lille", "Lille (59)", "hdf", ["Centre Oscar Lambret"]),
    ("NANTES", "Nantes (44)", "pdl", ["Institut de Cancérologie de l'Ouest"]),
    ("Angers", "Angers (49)", "pdl", ["Institut de Cancérologie de l'Ouest"]),
    ("Strasbourg", "Strasbourg (67)", "grand-est", ["Institut de Cancérologie Strasbourg Europe"]),
    ("Metz", "Metz (57)", "grand-est", ["Institut de Cancérologie de Lorraine"]),
    ("Reims", "Reims (51)", "grand-est", ["Institut Godinot"]),
    ("Toulouse", "Toulouse (31)", "occitanie", ["Institut Claudius Regaud / IUCT-Oncopole"]),
    ("Montpellier", "Montpellier (34)", "occitanie", ["Institut du Cancer de Montpellier"]),
    ("Nîmes", "Nîmes (30)", "occitanie", ["Institut du Cancer de Montpellier", "Institut Sainte-Catherine"]),
    ("Avignon", "Avignon (84)", "paca", ["Institut Sainte-Catherine"]),
    ("Clermont-Ferrand", "Clermont-Ferrand (63)", "ara", ["Centre Jean Perrin"]),
    ("St Etienne", "Saint-Étienne (42)", "ara", ["Centre Léon Bérard"]),
    ("saint-etienne", "Saint-Étienne (42)", "ara", ["Centre Léon Bérard"]),
    ("Rouen", "Rouen (76)", "normandie", ["Centre Henri Becquerel"]),
    ("Caen", "Caen (14)", "normandie", ["Centre François Baclesse"]),
    ("Dijon", "Dijon (21)", "bfc", ["Centre Georges-François Leclerc"]),
    ("Besançon", "Besançon (25)", "bfc", ["Centre Georges-François Leclerc"]),
    ("Rennes", "Rennes (35)", "bretagne", ["Centre Eugène Marquis"]),
    ("j'habite à Brest", "Brest (29)", "bretagne", ["Centre Eugène Marquis"]),
    ("Le Havre", "Le Havre (76)", "normandie", None),
    ("au Havre", "Le Havre (76)", "normandie", None),
    ("La Rochelle", "La Rochelle (17)", "naq", ["Institut Bergonié"]),
    ("Villejuif", "Villejuif (94)", "idf", ["Gustave Roussy", "Institut Curie"]),
    ("Saint-Denis (93)", "Saint-Denis (93)", "idf", None),
    ("Saint-Denis de la Réunion", "Saint-Denis (974)", "reunion", ["Gustave Roussy", "Institut Curie"]),
    # postal codes
    ("33000", "33000 (Gironde)", "naq", ["Institut Bergonié"]),
    ("75015", "75015 (Paris)", "idf", ["Institut Curie", "Gustave Roussy"]),
    ("69003", "69003 (Rhône)", "ara", ["Centre Léon Bérard"]),
    ("13008", "13008 (Bouches-du-Rhône)", "paca", ["Institut Paoli-Calmettes"]),
    ("20000", "20000 (Corse-du-Sud)", "corse", ["Centre Antoine Lacassagne", "Institut Paoli-Calmettes"]),
    ("20200", "20200 (Haute-Corse)", "corse", ["Centre Antoine Lacassagne", "Institut Paoli-Calmettes"]),
    ("97400", "97400 (La Réunion)", "reunion", ["Gustave Roussy", "Institut Curie"]),
    ("97200", "97200 (Martinique)", "martinique", ["Gustave Roussy", "Institut Curie"]),
    ("37000", "37000 (Indre-et-Loire)", "cvl", None),
    # departments by name and number
    ("Gironde", "Gironde (33)", "naq", ["Institut Bergonié"]),
    ("le 33", "Gironde (33)", "naq", ["Institut Bergonié"]),
    ("33", "Gironde (33)", "naq", ["Institut Bergonié"]),
    ("dans le 69", "Rhône (69)", "ara", ["Centre Léon Bérard"]),
    ("06", "Alpes-Maritimes (06)", "paca", ["Centre Antoine Lacassagne"]),
    ("2A", "Corse-du-Sud (2A)", "corse", ["Centre Antoine Lacassagne", "Institut Paoli-Calmettes"]),
    ("2b", "Haute-Corse (2B)", "corse", None),
    ("974", "La Réunion (974)", "reunion", ["Gustave Roussy", "Institut Curie"]),
    ("dans le Nord", "Nord (59)", "hdf", ["Centre Oscar Lambret"]),
    ("Seine-Maritime", "Seine-Maritime (76)", "normandie", ["Centre Henri Becquerel"]),
    ("cote d'or", "Côte-d'Or (21)", "bfc", ["Centre Georges-François Leclerc"]),
    ("Hauts-de-Seine", "Hauts-de-Seine (92)", "idf", None),
    ("dans la Loire", "Loire (42)", "ara", ["Centre Léon Bérard"]),
    ("la Somme", "Somme (80)", "hdf", ["Centre Oscar Lambret"]),
    ("Cher", "Cher (18)", "cvl", None),
    ("Moselle", "Moselle (57)", "grand-est", ["Institut de Cancérologie de Lorraine"]),
    ("Guadeloupe", "Guadeloupe (971)", "guadeloupe", ["Gustave Roussy", "Institut Curie"]),
    # regions and former regions
    ("ile de france", "Île-de-France", "idf", ["Gustave Roussy", "Institut Curie"]),
    ("Île-de-France", "Île-de-France", "idf", ["Gustave Roussy", "Institut Curie"]),
    ("PACA", "Provence-Alpes-Côte d'Azur", "paca",
     ["Centre Antoine Lacassagne", "Institut Paoli-Calmettes", "Institut Sainte-Catherine"]),
    ("Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes", "ara", ["Centre Jean Perrin", "Centre Léon Bérard"]),
    ("auvergne rhone alpes", "Auvergne-Rhône-Alpes", "ara", ["Centre Jean Perrin", "Centre Léon Bérard"]),
    ("en Bretagne", "Bretagne", "bretagne", ["Centre Eugène Marquis"]),
    ("Nouvelle Aquitaine", "Nouvelle-Aquitaine", "naq", ["Institut Bergonié"]),
    ("Grand-Est", "Grand Est", "grand-est",
     ["Institut de Cancérologie de Lorraine", "Institut de Cancérologie Strasbourg Europe", "Institut Godinot"]),
    ("Alsace", "Alsace (Grand Est)", "grand-est", ["Institut de Cancérologie Strasbourg Europe"]),
    ("Midi-Pyrénées", "Midi-Pyrénées (Occitanie)", "occitanie", ["Institut Claudius Regaud / IUCT-Oncopole"]),
    # places without a centre: the nearest ones
    ("Centre-Val de Loire", "Centre-Val de Loire", "cvl",
     ["Gustave Roussy", "Institut Curie", "Institut de Cancérologie de l'Ouest"]),
    ("Orléans", "Orléans (45)", "cvl", ["Gustave Roussy", "Institut Curie"]),
    ("Tours", "Tours (37)", "cvl", None),
    ("Corse", "Corse", "corse", ["Centre Antoine Lacassagne", "Institut Paoli-Calmettes"]),
    ("Ajaccio", "Ajaccio (2A)", "corse", ["Centre Antoine Lacassagne", "Institut Paoli-Calmettes"]),
    ("La Réunion", "La Réunion (974)", "reunion", ["Gustave Roussy", "Institut Curie"]),
    ("Mayotte", "Mayotte (976)", "mayotte", ["Gustave Roussy", "Institut Curie"]),
    ("Cayenne", "Cayenne (973)", "guyane", ["Gustave Roussy", "Institut Curie"]),
]


@pytest.mark.parametrize(("text", "label", "region", "centres"), CASES)
def test_resolves(catalogue, text, label, region, centres):
    place = resolve_location(text, catalogue)
    assert place is not None, text
    assert (place.label, place.region) == (label, region)
    found = nearest_centres(place, catalogue)
    assert found, f"{text}: no centre"
    if centres is not None:
        assert [c.name for c in found] == centres


def test_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("text", ["Trifouilly-les-Oies", "Londres", "Bruxelles", "12345678",
                                  "99000", "00100", "98000", "bof", "", "   ", "le 00", "96"])
def test_unknown_places_give_none(catalogue, text):
    assert resolve_location(text, catalogue) is None


@pytest.mark.parametrize("text", ["partout en France", "France", "n'importe où", "toute la France"])
def test_whole_country(catalogue, text):
    place = resolve_location(text, catalogue)
    assert place == COUNTRY
    assert nearest_centres(place, catalogue) == []


def test_ambiguous_city_is_not_guessed(catalogue):
    assert resolve_location("Saint-Denis", catalogue) is None
    labels = {p.label for p in ambiguous_places("Saint-Denis", catalogue)}
    assert labels == {"Saint-Denis (93)", "Saint-Denis (974)"}
    assert resolve_location("Saint-Denis 974", catalogue).region == "reunion"
    assert ambiguous_places("Bordeaux", catalogue) == []


def test_every_label_resolves_back_to_its_place(catalogue):
    """The form stores place.label in the slot: the action must find the same place again."""
    texts = [c.name for c in catalogue.cities] + [d.name for d in catalogue.departments.values()]
    texts += [r.name for r in catalogue.regions.values()] + ["33000", "2A", "20", "France"]
    for text in texts:
        place = resolve_location(text, catalogue) or ambiguous_places(text, catalogue)[0]
        assert resolve_location(place.label, catalogue) == place, text


def test_every_city_and_department_reaches_a_centre(catalogue):
    for city in catalogue.cities:
        place = resolve_location(f"{city.name} ({city.department})", catalogue)
        assert place is not None and place.kind == "city", city.name
        assert nearest_centres(place, catalogue), city.name
    for number in catalogue.departments:
        place = resolve_location(number, catalogue)
        assert place is not None and place.department == number
        assert nearest_centres(place, catalogue), number


@pytest.mark.parametrize(("sentence", "label"), [
    ("je cherche un essai pour un cancer du poumon à Lyon", "Lyon (69)"),
    ("essai clinique cancer du sein Bordeaux", "Bordeaux (33)"),
    ("un essai dans le Nord pour ma mère", "Nord (59)"),
    ("essai près de Nantes (44)", "Nantes (44)"),
    ("un essai dans le 13 pour le pancréas", "Bouches-du-Rhône (13)"),
    ("essais ouverts lymphome 75012", "75012 (Paris)"),
    ("je cherche un essai dans les Landes", "Landes (40)"),
])
def test_finds_a_place_inside_a_sentence(catalogue, sentence, label):
    place = find_location_in_text(sentence, catalogue)
    assert place is not None and place.label == label


@pytest.mark.parametrize("sentence", [
    "je cherche un essai clinique",
    "en somme, je voudrais un essai",  # "Somme" only after "dans la"
    "c'est plus cher dans le privé ?",  # "Cher"
    "j'ai 65 ans et un cancer du sein",  # a bare number is not a department
    "un lot de médicaments",
    "au sein de l'équipe, qui décide ?",
    "je ne sais pas",
])
def test_no_place_inside_an_ordinary_sentence(catalogue, sentence):
    assert find_location_in_text(sentence, catalogue) is None


def test_cancer_words_are_not_places(catalogue):
    for cancer in catalogue.cancer_types.values():
        for alias in cancer.aliases:
            assert find_location_in_text(f"un essai pour un cancer {alias}", catalogue) is None, alias


def test_distance_is_plausible():
    # Paris - Lyon is about 390 km as the crow flies
    assert 380 < distance_km(48.857, 2.352, 45.764, 4.836) < 400
