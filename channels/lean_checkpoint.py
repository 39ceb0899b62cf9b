"""Trained TensorFlow models saved without the optimizer's state.

The problem (Rasa 3.6): `RasaModel.save` writes a Keras checkpoint of the whole model object,
and Keras counts the Adam optimizer as part of it. Adam keeps two values per weight, so two
thirds of every checkpoint were optimizer state that prediction never reads. With our pipeline
that was 174 of the model's 263 MB; the largest part was the ResponseSelector's 512-wide
layers over the 16,500 count-vector features. Every training wrote it into the model archive and
into Rasa's training cache, and every start decompressed and unpacked it again. Right after
a training, the start of the server waited for that write-back to reach the disk: 66 s
instead of 29 s (README, "Benchmark").

The mechanism: `without_optimizer(model)` hides the optimizer from the model's checkpoint
dependencies while a checkpoint is written or read. `install()` replaces `RasaModel.save` with
the same save inside it. It runs in the training process only: `scripts/rasa_train.py` installs
it before it hands over to Rasa's command line. The server's loader (`channels/fast_load.py`)
reads inside `without_optimizer` too. That way it checks that every weight of the model came
from the checkpoint, whether or not the checkpoint holds an optimizer. Rasa's own loader
(`rasa test`, `rasa shell`) runs one training step before it restores the weights. It leaves
the optimizer at its initial state, which prediction never uses.

What is lost: resuming from the saved optimizer state. `rasa train --finetune` starts Adam
afresh from the trained weights.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from channels.patching import Patch

# the name under which Keras' `Model.compile` tracks the optimizer
OPTIMIZER = "optimizer"


def _rasa_model() -> type:
    from rasa.utils.tensorflow.models import RasaModel

    return RasaModel


_SAVE = Patch(_rasa_model, "save")


@contextlib.contextmanager
def without_optimizer(model: Any) -> Iterator[Any]:
    """Within the block, checkpoints of `model` neither write nor expect its optimizer."""
    children = type(model)._trackable_children  # noqa: SLF001 (what TensorFlow's checkpoint walks)

    def lean_children(save_type: str = "checkpoint", **kwargs: Any) -> dict[str, Any]:
        found = children(model, save_type, **kwargs)
        found.pop(OPTIMIZER, None)
        return found

    # object.__setattr__: Keras' own __setattr__ would try to track the function
    object.__setattr__(model, "_trackable_children", lean_children)
    try:
        yield model
    finally:
        object.__delattr__(model, "_trackable_children")


def install() -> None:
    """Patch `RasaModel.save` (idempotent)."""
    if _SAVE.installed:
        return

    def save(self: Any, model_file_name: str, overwrite: bool = True) -> None:
        with without_optimizer(self):
            _SAVE.original(self, model_file_name, overwrite)

    _SAVE.apply(save)


def uninstall() -> None:
    """Restore Rasa's method (for tests)."""
    _SAVE.restore()


def is_installed() -> bool:
    return _SAVE.installed
