"""channels/fast_features.py combines a message's features exactly as Rasa does."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.constants import FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from channels import fast_features

rasa_combine = fast_features.rasa_combine_features


def sparse(rows: int, cols: int, density: float, dtype, seed: int, fmt: str = "coo") -> Features:
    matrix = scipy.sparse.random(rows, cols, density=density, format=fmt, dtype=dtype, random_state=seed)
    return Features(matrix, FEATURE_TYPE_SEQUENCE, TEXT, f"featurizer{seed}")


def dense(rows: int, cols: int, seed: int) -> Features:
    return Features(np.random.default_rng(seed).random((rows, cols)), FEATURE_TYPE_SEQUENCE, TEXT, f"dense{seed}")


def assert_same(ours, theirs):
    assert type(ours.features) is type(theirs.features)
    assert ours.features.dtype == theirs.features.dtype and ours.features.shape == theirs.features.shape
    if scipy.sparse.issparse(theirs.features):
        for attribute in ("data", "row", "col"):  # same entries in the same order
            assert np.array_equal(getattr(ours.features, attribute), getattr(theirs.features, attribute))
    else:
        assert np.array_equal(ours.features, theirs.features)
    assert (ours.type, ours.attribute, ours.origin) == (theirs.type, theirs.attribute, theirs.origin)
    assert ours._cached_fingerprint == theirs._cached_fingerprint  # noqa: SLF001


CASES = {
    "one sparse": [sparse(3, 5, 0.4, np.float64, 1)],
    "four sparse": [sparse(4, 7, 0.3, np.float64, 1), sparse(4, 2, 0.5, np.float32, 2),
                    sparse(4, 9, 0.0, np.float64, 3), sparse(4, 30, 0.2, np.int64, 4)],
    "two sparse, one row": [sparse(1, 50, 0.1, np.float32, 5), sparse(1, 3, 1.0, np.float32, 6)],
    "one dense": [dense(3, 4, 7)],
    "three dense": [dense(2, 4, 8), dense(2, 1, 9), dense(2, 300, 10)],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_features_as_rasa(name):
    features = CASES[name]
    featurizers = ["a", "b"]
    assert_same(fast_features.combine_features(features, featurizers), rasa_combine(features, featurizers))
    assert fast_features.combine_features([], featurizers) is rasa_combine([], featurizers) is None


def test_the_message_s_own_features_are_not_changed():
    features = [sparse(2, 3, 0.5, np.float64, 11), sparse(2, 4, 0.5, np.float64, 12)]
    before = [f.features.toarray().copy() for f in features]
    combined = fast_features.combine_features(features, [])
    combined.features.data[:] = 0
    assert all(np.array_equal(f.features.toarray(), b) for f, b in zip(features, before, strict=True))
    single = fast_features.combine_features(features[:1], [])
    single.features.data[:] = 0
    assert np.array_equal(features[0].features.toarray(), before[0])


def test_other_sparse_formats_are_left_to_rasa():
    features = [sparse(3, 4, 0.5, np.float64, 13, "csr"), sparse(3, 2, 0.5, np.float64, 14, "csr")]
    ours, theirs = fast_features.combine_features(features, []), rasa_combine(features, [])
    assert type(ours.features) is type(theirs.features)
    assert (ours.features != theirs.features).nnz == 0


@pytest.mark.parametrize("features", [
    [sparse(2, 3, 0.5, np.float64, 15), sparse(3, 3, 0.5, np.float64, 16)],  # rows differ
    [sparse(2, 3, 0.5, np.float64, 17), dense(2, 3, 18)],  # sparse and dense
    [dense(2, 3, 19), Features(np.zeros((2, 1, 3)), FEATURE_TYPE_SEQUENCE, TEXT, "x")],  # ndim
])
def test_same_errors_as_rasa(features):
    with pytest.raises(ValueError) as theirs:
        rasa_combine(features, [])
    with pytest.raises(ValueError) as ours:
        fast_features.combine_features(features, [])
    assert str(ours.value) == str(theirs.value)


def test_install_patches_the_message_once():
    was_installed = fast_features.is_installed()
    fast_features.uninstall()
    rasa_method = Message.__dict__["_combine_features"]
    try:
        fast_features.install()
        fast_features.install()
        assert Message._combine_features is fast_features.combine_features  # noqa: SLF001
        fast_features.uninstall()
        assert Message.__dict__["_combine_features"] is rasa_method
    finally:
        if was_installed:
            fast_features.install()
