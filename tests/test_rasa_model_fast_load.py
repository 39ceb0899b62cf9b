"""channels/fast_load.py loads the trained model to exactly the same predictions as Rasa.

Two processes load the real model, one through Rasa's `RasaModel.load` and one through the
patch; every weight (by hash), every intent ranking, entity, response-selector confidence
and TED's action probabilities must be equal.
"""

from __future__ import annotations

import pytest

from tests.probes import run_probe

pytestmark = pytest.mark.rasa


def _probe(model, *flags: str) -> dict:
    return run_probe("tests.model_load_probe", model, *flags, prefix="FINGERPRINT", timeout=600)


def test_fast_load_predicts_exactly_like_rasa(trained_model):
    rasa = _probe(trained_model)
    fast = _probe(trained_model, "--fast")
    assert len(rasa["variables"]) == 3  # DIET, ResponseSelector, TED
    assert fast["variables"] == rasa["variables"]
    assert fast["parse"] == rasa["parse"]
    assert fast["ted"] == rasa["ted"]
    assert all(len(weights) > 0 for weights in rasa["variables"].values())
