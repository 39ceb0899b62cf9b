"""Combine a message's features in one step instead of one deep copy and one `hstack` each.

The problem (Rasa 3.6): before DIET (and the ResponseSelector) can read a message, Rasa joins
the features each featurizer attached to it (`Message._combine_features`): it deep-copies the
first featurizer's `Features`, then calls `scipy.sparse.hstack` once per further featurizer,
each call going through `scipy.sparse.bmat`'s general block machinery. For our pipeline that is
four sparse matrices for the tokens and four for the sentence, at every message: about a
twentieth of a turn (README, "Benchmark").

What the replacement builds, read from `Message._combine_features`,
`Features._combine_sparse_features` and `scipy.sparse.bmat`:
- one feature: a copy of it, with `origin` set to the requested featurizers;
- sparse features (COO, as Rasa's featurizers make them; other formats keep Rasa's code): a
  COO matrix whose entries are each block's entries in order, columns shifted by the widths
  of the blocks before it, with the upcast of the blocks' dtypes: what `bmat` makes, in the
  same order, so the numbers DIET reads are the same to the bit;
- dense features: one `np.concatenate` on the last axis, as the pairwise calls give;
- the same `ValueError`s when the number of rows differ or sparse meets dense.

The mechanism: `install()` replaces the static method `Message._combine_features` once.
tests/test_fast_features.py compares both on made-up features; the model test
(tests/test_rasa_model_fast_path.py) compares every parse of the trained model.

Installed from the channels' `blueprint()` (see `channels/server_fixes.py`).
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from channels.patching import Patch


def _message() -> type:
    from rasa.shared.nlu.training_data.message import Message

    return Message


_PATCH = Patch(_message, "_combine_features")


def rasa_combine_features(features: list[Any], featurizers: list[str]) -> Any:
    """Rasa's own `Message._combine_features`, whether the patch is in place or not."""
    method = _PATCH.original if _PATCH.installed else _message().__dict__["_combine_features"]
    return method.__func__(features, featurizers)


def _hstack_coo(matrices: list[Any]) -> Any:
    """`scipy.sparse.hstack(matrices)` for COO blocks of equal height, in bmat's entry order."""
    from scipy.sparse import coo_matrix
    from scipy.sparse._sputils import get_index_dtype, upcast

    blocks = matrices
    rows = blocks[0].shape[0]
    width = sum(block.shape[1] for block in blocks)
    nnz = sum(block.nnz for block in blocks)
    index_dtype = get_index_dtype(maxval=max(rows, width))
    data = np.empty(nnz, dtype=upcast(*(block.dtype for block in blocks)))
    row = np.empty(nnz, dtype=index_dtype)
    col = np.empty(nnz, dtype=index_dtype)
    start, offset = 0, 0
    for block in blocks:
        end = start + block.nnz
        data[start:end] = block.data
        row[start:end] = block.row
        col[start:end] = block.col + offset
        start, offset = end, offset + block.shape[1]
    return coo_matrix((data, (row, col)), shape=(rows, width))


def combine_features(features: list[Any], featurizers: list[str]) -> Any:
    """`Message._combine_features`: the features of several featurizers as one `Features`."""
    if not features:
        return None
    first = features[0]
    if len(features) == 1:
        combined = copy.copy(first)
        combined.features = first.features.copy()
        combined.origin = featurizers
        return combined
    if all(f.is_sparse() for f in features):
        if not all(type(f.features).__name__ == "coo_matrix" for f in features):
            return rasa_combine_features(features, featurizers)  # bmat keeps CSR or CSC
        for f in features[1:]:
            if f.features.shape[0] != first.features.shape[0]:
                raise ValueError(
                    f"Cannot combine sparse features as sequence dimensions do not "
                    f"match: {first.features.shape[0]} != {f.features.shape[0]}."
                )
        matrix = _hstack_coo([f.features for f in features])
    elif all(f.is_dense() for f in features):
        for f in features[1:]:
            if f.features.ndim != first.features.ndim:
                raise ValueError(
                    f"Cannot combine dense features as sequence dimensions do not "
                    f"match: {first.features.ndim} != {f.features.ndim}."
                )
        matrix = np.concatenate([f.features for f in features], axis=-1)
    else:
        raise ValueError("Cannot combine sparse and dense features.")
    combined = copy.copy(first)
    combined.features = matrix
    combined.origin = featurizers
    combined._cached_fingerprint = None  # noqa: SLF001 (as Rasa's combination resets it)
    return combined


def install() -> None:
    """Patch `Message._combine_features` (idempotent)."""
    _PATCH.apply(staticmethod(combine_features))


def uninstall() -> None:
    """Restore Rasa's method (for tests)."""
    _PATCH.restore()


def is_installed() -> bool:
    return _PATCH.installed
