"""channels/fast_load.py loads the trained model to exactly the same predictions as Rasa.

Two processes load the real model, one through Rasa's `RasaModel.load` and one through the
patch; every weight (by hash), every intent ranking, entity, response-selector confidence
and TED's action probabilities must be equal.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scripts.stack import ROOT

pytestmark = pytest.mark.rasa


def _probe(model, *flags: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "tests.model_load_probe", str(model), *flags],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("FINGERPRINT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    return json.loads(lines[-1].removeprefix("FINGERPRINT "))


def test_fast_load_predicts_exactly_like_rasa(trained_model):
    rasa = _probe(trained_model)
    fast = _probe(trained_model, "--fast")
    assert len(rasa["variables"]) == 3  # DIET, ResponseSelector, TED
    assert fast["variables"] == rasa["variables"]
    assert fast["parse"] == rasa["parse"]
    assert fast["ted"] == rasa["ted"]
    assert all(len(weights) > 0 for weights in rasa["variables"].values())
