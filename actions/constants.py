"""Slot, intent and entity names shared by the actions (the domain is the source of truth)."""

# slots
SLOT_CANCER_TYPE = "cancer_type"
SLOT_LOCATION = "location"
SLOT_TREATMENT = "treatment"
SLOT_TOPIC = "topic"
SLOT_NURSE_FOLLOWUP = "nurse_followup"
SLOT_REQUESTED = "requested_slot"

# entities
ENTITY_CANCER_TYPE = "cancer_type"
ENTITY_LOCATION = "location"
ENTITY_TREATMENT = "treatment"
ENTITY_ASPECT = "aspect"

# knowledge topics (the taxonomy is a contract: analytics and the nurse view read these names)
TOPICS = (
    "chemo_resistance",
    "resistance_signs",
    "chemo_basics",
    "treatment_alternatives",
    "immunotherapy",
    "targeted_therapy",
    "radiotherapy",
    "molecular_testing",
    "clinical_trial_info",
    "clinical_trial_search",
    "trial_eligibility",
    "supportive_care",
    "palliative_care",
    "stopping_treatment",
    "metastatic_prognosis",
    "psychological_support",
    "patient_associations",
    "social_support",
    "care_team_dialogue",
)
SAFETY_INTENTS = ("emergency_symptoms", "crisis_distress", "personal_medical_advice", "human_handoff")
INTENT_FOLLOW_UP = "follow_up"
INTENT_NLU_FALLBACK = "nlu_fallback"

# values a form slot takes when the user does not know or does not mind
UNKNOWN_CANCER_TYPE = "inconnu"
WHOLE_FRANCE = "France"
