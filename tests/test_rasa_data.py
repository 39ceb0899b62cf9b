"""Training data, domain and configuration are consistent (rasa data validate)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRAINING_DATA = ["data/nlu", "data/lookups", "data/rules", "data/stories"]


def test_rasa_data_validate_has_no_warning():
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run(
        [str(rasa), "data", "validate", "--fail-on-warnings", "--data", *TRAINING_DATA,
         "--domain", "domain.yml", "--config", "config.yml"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def test_nlu_data_checks_find_no_problem():
    """scripts/check_nlu_data.py: duplicates, near-copies, unannotated entities, red flags."""
    result = subprocess.run(
        [sys.executable, "scripts/check_nlu_data.py"], cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_nlu_data_checks_catch_each_kind_of_problem(tmp_path, monkeypatch, capsys):
    from scripts import check_nlu_data

    nlu = tmp_path / "nlu"
    nlu.mkdir()
    (nlu / "a.yml").write_text(
        'version: "3.1"\nnlu:\n'
        "- intent: immunotherapy\n  examples: |\n"
        "    - c'est quoi l'immunothérapie exactement\n"
        "    - c'est quoi l'immunothérapie exactement ?\n"
        "    - l'immunothérapie c'est quoi exactement donc\n"
        "- intent: trial_eligibility\n  examples: |\n"
        "    - j'ai 39,5 de fièvre, je peux entrer dans un essai ?\n"
        '    - et les [effets secondaires]{"entity": "aspect", "value": "side_effects"} des essais\n'
        "  # a comment between two intents is YAML's\n"
        "- intent: greet\n  examples: |\n"
        "    # a comment inside the block is its text\n"
        "    - bonjour\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(check_nlu_data, "NLU", nlu)
    monkeypatch.setattr(check_nlu_data, "ROOT", tmp_path)
    monkeypatch.setattr(sys, "argv", ["check_nlu_data.py"])
    assert check_nlu_data.main() == 1
    report = capsys.readouterr().out
    assert "a.yml:6: duplicate of nlu/a.yml:5" in report
    assert "a.yml:7: near-copy of line 5" in report
    assert "unannotated immunothérapie" in report or "unannotated immunotherapie" in report
    assert "red-flag detector reads a emergency" in report
    assert "a.yml:11: aspect annotated outside follow_up" in report
    assert "a.yml:15: not an example inside an examples block (Rasa skips it): # a comment inside" in report
    assert ":12:" not in report


def test_unannotated_mentions_are_found_outside_annotations_only():
    from scripts.check_nlu_data import synonyms, unannotated

    forms = synonyms()
    assert "chimio" in unannotated("la chimio ne marche plus", forms)
    annotated = 'la [chimio]{"entity": "treatment", "value": "chimiotherapie"} ne marche plus'
    assert unannotated(annotated, forms) == []
