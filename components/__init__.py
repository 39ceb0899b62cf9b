"""Custom Rasa NLU components (see components/safety_guard.py)."""
