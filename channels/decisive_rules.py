"""Skip the memoization and TED policies when a rule already decides the next action.

The problem (Rasa 3.6): to predict each next action, the graph runs every policy, then the
ensemble (`DefaultPolicyPredictionEnsemble`) keeps the best prediction. In this assistant a
rule decides almost every turn (topic answers, safety, forms), with confidence 1.0, and the
RulePolicy has the highest priority: whatever TED and the memoization policy predict, the
ensemble keeps the rule. Yet TED cost about 6 ms per prediction, two or more predictions a
turn: a third of the time of a turn (README, "Benchmark").

Why skipping them changes nothing, read from `DefaultPolicyPredictionEnsemble`:
- a prediction wins on (max confidence, priority), compared strictly; a rule at 1.0 with a
  priority above every skipped policy cannot be beaten, and ties go to the higher priority;
- end-to-end predictions beat the others: memoization never makes one, and TED can only when
  it reads the user's text, which needs an end-to-end input in the graph (checked below);
- "no user" predictions beat the others: only the RulePolicy makes them;
- the final events are the mandatory events of all predictions plus the optional events of
  the winner: these two policies add no mandatory event (TED's entity events are optional);
- when the last action was rejected, the ensemble zeroes it in every prediction, so the rule
  may lose: no skipping then.

The mechanism: `install()` replaces `MessageProcessor._predict_next_with_tracker` once. The
new version runs the RulePolicy node of the graph alone; when its prediction is decisive, it
runs the ensemble node with the skipped policies replaced by predictions that abstain (every
confidence 0.0), otherwise with the real ones. Both runs go through Rasa's own graph runner
and ensemble. A model whose graph has any other policy, another ensemble or an end-to-end
input keeps Rasa's code path. tests/test_decisive_rules.py runs the same conversations both
ways on the trained model and compares every predicted action, policy and confidence.

Installed from the channels' `blueprint()` (see `channels/server_fixes.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from channels.patching import Patch

_PLAN_ATTRIBUTE = "_decisive_rules_plan"

# the only inputs a skipped policy may read: no user text, so never an end-to-end prediction
_PLAIN_INPUTS = {"domain", "rule_only_data", "tracker"}


@dataclass(frozen=True)
class Plan:
    """Which graph nodes to run, and which ones may be skipped, for one trained model."""

    target: str
    rule_node: str
    skippable: dict[str, tuple[str, int]]  # node -> (policy name, priority)


def plan_for(model_metadata: Any) -> Plan | None:
    """The plan for a model, or None when its graph must run as Rasa runs it."""
    from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
    from rasa.core.policies.memoization import AugmentedMemoizationPolicy, MemoizationPolicy
    from rasa.core.policies.policy import Policy
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.core.policies.ted_policy import TEDPolicy

    schema = getattr(model_metadata, "predict_schema", None)
    target = getattr(model_metadata, "core_target", None)
    if schema is None or target not in schema.nodes:
        return None
    if schema.nodes[target].uses is not DefaultPolicyPredictionEnsemble:
        return None

    rule_nodes: dict[str, int] = {}
    skippable: dict[str, tuple[str, int]] = {}
    for node_name in schema.nodes[target].needs.values():
        node = schema.nodes.get(node_name)
        if node is None or not isinstance(node.uses, type) or not issubclass(node.uses, Policy):
            continue
        priority = {**node.uses.get_default_config(), **node.config}["priority"]
        if node.uses is RulePolicy:
            rule_nodes[node_name] = priority
        elif node.uses in (MemoizationPolicy, AugmentedMemoizationPolicy, TEDPolicy) and set(
            node.needs
        ) <= _PLAIN_INPUTS:
            skippable[node_name] = (node.uses.__name__, priority)
        else:
            return None  # a policy we cannot reason about
    if len(rule_nodes) != 1 or not skippable:
        return None
    (rule_node, rule_priority), = rule_nodes.items()
    if any(priority >= rule_priority for _, priority in skippable.values()):
        return None
    return Plan(target=target, rule_node=rule_node, skippable=skippable)


def is_decisive(rule_prediction: Any, tracker: Any) -> bool:
    """True when no skipped policy could change the ensemble's choice."""
    from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected

    last_action = next(
        (e for e in reversed(tracker.events) if isinstance(e, ActionExecutionRejected | ActionExecuted)),
        None,
    )
    if isinstance(last_action, ActionExecutionRejected):
        return False
    return rule_prediction.max_confidence >= 1.0


def _message_processor() -> type:
    from rasa.core.processor import MessageProcessor

    return MessageProcessor


_PATCH = Patch(_message_processor, "_predict_next_with_tracker")


def _predict_next_with_tracker(self: Any, tracker: Any) -> Any:
    """Rasa's `MessageProcessor._predict_next_with_tracker`, skipping what cannot win."""
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.engine.constants import PLACEHOLDER_TRACKER

    cached = getattr(self, _PLAN_ATTRIBUTE, None)
    if cached is None or cached[0] is not self.model_metadata:
        cached = (self.model_metadata, plan_for(self.model_metadata))
        setattr(self, _PLAN_ATTRIBUTE, cached)
    plan = cached[1]
    if plan is None or tracker.followup_action:
        return _PATCH.original(self, tracker)

    inputs = {PLACEHOLDER_TRACKER: tracker}
    rule_prediction = self.graph_runner.run(inputs=inputs, targets=[plan.rule_node])[plan.rule_node]
    inputs[plan.rule_node] = rule_prediction
    if is_decisive(rule_prediction, tracker):
        size = len(self.domain.action_names_or_texts)
        for node, (policy_name, priority) in plan.skippable.items():
            inputs[node] = PolicyPrediction([0.0] * size, policy_name, priority)
    return self.graph_runner.run(inputs=inputs, targets=[plan.target])[plan.target]


def install() -> None:
    """Patch `MessageProcessor._predict_next_with_tracker` (idempotent)."""
    _PATCH.apply(_predict_next_with_tracker)


def uninstall() -> None:
    """Restore Rasa's method (for tests)."""
    _PATCH.restore()


def is_installed() -> bool:
    return _PATCH.installed
