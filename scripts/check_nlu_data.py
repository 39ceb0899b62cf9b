"""Checks of the NLU training data that `rasa data validate` does not make.

- the same example (case and accents ignored) under two intents, or twice in one;
- near-copies within an intent (token Jaccard >= 0.8, three words or more): they add nothing
  and inflate cross-validation;
- a mention of a treatment or cancer-type synonym left unannotated (DIET then learns that the
  word is not an entity);
- outside the safety intents, an example that the red-flag detector reads as an emergency or a
  crisis (the served label would be the safety one, not the trained one);
- an `aspect` annotation outside `follow_up`: AspectExtractor only reads follow-up messages, so
  the annotation would teach DIET what the served model never does;
- a line inside an `examples: |` block that is no example (a `#` comment there is text of the
  block, which Rasa skips with a warning).

Prints one line per problem; exit status 1 when there is any. `--only FILE...` limits the report
to examples of those files (the whole data set is still used for duplicates).
"""
from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from components.red_flags import detect  # noqa: E402
from components.text import fold  # noqa: E402

NLU = ROOT / "data" / "nlu"
LOOKUPS = ROOT / "data" / "lookups"
SAFETY_INTENTS = {"emergency_symptoms", "crisis_distress"}
_ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")
_EXAMPLE = re.compile(r"^\s*- (.*)$")
_ASPECT = re.compile(r'\{[^}]*"entity": *"aspect"')
ASPECT_INTENT = "follow_up"
# cancer-type forms checked for annotation: disease names, not organ words ("reins", "bouche"
# are often about the body, not the cancer)
_DISEASE = re.compile(r"cancer|carcinome|leucemie|lymphome|myelome|melanome|sarcome|gliome|glioblastome|tumeur")


def tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(text)))


def plain(example: str) -> str:
    return _ANNOTATION.sub(lambda m: m.group(1), example)


def _example_block_lines(path: Path) -> Iterator[tuple[str, int, str]]:
    """(intent, line number, line) of each line inside the `examples: |` blocks of one NLU file."""
    intent, in_examples = None, False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("- intent:"):
            intent, in_examples = line.split(":", 1)[1].strip(), False
        elif line.startswith("- "):
            intent = None
        elif intent and line.strip() == "examples: |":
            in_examples = True
        elif intent and in_examples:
            yield intent, number, line


def examples(path: Path) -> list[tuple[str, str, int]]:
    """(intent, raw example, line number) of one NLU file."""
    return [(intent, match.group(1), number) for intent, number, line in _example_block_lines(path)
            if (match := _EXAMPLE.match(line))]


def stray_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, line) of the lines of an `examples: |` block that are no example: a `#`
    comment there is part of the block's text, and Rasa skips it with a warning (2026-12-07,
    twenty-second sitting). A line indented less than the examples (4 spaces) ends the block."""
    return [(number, line.strip()) for _, number, line in _example_block_lines(path)
            if line.strip() and line.startswith(" " * 4) and not _EXAMPLE.match(line)]


def synonyms() -> dict[str, str]:
    """Lower-case, accent-free surface form -> entity, from the lookup files' synonyms."""
    entity_of_file = {"treatment.yml": "treatment", "treatment_drugs.yml": "treatment", "cancer_type.yml": "cancer_type"}
    forms: dict[str, str] = {}
    for name, entity in entity_of_file.items():
        data = yaml.safe_load((LOOKUPS / name).read_text(encoding="utf-8"))
        for block in data.get("nlu", []):
            if "synonym" in block:
                for line in block["examples"].splitlines():
                    form = line.strip().lstrip("- ").strip()
                    if len(form) >= 4 and (entity == "treatment" or _DISEASE.search(fold(form))):
                        forms[fold(form)] = entity
    return forms


def unannotated(example: str, forms: dict[str, str]) -> list[str]:
    """Synonym mentions outside any annotation."""
    outside = fold(_ANNOTATION.sub(" ", example))
    return [form for form in forms if re.search(rf"(?<![a-z0-9-]){re.escape(form)}(?![a-z0-9-])", outside)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=None, help="report on these files only")
    args = parser.parse_args()
    only = {Path(p).resolve() for p in args.only} if args.only else None

    everything = [(path, *item) for path in sorted(NLU.glob("*.yml")) for item in examples(path)]
    problems: list[str] = []
    forms = synonyms()
    seen: dict[str, tuple[str, Path, int]] = {}
    by_intent: dict[str, list[tuple[Path, int, set[str], str]]] = defaultdict(list)

    def report(path: Path) -> bool:
        return only is None or path.resolve() in only

    for path in sorted(NLU.glob("*.yml")):
        if report(path):
            problems += [f"{path.relative_to(ROOT)}:{number}: not an example inside an examples block "
                         f"(Rasa skips it): {line}" for number, line in stray_lines(path)]

    for path, intent, raw, number in everything:
        text = plain(raw)
        # accents are kept: an example without its accents is a deliberate variant
        key = re.sub(r"\s+", " ", text.lower()).strip(" ?!.")
        where = f"{path.relative_to(ROOT)}:{number}"
        if key in seen:
            first_intent, first_path, first_line = seen[key]
            if report(path):
                problems.append(f"{where}: duplicate of {first_path.relative_to(ROOT)}:{first_line} "
                                f"({first_intent}): {text}")
        else:
            seen[key] = (intent, path, number)
        by_intent[intent].append((path, number, tokens(text), text))
        if not report(path):
            continue
        # out-of-scope examples use these words in other senses ("la radio", "les reins")
        missing = [] if intent == "out_of_scope" else unannotated(raw, forms)
        if missing:
            problems.append(f"{where}: unannotated {', '.join(sorted(set(missing)))}: {raw}")
        if intent != ASPECT_INTENT and _ASPECT.search(raw):
            problems.append(f"{where}: aspect annotated outside {ASPECT_INTENT}: {raw}")
        if intent not in SAFETY_INTENTS and intent != "personal_medical_advice":
            detection = detect(text)
            if detection.kind and not detection.informational:
                problems.append(f"{where}: the red-flag detector reads a {detection.kind} "
                                f"({', '.join(detection.flags)}) in a {intent} example: {text}")

    for intent, items in by_intent.items():
        for (p1, n1, t1, s1), (p2, n2, t2, s2) in itertools.combinations(items, 2):
            if not (report(p1) or report(p2)) or len(t1) < 3 or len(t2) < 3:
                continue
            if len(t1 & t2) / len(t1 | t2) >= 0.8 and fold(s1) != fold(s2):
                problems.append(f"{p2.relative_to(ROOT)}:{n2}: near-copy of line {n1} ({intent}): {s2}")

    for line in problems:
        print(line)
    counts = defaultdict(int)
    for _, intent, _, _ in everything:
        counts[intent] += 1
    print(f"{len(everything)} examples, {len(counts)} intents; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
