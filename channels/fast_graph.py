"""Run the model's graph by plain recursion instead of through dask's scheduler.

The problem (Rasa 3.6): `DaskGraphRunner.run` handles every message five times or more (the
NLU graph, then the policies for each predicted action). Each run recomputes the subgraph its
targets need (`GraphSchema.minimal_graph_schema`, a recursive walk), builds a dask graph from
it and hands it to `dask.get`, whose synchronous scheduler orders the tasks, keeps reference
counts and fires them one by one. The nodes themselves do the work; the bookkeeping around
them was about a tenth of a turn (README, "Benchmark").

Why the recursion below computes the same thing, read from `DaskGraphRunner` and `dask.core`:
- a task is `(node, *needed_names)`: dask calls the node with the value of each needed name,
  in the order of `needs`; every `GraphNode` returns `(node_name, output)`;
- an input becomes the literal `(input_name, value)`, and replaces a node of the same name
  (how `channels/decisive_rules.py` passes the rule policy's prediction back in);
- a needed name that is neither a node nor an input is passed as the string itself;
- each name is computed once per run, only if a target needs it; the result maps each target
  to the second item of its value;
- the synchronous scheduler runs in the calling thread and re-raises a node's exception;
  Rasa turns a `RuntimeError` into a `GraphRunError`, as here.
The only freedom dask has is the order of nodes that do not depend on each other; none of
our nodes reads what another one writes outside the values they pass.

The mechanism: `install()` replaces `DaskGraphRunner.run` once. Training (`rasa train` builds
its own runner without our channels) is untouched. tests/test_rasa_model_fast_path.py runs the
same messages through both runners on the trained model and compares the results.

Installed from the channels' `blueprint()` (see `channels/server_fixes.py`).
"""

from __future__ import annotations

from typing import Any

from channels.patching import Patch


def _dask_graph_runner() -> type:
    from rasa.engine.runner.dask import DaskGraphRunner

    return DaskGraphRunner


_PATCH = Patch(_dask_graph_runner, "run")


def run(self: Any, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> dict[str, Any]:
    """`DaskGraphRunner.run` without dask: same inputs, targets, results and errors."""
    from rasa.engine.exceptions import GraphRunError

    nodes = self._graph_schema.nodes  # noqa: SLF001 (the runner's own schema)
    instances = self._instantiated_nodes  # noqa: SLF001
    run_targets = targets if targets else self._graph_schema.target_names  # noqa: SLF001
    values: dict[str, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in nodes:
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure "
                f"that none of the input names passed to the `run` method are the "
                f"same as node names in the graph schema."
            )
        values[name] = (name, value)

    def value_of(name: str) -> Any:
        if name not in values:
            if name not in nodes:
                return name
            values[name] = instances[name](*(value_of(need) for need in nodes[name].needs.values()))
        return values[name]

    try:
        return dict(value_of(target) for target in run_targets)
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error


def install() -> None:
    """Patch `DaskGraphRunner.run` (idempotent)."""
    _PATCH.apply(run)


def uninstall() -> None:
    """Restore Rasa's method (for tests)."""
    _PATCH.restore()


def is_installed() -> bool:
    return _PATCH.installed
