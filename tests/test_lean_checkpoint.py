"""Checkpoints without the optimizer's state (channels/lean_checkpoint.py).

A small Keras model trained one step stands for DIET, TED and the ResponseSelector: the same
Keras checkpoint code saves and reads all of them. The trained model's own archive is checked
in tests/test_rasa_model.py.
"""

from __future__ import annotations

import tarfile

import numpy as np
import pytest

from channels import lean_checkpoint
from channels.lean_checkpoint import without_optimizer

INPUTS = 40


def _model():
    import tensorflow as tf

    model = tf.keras.Sequential([tf.keras.layers.Dense(16, input_shape=(INPUTS,)), tf.keras.layers.Dense(3)])
    model.compile(optimizer=tf.keras.optimizers.Adam(), loss="mse")
    return model


@pytest.fixture(scope="module")
def trained():
    rng = np.random.default_rng(0)
    model = _model()
    model.fit(rng.random((8, INPUTS)), rng.random((8, 3)), verbose=0)
    return model


@pytest.fixture(scope="module")
def inputs() -> np.ndarray:
    return np.random.default_rng(1).random((2, INPUTS))


def _names(prefix: str) -> list[str]:
    import tensorflow as tf

    return [name for name, _ in tf.train.list_variables(prefix)]


def _optimizer_names(prefix: str) -> list[str]:
    return [name for name in _names(prefix) if lean_checkpoint.OPTIMIZER in name.split("/")]


def test_a_lean_checkpoint_holds_the_weights_but_not_the_optimizer(trained, tmp_path):
    trained.save_weights(str(tmp_path / "full"), save_format="tf")
    with without_optimizer(trained):
        trained.save_weights(str(tmp_path / "lean"), save_format="tf")
    assert _optimizer_names(str(tmp_path / "full"))  # what the fix leaves out is there by default
    assert _optimizer_names(str(tmp_path / "lean")) == []
    weights = [name for name in _names(str(tmp_path / "full")) if name not in _optimizer_names(str(tmp_path / "full"))]
    assert sorted(_names(str(tmp_path / "lean"))) == sorted(weights)
    # the model's checkpoints include the optimizer again after the block
    assert "_trackable_children" not in trained.__dict__
    trained.save_weights(str(tmp_path / "after"), save_format="tf")
    assert _optimizer_names(str(tmp_path / "after"))


@pytest.mark.parametrize("saved", ["lean", "full"])
def test_a_built_model_restores_every_weight_from_either_checkpoint(trained, inputs, tmp_path, saved):
    if saved == "lean":
        with without_optimizer(trained):
            trained.save_weights(str(tmp_path / saved), save_format="tf")
    else:
        trained.save_weights(str(tmp_path / saved), save_format="tf")
    model = _model()
    model(inputs)  # built, as channels/fast_load.py builds DIET, TED and the selector
    with without_optimizer(model):
        model.load_weights(str(tmp_path / saved)).assert_existing_objects_matched().expect_partial()
    np.testing.assert_allclose(model(inputs), trained(inputs), rtol=1e-6)


def test_the_load_check_needs_the_block_for_a_lean_checkpoint(trained, inputs, tmp_path):
    # why channels/fast_load.py reads inside without_optimizer: outside it, the fresh
    # optimizer's own variables count as weights missing from the checkpoint
    with without_optimizer(trained):
        trained.save_weights(str(tmp_path / "lean"), save_format="tf")
    model = _model()
    model(inputs)
    with pytest.raises(AssertionError, match="not bound to checkpointed values"):
        model.load_weights(str(tmp_path / "lean")).assert_existing_objects_matched()


def test_the_check_still_catches_a_weight_missing_from_the_checkpoint(trained, inputs, tmp_path):
    import tensorflow as tf

    with without_optimizer(trained):
        trained.save_weights(str(tmp_path / "lean"), save_format="tf")
    bigger = tf.keras.Sequential([tf.keras.layers.Dense(16, input_shape=(INPUTS,)), tf.keras.layers.Dense(3),
                                  tf.keras.layers.Dense(3)])
    bigger.compile(optimizer=tf.keras.optimizers.Adam(), loss="mse")
    bigger(inputs)
    with without_optimizer(bigger), pytest.raises(AssertionError):
        bigger.load_weights(str(tmp_path / "lean")).assert_existing_objects_matched()


def test_a_model_trained_one_step_reads_a_lean_checkpoint(trained, inputs, tmp_path):
    # Rasa's own loader (rasa test, rasa shell): one training step, then load_weights
    with without_optimizer(trained):
        trained.save_weights(str(tmp_path / "lean"), save_format="tf")
    rng = np.random.default_rng(2)
    model = _model()
    model.fit(rng.random((4, INPUTS)), rng.random((4, 3)), verbose=0)
    model.load_weights(str(tmp_path / "lean"))
    np.testing.assert_allclose(model(inputs), trained(inputs), rtol=1e-6)


def test_install_makes_rasa_save_lean_and_uninstall_restores_it(trained, tmp_path):
    from rasa.utils.tensorflow.models import RasaModel

    rasa_save = RasaModel.__dict__["save"]
    lean_checkpoint.uninstall()
    try:
        lean_checkpoint.install()
        lean_checkpoint.install()  # idempotent
        assert lean_checkpoint.is_installed()
        RasaModel.save(trained, str(tmp_path / "patched"))  # RasaModel.save only calls save_weights
        assert _names(str(tmp_path / "patched")) and _optimizer_names(str(tmp_path / "patched")) == []
    finally:
        lean_checkpoint.uninstall()
    assert not lean_checkpoint.is_installed() and RasaModel.__dict__["save"] is rasa_save
    RasaModel.save(trained, str(tmp_path / "rasa"))
    assert _optimizer_names(str(tmp_path / "rasa"))


def optimizer_names_in_archive(archive, tmp_path) -> dict[str, list[str]]:
    """For each TensorFlow checkpoint in a model archive, its optimizer variables."""
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if ".tf_model." in m.name]
        tar.extractall(tmp_path, members=members)  # noqa: S202 (our own model archive)
    prefixes = {m.name.split(".tf_model.")[0] + ".tf_model" for m in members}
    return {prefix: _optimizer_names(str(tmp_path / prefix)) for prefix in sorted(prefixes)}
