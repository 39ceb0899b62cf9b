"""One attribute of a Rasa class replaced by ours, and how to put Rasa's back.

The server fixes (`channels/server_fixes.py`) each replace a method of a Rasa 3.6 class. This
keeps the bookkeeping they share in one place: the replacement happens once, Rasa's original
is kept for the replacement to call and for tests to restore, and whether the fix is in place
is read from the class itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Patch:
    """The attribute `name` of the class returned by `owner` (imported only when patched)."""

    def __init__(self, owner: Callable[[], type], name: str) -> None:
        self._owner = owner
        self._name = name
        self._replacement: Any = None
        self.original: Any = None  # Rasa's attribute, as stored in the class `__dict__`

    @property
    def installed(self) -> bool:
        return self._replacement is not None and self._owner().__dict__.get(self._name) is self._replacement

    def apply(self, replacement: Any) -> bool:
        """Put `replacement` in place; False, and nothing done, if this patch already is."""
        if self.installed:
            return False
        owner = self._owner()
        self.original = owner.__dict__[self._name]
        setattr(owner, self._name, replacement)
        self._replacement = replacement
        return True

    def restore(self) -> bool:
        """Put Rasa's attribute back (for tests); False if this patch was not in place."""
        if not self.installed:
            return False
        setattr(self._owner(), self._name, self.original)
        self._replacement = None
        return True
