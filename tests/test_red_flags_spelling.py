"""The red-flag detector's spelling: accents, case, typos corrected into red-flag words, and the
real and everyday words left as written (components/red_flag_spelling.py)."""
from __future__ import annotations

import pytest

from components.red_flag_neighbours import REAL_NEIGHBOURS
from components.red_flag_spelling import DECOYS, FUZZY_VOCAB
from components.red_flags import EMERGENCY, _distance, detect, fuzzy_limit, normalize


# --- accents, case, typos ----------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "J'AI DE LA FIÈVRE",
        "j ai de la fievre",
        "jai de la fiévre",
        "g de la fievvre",
        "j'ai de la fiever",
        "j’ai de la fièvre",  # typographic apostrophe
        "je suis essouflé",
        "j'ai des frisssons",
        "la diaree depuis hier",
        "jarrive pu a respiré",
        "evanouissment ce matin",
        "elle fait une hémoragie",
        "ﬁèvre depuis hier",  # ligature, NFKD
    ],
)
def test_accents_case_and_typos(text):
    assert detect(text).kind == EMERGENCY, normalize(text)


@pytest.mark.parametrize(
    "text",
    ["je me soigne bien", "quels sont les signes à connaître ?", "j'ai envie de vomir", "violette"],
)
def test_fuzzy_matching_does_not_invent_red_flags(text):
    assert detect(text).flags == []


# real words one edit from a red-flag word were "corrected" into it (2026-12-07): fainting,
# confusion, bleeding reported for a father who is doing well
@pytest.mark.parametrize(
    "text",
    [
        "mon père est épanoui depuis qu'il a arrêté la chimio",
        "ma mère a l'air épanouie ces temps-ci",
        "elle a une contusion au bras après sa chute de vélo la semaine dernière",
        "comment manger sainement pendant la chimio ?",
        "j'ai trouvé ça insensé, ce qu'a dit le médecin",
        "il faut de la douceur avec les enfants",
        # near the words added to the correction: cheville, balcon, claque, langue, poignet...
        "mon fils a trouvé une chenille dans le jardin",
        "on a acheté un ballon pour mon neveu",
        "j'ai une cloque sur le pied depuis la chimio",
        "c'est une longue attente avant le scanner",
        "la poignée de la porte est cassée",
        "il y a un virage dangereux avant l'hôpital",
        "on a la foudre qui est tombée sur le clocher",
        "je dois avaler tous mes comprimés le matin ou le soir ?",
        # typos as close to an everyday word as to a red-flag word (DECOYS)
        "ma mère est malaide depuis la chimio, comment l'aider ?",
        "je me sens malaie avec ce traitement",
    ],
)
def test_real_words_near_a_red_flag_word_are_left_as_written(text):
    assert detect(text).flags == [], normalize(text)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("il s'est évanouit", "fainting"),
        ("il est tout désorinté", "confusion"),
        ("il crachait du sang ce matin", "blood_in_fluids"),
        ("saignemment du nez depuis une heure", "bleeding"),
        ("il a fait un malaisse ce matin", "fainting"),
        # typos inside the words added to the correction (2026-12-07)
        ("j'ai une douleur au thoarx qui serre depuis ce matin", "chest_pain"),
        ("il trembel de partout et il a froid", "chills"),
        ("elle est tout confusse depuis ce matin", "confusion"),
    ],
)
def test_typos_and_forms_of_a_red_flag_word_are_still_read(text, flag):
    assert flag in detect(text).flags, normalize(text)


def test_the_real_neighbours_are_near_a_red_flag_word_and_left_as_written():
    """components/red_flag_neighbours.py is generated (scripts/red_flag_neighbours.py): every
    word in it is one a red-flag word's typo correction would otherwise take."""
    assert len(REAL_NEIGHBOURS) >= 30
    for word in REAL_NEIGHBOURS:
        assert normalize(word) == word
        near = [target for target in FUZZY_VOCAB if target[0] == word[0]
                and _distance(word, target, fuzzy_limit(target)) <= fuzzy_limit(target)]
        assert near, word


def test_the_decoys_are_everyday_words_near_a_red_flag_word():
    """A decoy only matters two edits or fewer from a correction target."""
    for word in DECOYS:
        assert word not in FUZZY_VOCAB, word
        assert any(target[0] == word[0] and _distance(word, target, 2) <= 2
                   for target in FUZZY_VOCAB), word
