"""PersonalAdviceRule: a request for a dose or for the assistant's choice goes to the care team.

The assistant never gives a dose or a treatment decision: `personal_medical_advice` answers
that only the care team can, with questions to ask it. The model reads most of these requests,
but a message naming a medicine leans towards that medicine's topic: "quelle dose de keytruda
elle doit prendre" read as `immunotherapy` got the general immunotherapy answer, which says
nothing of the dose and does not send the person back to the team.

Two cues, on the accent-folded text (registered on 2026-12-06 before the blind set
`tests/nlu_blind_personal.yml` was read; README, "Doses and choices"):

- a dose asked for someone: a dose word ("dose", "posologie", "mg", "combien de comprimés")
  with a person ("je", "ma mère", "il", "son"...) and an amount or a change asked ("combien",
  "quelle dose", "doubler", "sauter", "oublié", "dois", "peut"...). A general question has no
  person ("pourquoi la dose de chimio dépend du poids ?"), or asks no amount ("mon père a une
  chimio haute dose, c'est quoi ?"), and is left to the model;
- the assistant's choice asked: "à ma place", "à votre avis", "selon vous", "vous me
  conseillez", "vous feriez", "lequel choisir", "il vaut mieux que je"... with a verb of choice
  ("accepter", "arrêter", "faire", "prendre", "choisir"...) and a treatment (a `treatment`
  entity, or "traitement", "essai", "cure"...). "À votre avis l'immunothérapie ça marche bien ?"
  asks no choice and is left to the model.

When a cue is found and the intent so far is one of `overridable` (the topics, `follow_up`,
`nlu_fallback`...), the intent becomes `personal_medical_advice` with the confidence the model
had for it (0.0 when it was not ranked), and the parse result carries
`personal_advice: {"original_intent", "cue"}`. Alarms, a human handoff, a trial search and the
conversation intents are never changed. Placed after MedicineClassRule, before SocialHelpRule and
SafetyGuard, which keeps the last word. Nothing to train (components/cue_rule.py).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from components.cue_rule import CueRule
from components.text import any_word, spaced_fold

OUTPUT_KEY = "personal_advice"
TARGET = "personal_medical_advice"
DOSE, CHOICE = "dose", "choice"


# all patterns read the folded text with apostrophes and hyphens as spaces
DOSE_WORD = any_word(r"doses?", "dosages?", "posologies?", "mg", r"milligrammes?", r"grays?", "gy",
                     r"combien de (?:comprimes?|gelules?|cachets?|pilules?|prises?|seances?|cures?|perfusions?)")
PERSON = any_word("je", "j", "moi", "me", "m", "mon", "ma", "mes", "il", "elle", "lui", "son", "sa", "ses",
                  "nous", "notre", "nos", "ils", "elles", "leur", "leurs")
AMOUNT_ASKED = any_word("combien", r"quel(?:le)?s? (?:dose|posologie|dosage|quantite)", "la bonne dose",
                        r"doubl\w*", r"augment\w*", r"baiss\w*", r"diminu\w*", r"redui\w*", r"saut\w*",
                        r"oubli\w*", r"rattrap\w*", "au lieu", "moitie", "dois", "doit", "devrais", "devrait",
                        "peux", "peut", "faut")
# an intake skipped, doubled, delayed... ("sauter la prise", "décaler ma cure")
INTAKE_CHANGED = re.compile(r"\b(?:saut|doubl|oubli|rattrap|decal|espac|repouss|report|divis)\w*(?: \w+){0,2} "
                            r"(?:prises?|comprimes?|gelules?|cachets?|cures?|seances?|perfusions?|doses?)\b")
ADVICE_ASKED = any_word(r"a (?:ma|sa|votre|leur|notre|ta) place", "a votre avis", "a ton avis", "selon vous",
                        "selon toi", "vous feriez", "tu ferais", "feriez vous", r"(?:vous|tu) (?:me |nous |lui |leur )?"
                        r"(?:conseill|recommand)\w*", r"(?:me|nous|lui|leur) (?:conseill|recommand)\w* vous",
                        r"(?:conseill|recommand)ez vous",
                        r"(?:il )?vaut mieux que (?:je|j|il|elle|mon|ma|nous|on)",
                        r"(?:lequel|laquelle|lesquels|que|quoi) (?:je dois |dois je |faut il )?choisir",
                        r"je (?:lui|leur) (?:conseill|recommand)\w*", r"(?:lui|leur) (?:conseiller|recommander)")
# a choice between two courses ("je l'arrête ou pas", "accepter tout de suite ou attendre")
ALTERNATIVE = re.compile(r"(?<!par )(?<!d )\bou (?:pas|non|(?:(?:bien|plutot|alors) )?(?:(?:la|le|l|les|lui) )?(?:attendre|continuer|"
                         r"arreter|stopper|refuser|accepter|changer|pousser|essayer|tenter|faire|prendre|garder|"
                         r"reprendre|decaler))\b")
CHOICE_VERB = any_word(r"accept\w*", r"refus\w*", r"arret\w*", r"stopp\w*", r"continu\w*", r"chois\w*",
                       r"commenc\w*", "faire", "fasse", "fassent", "ferais", "feriez", "fait", r"pren\w*",
                       r"tent\w*", r"essay\w*", r"particip\w*", r"chang\w*", r"suivre",
                       r"pass\w* (?:a|au|aux|sous)")
# "il faut", "il y a": no person
IMPERSONAL = re.compile(r"\bil (?:faut|y a|existe|s agit|vaut|reste)\b|\b(?:faut|vaut|reste|existe) t? ?il\b|\by a t il\b")
TREATMENT_WORD = any_word(r"traitements?", "ttt", r"cures?", r"essais?", r"etudes?", r"protocoles?", r"lignes?",
                          r"operations?", r"seances?", r"medicaments?")


def cue(text: str, entities: list[dict[str, Any]] | None = None) -> str | None:
    """DOSE or CHOICE when the text asks a dose for someone or the assistant's choice, else None."""
    folded = spaced_fold(text)
    personal = PERSON.search(IMPERSONAL.sub(" ", folded)) is not None
    if personal and ((DOSE_WORD.search(folded) and AMOUNT_ASKED.search(folded)) or INTAKE_CHANGED.search(folded)):
        return DOSE
    treatment = TREATMENT_WORD.search(folded) is not None or any(
        isinstance(e, dict) and e.get(ENTITY_ATTRIBUTE_TYPE) == "treatment" for e in entities or [])
    if treatment and CHOICE_VERB.search(folded) and (
            ADVICE_ASKED.search(folded) or (personal and ALTERNATIVE.search(folded))):
        return CHOICE
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PersonalAdviceRule(CueRule):
    """Makes a dose request or a request for the assistant's choice `personal_medical_advice`."""

    target = TARGET
    output_key = OUTPUT_KEY

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # the intents a cue may replace: the knowledge topics, a follow-up, the fallback
            "overridable": [
                "chemo_resistance", "resistance_signs", "chemo_basics", "treatment_alternatives",
                "immunotherapy", "targeted_therapy", "radiotherapy", "molecular_testing",
                "clinical_trial_info", "trial_eligibility", "supportive_care", "palliative_care",
                "stopping_treatment", "metastatic_prognosis", "care_team_dialogue", "follow_up",
                "nlu_fallback", "out_of_scope",
            ],
        }

    def decide(self, text: str, intent: str | None, entities: list[dict[str, Any]] | None = None) -> str | None:
        """The cue when the rule changes `intent` to personal advice, else None."""
        return cue(text, entities) if self.replaces(intent) else None

    def cue_of(self, message: Message) -> str | None:
        return cue(message.get(TEXT) or "", message.get(ENTITIES) or [])
