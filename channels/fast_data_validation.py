"""Validate training-data annotations with compiled validators instead of `jsonschema.validate`.

The problem (Rasa 3.6 with jsonschema 4.17): reading NLU data calls
`rasa.shared.utils.validation.validate_training_data` for every entity annotation written as a
dict (`[ma mère]{"entity": "relative", "value": "mere"}`; we have about 1,250). That calls
`jsonschema.validate`, which first checks the schema itself against the JSON Schema
meta-schema, then builds a new validator. That is the waste `channels/fast_validation.py`
removes for action responses. Reading `data/nlu` took 3.7 s, and `rasa train` reads it several
times.

The mechanism: `install()` replaces that function with one that validates with
`channels.fast_validation.compiled_validator`: one validator per schema, the schema checked
once. Rasa's function raises `jsonschema`'s best-matching error, with Rasa's help text, as a
`SchemaValidationError`. This one does the same. The replacement is only installed in the training process
(`scripts/rasa_train.py`).

Measured: reading `data/nlu`, 3.7 s -> 0.8 s.
"""

from __future__ import annotations

from typing import Any

from channels.fast_validation import compiled_validator
from channels.patching import Patch


def _validation_module() -> Any:
    import rasa.shared.utils.validation

    return rasa.shared.utils.validation


_PATCH = Patch(_validation_module, "validate_training_data")


def validate_training_data(json_data: dict[str, Any], schema: dict[str, Any]) -> None:
    """Rasa's `validate_training_data`: raise `SchemaValidationError` if `json_data` is invalid."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_URL_TRAINING_DATA
    from rasa.shared.exceptions import SchemaValidationError

    error = best_match(compiled_validator(schema).iter_errors(json_data))
    if error is not None:
        error.message += (
            f". Failed to validate data, make sure your data "
            f"is valid. For more information about the format visit "
            f"{DOCS_URL_TRAINING_DATA}."
        )
        raise SchemaValidationError.create_from(error) from error


def install() -> None:
    """Patch `rasa.shared.utils.validation.validate_training_data` (idempotent)."""
    _PATCH.apply(validate_training_data)


def uninstall() -> None:
    """Restore Rasa's function (for tests)."""
    _PATCH.restore()


def is_installed() -> bool:
    return _PATCH.installed
