"""Validate action-server responses with a compiled validator instead of `jsonschema.validate`.

The problem (Rasa 3.6 with jsonschema 4.17): `RemoteAction._validate_action_result` calls
`jsonschema.validate(result, schema)` for every custom-action response. That function first
checks the *schema itself* against the draft 2020-12 meta-schema, then builds a new validator.
The schema never changes, yet the meta-schema check walks Rasa's whole events schema each
time. Profiled in-process on our model: 59 ms per custom action, about 70 % of a turn that
answers a topic (README, "Benchmark").

The mechanism: `install()` replaces `RemoteAction._validate_action_result` once with a version
that builds the validator for the same schema a single time (checking the schema then, once)
and validates each response with it. Same schema, same `ValidationError` (with Rasa's help
text appended), so behaviour is unchanged; only the repeated meta-schema check goes.

Installed from the channels' `blueprint()` like `channels.resilience` (see its docstring for
why there and not at import time).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from channels.patching import Patch


def compiled_validator(schema: dict[str, Any]) -> Any:
    """A validator for `schema`, built and its schema checked once per distinct schema (the key
    is the schema's content: Rasa builds its schemas afresh at each call)."""
    return _compiled(json.dumps(schema, sort_keys=True))


@functools.lru_cache(maxsize=32)
def _compiled(schema_json: str) -> Any:
    from jsonschema.validators import validator_for

    schema = json.loads(schema_json)
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, instead of once per validation
    return cls(schema)


@functools.lru_cache(maxsize=1)  # no schema rebuilt nor serialised per response
def _validator() -> Any:
    from rasa.core.actions.action import RemoteAction

    return compiled_validator(RemoteAction.action_response_format_spec())


def validate_action_result(result: dict[str, Any]) -> bool:
    """Validate one action-server response; raise Rasa's `ValidationError` if invalid."""
    from jsonschema import ValidationError
    from rasa.shared.constants import DOCS_BASE_URL

    try:
        _validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def _remote_action() -> type:
    from rasa.core.actions.action import RemoteAction

    return RemoteAction


_PATCH = Patch(_remote_action, "_validate_action_result")


def _validate(self: Any, result: dict[str, Any]) -> bool:
    return validate_action_result(result)


def install() -> None:
    """Patch `RemoteAction._validate_action_result` (idempotent)."""
    _PATCH.apply(_validate)


def uninstall() -> None:
    """Restore Rasa's method (for tests)."""
    _PATCH.restore()


def is_installed() -> bool:
    return _PATCH.installed
