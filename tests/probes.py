"""Run a probe module (tests/*_probe.py) in its own process and read the JSON line it prints.

The probes load the trained model and patch Rasa classes for their whole process, so each
runs apart from the test session: `python -m tests.<probe> MODEL [flags]`, printing one line
`<PREFIX> {json}`.
"""
from __future__ import annotations

import json
import subprocess
import sys

from scripts.stack import ROOT


def run_probe(module: str, model, *flags: str, prefix: str = "RESULT", timeout: int = 900) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", module, str(model), *flags],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(prefix + " ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    return json.loads(lines[-1].removeprefix(prefix + " "))
