"""Training data, domain and configuration are consistent (rasa data validate)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRAINING_DATA = ["data/nlu", "data/lookups", "data/rules", "data/stories"]


def test_rasa_data_validate_has_no_warning():
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run(
        [str(rasa), "data", "validate", "--fail-on-warnings", "--data", *TRAINING_DATA,
         "--domain", "domain.yml", "--config", "config.yml"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
