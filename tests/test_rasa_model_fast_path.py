"""The message-path fixes (channels/fast_graph.py, channels/fast_features.py) change nothing
the trained model says: every parse and next-action prediction of our conversations compared
with Rasa's own code (tests/fast_path_probe.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scripts.stack import ROOT


@pytest.mark.rasa
def test_every_parse_and_prediction_of_our_model_is_rasas(trained_model):
    done = subprocess.run(
        [sys.executable, "-m", "tests.fast_path_probe", str(trained_model)],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    result = json.loads(lines[-1].removeprefix("RESULT "))
    assert result["different"] == 0, result["differences"]
    assert result["compared"] > 400
