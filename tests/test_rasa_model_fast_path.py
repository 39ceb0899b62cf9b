"""The message-path fixes (channels/fast_graph.py, channels/fast_features.py) change nothing
the trained model says: every parse and next-action prediction of our conversations compared
with Rasa's own code (tests/fast_path_probe.py)."""

from __future__ import annotations

import pytest

from tests.probes import run_probe


@pytest.mark.rasa
def test_every_parse_and_prediction_of_our_model_is_rasas(trained_model):
    result = run_probe("tests.fast_path_probe", trained_model)
    assert result["different"] == 0, result["differences"]
    assert result["compared"] > 400
