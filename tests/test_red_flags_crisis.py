"""The red-flag detector alone, on crisis wording: wishes, self-harm, and what is not a crisis."""
from __future__ import annotations

import pytest

from components.red_flags import CRISIS, detect


# --- crisis ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["je ne veux pas mourir", "j'ai peur de mourir", "mon père va-t-il mourir ?",
     "je n'ai pas envie de mourir", "ma mère veut mourir chez elle", "comment en finir avec la fatigue ?"],
)
def test_fear_of_death_is_not_a_crisis(text):
    assert detect(text).kind is None


@pytest.mark.parametrize(
    "text",
    [
        # self-harm, whatever the intent behind it
        "je me scarifie les cuisses",
        "mon fils s'automutile depuis mon diagnostic",
        "je me suis tailladé les avant-bras cette nuit",
        "elle s'est coupée les poignets hier",
        "je me brûle exprès pour penser à autre chose",
        "il se brûle avec sa cigarette",
        "je me fais du mal volontairement quand l'angoisse monte",
        "je me suis fait du mal ce soir",
        "jme suis encore fait du mal cette nuit",
        "mon fils s'est fait du mal",
        "ma fille se fait du mal en cachette",
        "je me pince jusqu'au sang pour me punir",
        "il se tape la tête contre les murs",
        "j'ai envie de me faire mal",
        "est-ce normal de vouloir se mutiler ?",
        # means, lethal amounts, indirect wishes
        "combien de somnifères pour ne plus se réveiller ?",
        "quelle est la dose mortelle de morphine",
        "mon père a caché son fusil sous le lit",
        "ce serait plus simple pour ma famille si je n'étais plus là",
        "si je ne me réveille pas demain ce sera une délivrance",
        "je suis un fardeau",
        "j'ai envie de tout lâcher pour de bon",
        "ma femme m'attend là-haut",
        "j'ai rédigé des lettres d'adieu",
        "plus rien ne me retient depuis la mort de mon mari",
        "rien ne me retient plus ici",
        # euphemisms and taking it in hand before the disease does
        "j'ai peur de faire une bêtise ce soir",
        "je risque de faire une connerie, j'ai tous mes comprimés devant moi",
        "il a peur de commettre l'irréparable",
        "si le cancer ne m'emporte pas, je vais le faire",
        "je m'en occuperai moi-même avant le cancer",
        # more self-harm
        "elle se griffe le visage jusqu'au sang",
        "il se brûle les bras avec un briquet",
        "mon fils se donne des coups de poing contre le mur",
        "ça m'apaise de me faire mal",
        "c'est lui qui se les fait, ces marques sur les bras",
        # lethal amounts in other words, looking up how to die, farewells (2026-12-05)
        "quelle quantité de morphine qui tue ?",
        "la dose de paracétamol qui tue, c'est combien ?",
        "quelle dose de médicaments serait mortelle",
        "j'ai cherché sur internet comment partir sans souffrir",
        "je me renseigne pour savoir comment mourir",
        "j'ai écrit un texto d'adieu à ma fille",
        "j'ai préparé mes adieux",
        "t'inquiète, je ne serai plus un fardeau très longtemps",
        "elle dit qu'elle ne veut plus se réveiller",
        "je me frappe les cuisses quand l'angoisse monte",
        # ending the disease or one's suffering stays a crisis phrasing
        "je veux en finir avec cette maladie",
        "je voudrais mettre fin à mes souffrances",
        # "tous mes" was missing beside "toutes mes" (2026-12-07)
        "je veux avaler tous mes cachets",
        "ma mère veut avaler tous ses comprimés",
        "je vais avaler tous mes caclets",
        "j'ai envie de prendre tous mes cachets d'un coup",
        "je vais avaler toutes mes pilules en une seule fois",
        # typos inside the crisis word itself (2026-12-07)
        "je n'ai plus envie de vivvre",
        "j'ai plus envei de vivre",
        "je pense à sauter par la fenetrre",
        "j'ai des idées noirse tout le temps",
        # "noirs" is a real word, left as written: the pattern reads it (2026-12-07)
        "j'ai des idées noirs",
        "il a des idée noire le soir",
        "je veux en fiinir",
    ],
)
def test_self_harm_and_indirect_wishes_are_a_crisis(text):
    assert detect(text).kind == CRISIS


@pytest.mark.parametrize(
    "text",
    [
        "qui décide de mettre fin au traitement ?",
        "le médecin veut mettre fin à la chimio, est-ce définitif ?",
        "est-ce que l'immunothérapie va mettre fin à la maladie ?",
        "je me suis coupé le doigt en épluchant des légumes",
        "je me coupe les cheveux avant la chimio",
        "le chirurgien m'a ouvert le bras pour poser la chambre implantable",
        "la radiothérapie m'a brûlé la peau",
        "je m'arrache les cheveux avec ces papiers",
        "je me suis fait mal au dos en portant les courses",
        "je me suis fait du mal en tombant dans l'escalier",
        "ça me fait du mal de voir ma mère comme ça",
        "la chimio me fait du mal",
        "on se fait du mal à lire les forums",
        "je me fais du mal à lire les statistiques sur internet",
        "sans vouloir en finir avec ce traitement, je voudrais une pause",
        "si je ne suis plus là, qui s'occupera de mes enfants ?",
        "plus rien ne me retient à Paris, on déménage près de ma fille",
        "j'ai peur de faire une bêtise en prenant mes comprimés à la mauvaise heure",
        "peur de faire une bêtise avec mon traitement oral",
        "mon petit a peur de faire une bêtise à l'école",
        "les enfants font des bêtises quand je suis à l'hôpital",
        "je me gratte jusqu'au sang avec cette éruption",
        "le bébé me donne des coups",
        "je me suis brûlé avec un briquet en allumant le four",
        "la dose de chimio qui tue les cellules cancéreuses, comment on la calcule ?",
        "j'ai cherché comment partir en vacances pendant la chimio",
        "j'ai regardé comment se passe une chimio sur internet",
        "j'ai fait mes adieux à mon père hier à l'hôpital",
        "mon père a du mal à se réveiller le matin",
        "je ne veux plus être une charge pour ma fille, quelles aides à domicile ?",
        # taking one's prescriptions together (2026-12-07)
        "je peux prendre tous mes médicaments en même temps le matin ?",
        "est-ce qu'on peut avaler tous les comprimés en même temps ?",
    ],
)
def test_care_decisions_and_accidents_are_not_a_crisis(text):
    assert detect(text).kind != CRISIS


def test_crisis_is_never_downgraded_by_the_question_heuristic():
    assert detect("est-ce normal d'avoir envie de mourir ?").kind == CRISIS
    assert detect("pourquoi je pense au suicide ?").kind == CRISIS


def test_crisis_wins_over_an_emergency_and_keeps_both_flags():
    result = detect("je crache du sang et j'ai envie de mourir")
    assert result.kind == CRISIS
    assert "blood_in_fluids" in result.flags and "suicidal_ideation" in result.flags


def test_a_crisis_in_sms_spellings_is_found():
    # "tout lâcher pour de bon" written "tt lacher pr de bon" (2026-12-07, the crisis set in SMS)
    text = "jvois plus l'interet d'etre encore la jcrois que jvais tt lacher pr de bon"
    assert detect(text).kind == CRISIS
