"""`rasa train` with the project's training-time fixes. Same arguments as `rasa train`;
`scripts/train.py` (`make train`) and the benchmark run it.

- `channels.lean_checkpoint`: the models are saved without the optimizer's state;
- `channels.fast_data_validation`: entity annotations are validated by compiled validators;
- `channels.fast_load.share_spacy_models`: spaCy is loaded once, without its named-entity
  recogniser. Nothing in the pipeline reads spaCy's entities, and tests/test_spacy_without_ner.py
  checks that every training example gets the same tokens, lemmas, tags and vectors.

None of them changes what is learnt: tests/test_rasa_model_fast_load.py compares the trained
model's predictions with Rasa's own loader.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def install_fixes() -> None:
    from channels import fast_data_validation, fast_load, lean_checkpoint

    lean_checkpoint.install()
    fast_data_validation.install()
    fast_load.share_spacy_models()


def main() -> None:
    install_fixes()
    # Rasa's training cache keeps each component's saved output under a key that knows
    # nothing of the lean checkpoints: outputs cached before them still hold the optimizer's
    # state and would be reused. So the lean outputs have a cache folder of their own.
    os.environ.setdefault("RASA_CACHE_DIRECTORY", str(ROOT / ".rasa" / "cache-lean"))
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", "train", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
