"""components/doc_vectors.py: the sentence features the linear intent model reads from spaCy docs."""

from __future__ import annotations

import numpy as np
import pytest
import spacy

from components import doc_vectors

VECTORS = {"je": [1.0, 0.0, 0.0], "de": [0.0, 1.0, 0.0], "chimio": [0.0, 0.0, 1.0]}


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("fr")
    for word, vector in VECTORS.items():
        nlp.vocab.set_vector(word, np.array(vector, dtype=np.float32))
    return nlp


def test_idf_gives_frequent_tokens_less_weight_and_unknown_ones_the_most(nlp):
    docs = [nlp("je veux"), nlp("je sais"), nlp("je de chimio"), nlp("Chimio ?")]
    idf, unknown = doc_vectors.token_idf(docs)
    assert idf["je"] < idf["chimio"] < idf["veux"] < unknown
    assert idf["chimio"] < idf["de"] == idf["veux"]  # "Chimio" and "chimio": one token once folded
    assert "?" in idf  # punctuation is counted; idf_vector leaves it out


def test_idf_vector_leans_towards_the_rare_word(nlp):
    doc = nlp("je de chimio !")
    plain = doc_vectors.idf_vector(doc, {}, 1.0, 3)  # same weight everywhere: the plain mean
    weighted = doc_vectors.idf_vector(doc, {"je": 1.0, "de": 1.0, "chimio": 4.0}, 1.0, 3)
    assert np.allclose(plain, np.ones(3) / np.sqrt(3))
    assert weighted.argmax() == 2 and weighted[2] > plain[2]
    assert np.linalg.norm(weighted) == pytest.approx(1.0)


def test_idf_vector_without_words_with_vectors_is_zero(nlp):
    for doc in (nlp(""), nlp("?!"), nlp("zzzz qqqq"), None):
        assert not doc_vectors.idf_vector(doc, {}, 1.0, 3).any()
    assert not doc_vectors.idf_vector(nlp("chimio"), {}, 1.0, 300).any()  # other model's width


def test_context_vector_pools_the_tensor_by_mean_and_max(nlp):
    doc = nlp("je de chimio")
    doc.tensor = np.array([[1.0, -2.0], [3.0, 0.0], [-1.0, 2.0]], dtype=np.float32)
    pooled = doc_vectors.context_vector(doc, 2)
    mean, top = np.array([1.0, 0.0]), np.array([3.0, 2.0]) / np.sqrt(13)
    assert np.allclose(pooled, np.concatenate([mean, top]))
    assert doc_vectors.tensor_width(doc) == 2


def test_context_vector_of_an_empty_or_missing_doc_is_zero(nlp):
    empty = nlp("")
    empty.tensor = np.zeros((0, 2), dtype=np.float32)
    for doc in (empty, None, nlp("je")):  # the last has no tensor of width 2
        assert doc_vectors.context_vector(doc, 2).shape == (4,)
        assert not doc_vectors.context_vector(doc, 2).any()


def test_fr_core_news_md_gives_the_widths_the_model_stores(spacy_fr):
    doc = spacy_fr("c'est quoi l'immunothérapie pour ma mère ?")
    assert doc.vocab.vectors_length == 300 and doc_vectors.tensor_width(doc) == 96
    idf, unknown = doc_vectors.token_idf([doc])
    assert doc_vectors.idf_vector(doc, idf, unknown, 300).shape == (300,)
    assert np.linalg.norm(doc_vectors.context_vector(doc, 96)[:96]) == pytest.approx(1.0, abs=1e-5)
