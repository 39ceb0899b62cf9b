"""SocialHelpRule: a money, work or paperwork question the model was unsure of goes to social support.

`social_support` was the weakest intent of the cross-validation (F1 0.813 on 2026-12-06): its
questions are spread over many subjects (100 % coverage, transport, sick leave, an employer,
rent, childcare, loans, benefits...) and name the things they are about, so "un taxi
conventionné pour les séances de radiothérapie, c'est possible ?" leans towards
`radiotherapy`, "j'ai peur de perdre mon boulot avec tous ces arrêts maladie" towards
`psychological_support`. Their answers then say nothing of the social worker or of the help.

The cue: a word of money, cover, work, paperwork or daily help on the accent-folded text
("remboursé", "100 %", "mutuelle", "arrêt maladie", "employeur", "loyer", "garde des enfants",
"taxi", "RQTH", "assistante sociale"...). The rule acts only when the model was unsure: the
intent so far is one of `overridable` and its confidence is below `below`. A confident topic
keeps its answer ("l'immunothérapie est-elle remboursée ?" read as immunotherapy at 0.98; the
topic answers a cost question with the help it has, actions/knowledge.py).

Never replaced: a follow-up (a cost question after an answer is handled with its topic), the
clinical trial intents (a trial's cost is part of the trial answer), `out_of_scope` ("combien
coûte une PS5"), the alarms, a human handoff, personal advice and the conversation intents.
Nor a message whose ranking gives an alarm at least `alarm_floor`: "plus d'argent, plus de
boulot, je sais plus quoi faire" left undecided between a crisis and another intent keeps its
fallback, whose buttons offer the crisis help (actions/suggestions.py); the social answer would
hide it.

Registered on 2026-12-06 before two blind batches were written (README, "Money, work and
papers"). Placed after PersonalAdviceRule, before SafetyGuard, which keeps the last word.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.cue_rule import CueRule
from components.messages import ranked_confidence
from components.text import any_word, spaced_fold

OUTPUT_KEY = "social_help"
TARGET = "social_support"

# all patterns read the folded text with apostrophes and hyphens as spaces
COVER = any_word(r"rembours\w*", r"pris(?:e|es)? en charge (?:a )?100", r"100(?= ?%)", r"100 pour ?cent", "cent pour cent",
                 r"mutuelles?", "secu", "securite sociale", "assurance maladie", "cpam", "caf", "msa", "ald",
                 "affection longue duree", "reste a charge", r"frais", "avance de frais", "tiers payant")
MONEY = any_word("argent", r"pa(?:y|i)(?:er|e|es|ent|ons|ez)", r"couts?", r"cout(?:e|ent|er)", r"budget", r"dettes?",
                 "surendettement", "loyers?", r"factures?", r"financ\w*", r"euros?", "fins de mois", "banque",
                 r"prets?", r"emprunts?", "credit immobilier", r"assurances? (?:de |d )?(?:pret|emprunt)", "aeras",
                 "droit a l oubli")
WORK = any_word(r"arrets? (?:maladie|de travail)", r"(?:mi|temps partiel) temps therapeutique",
                r"temps partiel therapeutique", r"employeurs?", r"patron(?:ne)?s?", "boulot", "taf", "job",
                r"travail", "reprise du travail", r"licenci\w*", "chomage", "pole emploi", "france travail",
                "medecin du travail", r"indemnites? journalieres?", r"\bij\b", r"conges? (?:de )?(?:proche aidant|"
                r"presence parentale|maladie|longue (?:maladie|duree))", "clm", "cld")
PAPERS = any_word(r"assistante?s? sociale?s?", r"assistants? sociaux", r"travailleu(?:r|se)s? sociale?s?",
                  r"papiers", r"(?:les|des|mes|ses|nos|vos) demarches", r"demarches? (?:administratives?|sociales?)", r"administrati\w*", r"formulaires?", "rqth", "mdph", "aah", "ajpp",
                  "ajap", "pch", "fiva", "css", "cmu", "aide medicale d etat", r"invalidite",
                  r"pensions?", r"allocations?", r"aides? (?:financieres?|sociales?|menageres?)",
                  "maladie professionnelle", "handicap")
DAILY = any_word(r"taxis?(?: conventionnes?)?", "vsl", r"transports?", r"trajets?", r"kilometres?", "essence",
                 r"garde (?:de |d |des )?(?:mes |nos |ses |leurs )?(?:enfants|petits|gamins)", "nounou",
                 r"logement", r"hebergement", "aide a domicile", "auxiliaire de vie")
CUES = (COVER, MONEY, WORK, PAPERS, DAILY)


def cue(text: str) -> str | None:
    """The first money, cover, work, paperwork or daily-help word of the text, or None."""
    folded = spaced_fold(text)
    for pattern in CUES:
        found = pattern.search(folded)
        if found:
            return found.group(0)
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SocialHelpRule(CueRule):
    """Makes an unsure reading of a money, work or paperwork question `social_support`."""

    target = TARGET
    output_key = OUTPUT_KEY

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # the knowledge topics a money question leans towards, the two support neighbours,
            # questions about the assistant and the fallback; not follow_up, the trial intents,
            # out_of_scope, the alarms or personal advice (module docstring)
            "overridable": [
                "chemo_resistance", "resistance_signs", "chemo_basics", "treatment_alternatives",
                "immunotherapy", "targeted_therapy", "radiotherapy", "molecular_testing",
                "supportive_care", "palliative_care", "stopping_treatment", "metastatic_prognosis",
                "psychological_support", "patient_associations", "care_team_dialogue", "chitchat",
                "nlu_fallback",
            ],
            # the model's confidence in its intent under which a cue may replace it
            "below": 0.6,
            # a possible alarm is left to the fallback's buttons and the safety guard: the
            # share of the ranking under which the fallback's buttons ignore a candidate
            "alarms": ["crisis_distress", "emergency_symptoms"],
            "alarm_floor": 0.05,
        }

    def decide(self, text: str, intent: str | None, confidence: float, alarm: float = 0.0) -> str | None:
        """The cue when the rule changes `intent` (read at `confidence`, with `alarm` the highest
        confidence the ranking gives an alarm) to social support, else None."""
        config = self.component_config
        if (not self.replaces(intent) or confidence >= float(config["below"])
                or alarm >= float(config["alarm_floor"])):
            return None
        return cue(text)

    def cue_of(self, message: Message) -> str | None:
        intent: Any = message.get(INTENT) or {}
        alarm = max((ranked_confidence(message, name) for name in self.component_config["alarms"]), default=0.0)
        return self.decide(message.get(TEXT) or "", intent.get("name"),
                           float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0), alarm)
