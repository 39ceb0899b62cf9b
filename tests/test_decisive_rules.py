"""channels/decisive_rules.py skips TED and memoization only where they cannot change the answer.

The unit tests check when the patch applies; the model test replays our stories and single
messages on the trained model and compares every prediction with Rasa's own.
"""

from __future__ import annotations

import pytest

from channels import decisive_rules
from tests.probes import run_probe


def _schema(*policies, ensemble=None, ted_needs=None):
    from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
    from rasa.engine.graph import GraphSchema, SchemaNode

    plain = {"domain": "domain_provider", "rule_only_data": "rule_only_data_provider", "tracker": "__tracker__"}
    nodes = {"domain_provider": SchemaNode({}, object, "create", "provide", {})}
    ensemble_needs = {"domain": "domain_provider", "tracker": "__tracker__"}
    for index, (cls, config) in enumerate(policies):
        name = f"run_{cls.__name__}{index}"
        needs = dict(ted_needs or plain) if cls.__name__ == "TEDPolicy" else dict(plain)
        nodes[name] = SchemaNode(needs, cls, "load", "predict_action_probabilities", config)
        ensemble_needs[f"policy{index}"] = name
    nodes["select_prediction"] = SchemaNode(
        ensemble_needs, ensemble or DefaultPolicyPredictionEnsemble, "load", "combine_predictions_from_kwargs", {}
    )
    return GraphSchema(nodes)


class _Metadata:
    def __init__(self, schema):
        self.predict_schema = schema
        self.core_target = "select_prediction"


def _our_policies():
    from rasa.core.policies.memoization import MemoizationPolicy
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.core.policies.ted_policy import TEDPolicy

    return [(RulePolicy, {}), (MemoizationPolicy, {"max_history": 5}), (TEDPolicy, {"max_history": 5})]


def test_plan_skips_memoization_and_ted_behind_the_rule_policy():
    plan = decisive_rules.plan_for(_Metadata(_schema(*_our_policies())))
    assert plan is not None
    assert plan.rule_node == "run_RulePolicy0"
    assert plan.skippable == {
        "run_MemoizationPolicy1": ("MemoizationPolicy", 3),
        "run_TEDPolicy2": ("TEDPolicy", 1),
    }


def test_no_plan_for_a_policy_it_cannot_reason_about():
    from rasa.core.policies.unexpected_intent_policy import UnexpecTEDIntentPolicy

    schema = _schema(*_our_policies(), (UnexpecTEDIntentPolicy, {}))
    assert decisive_rules.plan_for(_Metadata(schema)) is None


def test_no_plan_when_ted_reads_the_user_text():
    needs = {"domain": "domain_provider", "tracker": "__tracker__", "precomputations": "e2e_features"}
    schema = _schema(*_our_policies(), ted_needs=needs)
    assert decisive_rules.plan_for(_Metadata(schema)) is None


def test_no_plan_when_a_skipped_policy_could_outrank_the_rules():
    policies = _our_policies()
    policies[2] = (policies[2][0], {"priority": 7})
    assert decisive_rules.plan_for(_Metadata(_schema(*policies))) is None


def test_no_plan_for_another_ensemble_or_without_rules():
    from rasa.core.policies.ensemble import PolicyPredictionEnsemble

    assert decisive_rules.plan_for(_Metadata(_schema(*_our_policies(), ensemble=PolicyPredictionEnsemble))) is None
    assert decisive_rules.plan_for(_Metadata(_schema(*_our_policies()[1:]))) is None


def _tracker(*events):
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events(
        "t", [ActionExecuted("action_listen"), UserUttered("bonjour", {"name": "greet"}), *events]
    )


def _prediction(confidence):
    from rasa.core.policies.policy import PolicyPrediction

    return PolicyPrediction([0.0, confidence, 0.0], "RulePolicy", 6)


def test_only_a_certain_rule_is_decisive():
    assert decisive_rules.is_decisive(_prediction(1.0), _tracker())
    assert not decisive_rules.is_decisive(_prediction(0.3), _tracker())  # the core fallback


def test_a_rejected_action_is_never_decisive():
    from rasa.shared.core.events import ActionExecutionRejected

    assert not decisive_rules.is_decisive(_prediction(1.0), _tracker(ActionExecutionRejected("utter_greet")))


def test_install_patches_the_processor_once():
    from rasa.core.processor import MessageProcessor

    was_installed = decisive_rules.is_installed()  # other tests may have built a server
    decisive_rules.uninstall()
    rasa_method = MessageProcessor._predict_next_with_tracker
    try:
        assert not decisive_rules.is_installed()
        decisive_rules.install()
        patched = MessageProcessor._predict_next_with_tracker
        decisive_rules.install()
        assert MessageProcessor._predict_next_with_tracker is patched is not rasa_method
        assert decisive_rules.is_installed()
        decisive_rules.uninstall()
        assert MessageProcessor._predict_next_with_tracker is rasa_method
    finally:
        if was_installed:
            decisive_rules.install()


@pytest.mark.rasa
def test_every_prediction_of_our_conversations_is_rasas(trained_model):
    result = run_probe("tests.decisive_rules_probe", trained_model, timeout=600)
    assert result["different"] == 0, result["differences"]
    assert result["compared"] > 200
    # both paths ran: most turns skip TED, some do not
    assert 0 < result["decisive"] < result["compared"]
    # and these conversations would catch a patch that skips when the rule is not certain
    assert result["reckless_different"] > 0
