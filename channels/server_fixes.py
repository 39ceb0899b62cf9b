"""The contained fixes to Rasa 3.6 that our channels install when Rasa builds the server.

- `channels.resilience`: an apology instead of silence when a custom action fails;
- `channels.fast_validation`: action responses validated by a compiled validator;
- `channels.fast_load`: models loaded without tracing a training graph, one spaCy model
  without its unused named-entity recogniser;
- `channels.decisive_rules`: TED and memoization skipped when a rule decides the next action;
- `channels.fast_graph`: the model's graph run by plain recursion instead of dask's scheduler;
- `channels.fast_features`: a message's features combined in one step for DIET;
- `channels.circuit_breaker`: a listen after Rasa's circuit breaker, so that the next message
  is answered.

Rasa calls `InputChannel.blueprint()` once per channel while it builds the Sanic app, before it
loads the model and handles the first message: the one place both channels call `install()`
(see `channels/resilience.py` for why not at import time). Each install is idempotent; the
newer fixes keep their bookkeeping in `channels/patching.py`.
"""

from __future__ import annotations

from channels import (
    circuit_breaker,
    decisive_rules,
    fast_features,
    fast_graph,
    fast_load,
    fast_validation,
    resilience,
)

# each module has install(), uninstall() (for tests) and is_installed()
FIXES = (
    resilience,
    fast_validation,
    fast_load,
    decisive_rules,
    fast_graph,
    fast_features,
    circuit_breaker,
)


def install() -> None:
    for fix in FIXES:
        fix.install()
