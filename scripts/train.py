"""`make train`: train the model only when its inputs changed (hash stamp in models/).

Inputs: the training data folders, domain.yml, config.yml, the custom NLU components, the
training entry point with its lean checkpoints (scripts/rasa_train.py) and the locked package
versions. The content and catalogue files are read by the action server at run time and do not
need a new model.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRAINING_DATA = ["data/nlu", "data/lookups", "data/rules", "data/stories"]
# of the training-time fixes (scripts/rasa_train.py), only the lean checkpoints change the saved
# model
INPUTS = [*TRAINING_DATA, "domain.yml", "config.yml", "components", "constraints.txt",
          "scripts/rasa_train.py", "channels/lean_checkpoint.py"]
MODEL = ROOT / "models" / "assistant.tar.gz"
STAMP = ROOT / "models" / ".inputs.sha256"


def inputs_digest() -> str:
    digest = hashlib.sha256()
    for entry in INPUTS:
        path = ROOT / entry
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix in {".pyc"} or "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def up_to_date() -> bool:
    return MODEL.exists() and STAMP.exists() and STAMP.read_text().strip() == inputs_digest()


def training_command(out: str, name: str, config: str = "config.yml") -> list[str]:
    """`rasa train` as `make train` runs it, with the training-time fixes of
    scripts/rasa_train.py (`make seeds` passes a copy of config.yml with other seeds)."""
    return [
        str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "scripts" / "rasa_train.py"),
        "--data", *TRAINING_DATA,
        "--domain", "domain.yml", "--config", config,
        "--out", out, "--fixed-model-name", name,
        # `make test` and `make validate` run `rasa data validate --fail-on-warnings`; doing it
        # again here cost ~20 s of every training
        "--skip-validation",
    ]


def train(force: bool = False) -> int:
    if not force and up_to_date():
        print(f"==> Model up to date ({MODEL.relative_to(ROOT)}), no training needed.")
        return 0
    print("==> Training the model (about 4-7 minutes on 2 cores)...", flush=True)
    started = time.monotonic()
    command = training_command(out="models", name="assistant")
    log = ROOT / "var" / "logs" / "train.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert process.stdout is not None
        for line in process.stdout:
            out.write(line)
            if any(key in line for key in ("Starting to train component", "Finished training component", "Your Rasa model is trained")):
                print("   " + line.strip()[:110], flush=True)
        code = process.wait()
    if code != 0 or not MODEL.exists():
        print(f"error: training failed (exit {code}); see {log.relative_to(ROOT)} for the cause.", file=sys.stderr)
        return 1
    STAMP.write_text(inputs_digest())
    print(f"==> Trained in {time.monotonic() - started:.0f} s: {MODEL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(train(force="--force" in sys.argv))
