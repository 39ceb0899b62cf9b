"""`make eval`'s entity scores: each fold's entity predictions kept as JSON next to its intent
predictions, and each extractor scored on the entities it extracts."""
from __future__ import annotations

from pathlib import Path

from actions.constants import ENTITY_ASPECT, INTENT_FOLLOW_UP


def entities_path(target: Path) -> Path:
    """Where a fold's entity predictions are kept, next to its intent predictions."""
    return target.with_name(f"{target.stem}.entities.json")


def encode_entity_results(results: list) -> list[dict]:
    """Rasa's EntityEvaluationResults as JSON (a token as [text, start, end])."""
    return [{"targets": r.entity_targets, "predictions": r.entity_predictions, "message": r.message,
             "tokens": [[t.text, t.start, t.end] for t in r.tokens]} for r in results]


def decode_entity_results(items: list[dict]) -> list:
    from rasa.nlu.test import EntityEvaluationResult
    from rasa.nlu.tokenizers.tokenizer import Token

    return [EntityEvaluationResult(item["targets"], item["predictions"],
                                   [Token(text, start, end) for text, start, end in item["tokens"]],
                                   item["message"]) for item in items]


# An entity annotated only in the messages of some intents: scored on those messages alone.
# `aspect` is annotated in follow-ups only (data/lookups/aspect.yml); the aspect finder also
# runs on topic questions, where an aspect it finds is not an error but is never annotated.
SCOPED_ENTITIES = {ENTITY_ASPECT: frozenset({INTENT_FOLLOW_UP})}


def scope_entities(entity_results: list, gold_intents: dict[str, str],
                   scoped: dict[str, frozenset] = SCOPED_ENTITIES) -> tuple[list, dict[str, int]]:
    """The results with each scoped entity's predictions kept only in the messages whose
    expected intent (`gold_intents`: message -> intent) is one it is annotated in.

    Returns (the results, {entity: how many other messages had it predicted}); those counts
    are reported apart, not scored."""
    from rasa.nlu.test import EntityEvaluationResult

    outside: dict[str, int] = {}
    kept = []
    for result in entity_results:
        intent = gold_intents.get(result.message)
        dropped = {p["entity"] for p in result.entity_predictions
                   if p["entity"] in scoped and intent not in scoped[p["entity"]]}
        for entity in dropped:
            outside[entity] = outside.get(entity, 0) + 1
        predictions = [p for p in result.entity_predictions if p["entity"] not in dropped]
        kept.append(EntityEvaluationResult(result.entity_targets, predictions, result.tokens, result.message))
    return kept, outside


def entity_reports(entity_results: list, out: Path) -> dict:
    """Each extractor's scores on the entities it extracts (token level, as `rasa test nlu`).

    Rasa scores every extractor against every annotated entity, so an extractor that only
    finds `aspect` would show F1 0 on `location`. The rows kept are, per extractor, the entities
    it predicted at least once. Returns {"extractors": {extractor: {entity: metrics}},
    "unpredicted": annotated entities that no extractor predicted}.
    """
    from rasa.nlu.test import _get_active_entity_extractors, evaluate_entities

    for stale in out.glob("*_report.json"):
        if stale.name != "intent_report.json":
            stale.unlink()  # an extractor gone from the config must not linger in the report
    annotated = {target["entity"] for r in entity_results for target in r.entity_targets}
    predicted: dict[str, set] = {}
    for result in entity_results:
        for prediction in result.entity_predictions:
            predicted.setdefault(prediction.get("extractor"), set()).add(prediction["entity"])
    if not annotated and not predicted:
        return {}
    extractors = _get_active_entity_extractors(entity_results)
    evaluation = evaluate_entities(entity_results, extractors, str(out), successes=False, errors=True,
                                   disable_plotting=True, report_as_dict=True)
    return {
        "extractors": {extractor: {label: metrics for label, metrics in result["report"].items()
                                   if label in predicted.get(extractor, set()) and isinstance(metrics, dict)}
                       for extractor, result in evaluation.items()},
        "unpredicted": sorted(annotated - set().union(*predicted.values())),
    }


def entity_table(entities: dict) -> list[str]:
    """One markdown row per extractor and entity it extracts: precision, recall, F1, support;
    then a line per scoped entity found in messages it is not scored in."""
    rows = ["| extractor | entity | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- | --- |"]
    for extractor, report in sorted(entities["extractors"].items()):
        for label, metrics in sorted(report.items()):
            rows.append(f"| {extractor} | {label} | {metrics['precision']:.3f} | {metrics['recall']:.3f} |"
                        f" {metrics['f1-score']:.3f} | {metrics['support']} |")
    rows += [f"| none | {label} | - | 0.000 | - | annotated, never predicted |" for label in entities["unpredicted"]]
    for label, count in sorted((entities.get("outside_scope") or {}).items()):
        intents = ", ".join(sorted(SCOPED_ENTITIES[label]))
        rows += ["", f"`{label}` is annotated in {intents} messages only and scored there; it was also"
                     f" found in {count} messages of other intents (not scored)."]
    return rows
