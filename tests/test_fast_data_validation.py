"""Training-data validation with compiled validators (channels/fast_data_validation.py):
the same verdicts and errors as Rasa's `validate_training_data`, and the training entry point
installs it."""

from __future__ import annotations

import pytest

from channels import fast_data_validation


def _schemas() -> dict:
    import rasa.shared.nlu.training_data.schemas.data_schema as schema

    return {"entity dict": schema.entity_dict_schema(), "nlu data": schema.rasa_nlu_data_schema()}


CASES = [
    ("entity dict", {"entity": "cancer_type", "value": "sein"}),
    ("entity dict", {"entity": "location", "role": "city", "group": "1"}),
    ("entity dict", {"value": "sein"}),  # no entity name
    ("entity dict", {"entity": 3}),
    ("entity dict", {"entity": "treatment", "value": ["a", "b"]}),
    ("nlu data", {"rasa_nlu_data": {"common_examples": [{"text": "bonjour", "intent": "greet"}]}}),
    ("nlu data", {"rasa_nlu_data": {"common_examples": [{"intent": "greet"}]}}),
    ("nlu data", {"rasa_nlu_data": {"common_examples": "bonjour"}}),
]


def _verdict(function, kind: str, data: dict) -> str | None:
    from rasa.shared.exceptions import SchemaValidationError

    try:
        function(data, _schemas()[kind])
    except SchemaValidationError as error:
        return f"{type(error.__cause__).__name__}: {error}"
    return None


@pytest.fixture()
def rasa_validate():
    fast_data_validation.uninstall()
    import rasa.shared.utils.validation

    return rasa.shared.utils.validation.validate_training_data


@pytest.mark.parametrize(("kind", "data"), CASES)
def test_same_verdict_and_message_as_rasa(rasa_validate, kind, data):
    assert _verdict(fast_data_validation.validate_training_data, kind, data) == _verdict(rasa_validate, kind, data)


def test_the_cases_cover_both_verdicts(rasa_validate):
    verdicts = [_verdict(rasa_validate, kind, data) for kind, data in CASES]
    assert None in verdicts
    assert sum(v is not None for v in verdicts) >= 4
    assert all("For more information about the format visit" in v for v in verdicts if v)


def test_reading_an_invalid_annotation_still_fails_with_the_fix(tmp_path):
    from rasa.shared.exceptions import SchemaValidationError
    from rasa.shared.nlu.training_data.loading import load_data

    nlu = tmp_path / "nlu.yml"
    nlu.write_text('version: "3.1"\nnlu:\n- intent: inform\n  examples: |\n'
                   '    - cancer du [sein]{"value": "sein"}\n', encoding="utf-8")
    fast_data_validation.uninstall()
    try:
        fast_data_validation.install()
        with pytest.raises(SchemaValidationError, match="entity"):
            load_data(str(nlu))
    finally:
        fast_data_validation.uninstall()


def test_the_training_entry_point_installs_its_fixes():
    from channels import fast_load, lean_checkpoint
    from scripts import rasa_train

    for fix in (lean_checkpoint, fast_data_validation, fast_load):
        fix.uninstall()
    try:
        rasa_train.install_fixes()
        assert lean_checkpoint.is_installed()
        assert fast_data_validation.is_installed()
        assert fast_load._LOAD_SPACY.installed  # noqa: SLF001
        assert not fast_load.is_installed()  # the server's model loader is not needed to train
    finally:
        for fix in (lean_checkpoint, fast_data_validation, fast_load):
            fix.uninstall()
