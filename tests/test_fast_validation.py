"""channels/fast_validation.py: same verdicts as Rasa's own check, without the per-call cost.

Also guards the domain against slot mappings that make Rasa call the action server at every
user message (the other cost the profile found, see README "Benchmark").
"""

from __future__ import annotations

import jsonschema
import pytest
import yaml
from rasa.core.actions.action import RemoteAction

from actions.settings import ROOT
from channels import fast_validation

VALID = [
    {},
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "topic", "value": "immunotherapy"}],
        "responses": [{"text": "Bonjour", "buttons": [{"title": "Oui", "payload": "/affirm"}]}],
    },
    {"events": [{"event": "action", "name": "action_listen"}, {"event": "followup", "name": "x"}]},
    {"events": [{"event": "bot", "text": "Salut", "data": {}}], "responses": [{"response": "utter_greet"}]},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "slot"}]},  # a slot event needs a name
    {"events": [{"event": "no_such_event"}]},
    {"responses": "text"},
    {"responses": ["plain string"]},
    [],
]


def rasa_verdict(result: object) -> bool:
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    except jsonschema.ValidationError:
        return False
    return True


def fast_verdict(result: object) -> bool:
    try:
        return fast_validation.validate_action_result(result)  # type: ignore[arg-type]
    except jsonschema.ValidationError:
        return False


@pytest.mark.parametrize("result", VALID + INVALID)
def test_same_verdict_as_rasa(result):
    assert fast_verdict(result) == rasa_verdict(result)


def test_the_cases_cover_both_verdicts():
    assert all(rasa_verdict(r) for r in VALID)
    assert not any(rasa_verdict(r) for r in INVALID)


def test_rejection_keeps_rasa_help_text():
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        fast_validation.validate_action_result({"events": "x"})


def test_install_patches_remote_action_once():
    was_installed = fast_validation.is_installed()  # other tests may have built a server
    fast_validation.uninstall()
    try:
        fast_validation.install()
        patched = RemoteAction._validate_action_result
        fast_validation.install()
        assert fast_validation.is_installed()
        assert RemoteAction._validate_action_result is patched
        action = RemoteAction("action_answer_topic", None)
        assert action._validate_action_result({"events": []}) is True
        with pytest.raises(jsonschema.ValidationError):
            action._validate_action_result({"events": [{"event": "slot"}]})
    finally:
        if not was_installed:
            fast_validation.uninstall()


def test_no_slot_mapping_calls_the_action_server_at_every_message():
    # `type: custom` with `action:` makes ActionExtractSlots run that action remotely after
    # every user message, before the prediction: a wasted round trip, and the slot changes
    # before the action that owns it runs. Slots set by our actions use `type: custom` alone.
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    offenders = [
        name
        for name, slot in domain["slots"].items()
        for mapping in slot.get("mappings", [])
        if mapping.get("type") == "custom" and mapping.get("action")
    ]
    assert offenders == []


def test_server_channels_install_the_fixes_when_rasa_builds_the_server():
    from channels import (
        circuit_breaker,
        decisive_rules,
        fast_features,
        fast_graph,
        fast_load,
        resilience,
        server_fixes,
    )
    from channels.rest import SafeRestInput
    from channels.socketio import SafeSocketIOInput

    async def handler(_):
        return None

    assert set(server_fixes.FIXES) == {
        resilience, fast_validation, fast_load, decisive_rules, fast_graph, fast_features, circuit_breaker
    }
    installed_before = [fix for fix in server_fixes.FIXES if fix.is_installed()]
    try:
        for channel in (SafeRestInput(), SafeSocketIOInput()):
            for fix in server_fixes.FIXES:
                fix.uninstall()
            assert not any(fix.is_installed() for fix in server_fixes.FIXES)
            channel.blueprint(handler)
            assert all(fix.is_installed() for fix in server_fixes.FIXES)
    finally:
        for fix in server_fixes.FIXES:
            if fix in installed_before:
                fix.install()
            else:
                fix.uninstall()
