"""scripts/fallback_offers.py counts what the first fallback offers on given rankings."""

from __future__ import annotations

import numpy as np

from scripts.fallback_offers import fixed_menu, offers_table

NAMES = ["chemo_basics", "chemo_resistance", "crisis_distress", "greet", "psychological_support"]


def row(**confidences: float) -> list[float]:
    return [confidences.get(name, 0.0) for name in NAMES]


def test_the_table_counts_fallbacks_subjects_menu_and_offers():
    probabilities = np.array([
        row(chemo_basics=0.9, chemo_resistance=0.1),  # understood: no fallback
        row(chemo_basics=0.45, chemo_resistance=0.43, greet=0.12),  # ambiguous
        row(greet=0.28, crisis_distress=0.26, psychological_support=0.24, chemo_basics=0.22),  # low
        row(greet=0.29, chemo_basics=0.27, chemo_resistance=0.24, crisis_distress=0.2),  # a greeting
    ])
    truth = ["chemo_basics", "chemo_resistance", "crisis_distress", "greet"]
    table = offers_table(NAMES, truth, probabilities, threshold=0.3, ambiguity=0.05)

    assert "3 of 4 messages, 2 of them about a topic or a safety intent" in table
    assert "| fixed menu (`utter_default`) | 1 (50%) | - |" in table
    assert "| the model's best readings (`actions/suggestions.py`) | 2 (100%) | 1 (50%) |" in table
    assert "| `crisis_distress` | 1 | 0 | 1 | 1 |" in table
    assert "| `psychological_support` | 0 | 0 | 0 | 0 |" in table


def test_the_fixed_menu_is_read_from_the_domain(domain):
    payloads = {b["payload"].lstrip("/") for b in domain["responses"]["utter_default"][0]["buttons"]}
    assert fixed_menu() == payloads and "chemo_resistance" in payloads
