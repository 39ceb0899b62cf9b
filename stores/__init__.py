"""Storage used by the Rasa server (the tracker store)."""
