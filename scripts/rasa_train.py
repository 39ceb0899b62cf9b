"""`rasa train` with the project's training-time fix: checkpoints without the optimizer's
state (channels/lean_checkpoint.py). Same arguments as `rasa train`; `scripts/train.py`
(`make train`) and the benchmark run it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from channels import lean_checkpoint

    lean_checkpoint.install()
    # Rasa's training cache keeps each component's saved output under a key that knows
    # nothing of this fix: outputs cached before it still hold the optimizer's state and
    # would be reused. So the lean outputs have a cache folder of their own.
    os.environ.setdefault("RASA_CACHE_DIRECTORY", str(ROOT / ".rasa" / "cache-lean"))
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", "train", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
