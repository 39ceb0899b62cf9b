"""channels/fast_graph.py runs the graph exactly as Rasa's dask runner does, on a small graph
of plain components (tests/test_rasa_model_fast_path.py compares it on the trained model)."""

from __future__ import annotations

import pytest

from channels import fast_graph
from scripts.stack import ROOT

CALLS: list[str] = []


class Step:
    """A component that records its calls and returns what it was given, tagged."""

    def __init__(self, tag: str) -> None:
        self.tag = tag

    @staticmethod
    def get_default_config() -> dict:
        return {}

    @classmethod
    def create(cls, config, model_storage, resource, execution_context):
        return cls(config["tag"])

    def run(self, **kwargs):
        CALLS.append(self.tag)
        if "boom" in kwargs.values():
            raise RuntimeError("boom")
        return {self.tag: {key: kwargs[key] for key in sorted(kwargs)}}


def _runner():
    from rasa.engine.graph import ExecutionContext, GraphSchema, SchemaNode
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    def node(tag: str, needs: dict) -> SchemaNode:
        return SchemaNode(needs, Step, "create", "run", {"tag": tag})

    schema = GraphSchema({
        "a": node("a", {"x": "__input__"}),
        "b": node("b", {"first": "a"}),
        "c": node("c", {"first": "a", "second": "b"}),
        "d": node("d", {"missing": "__not_given__"}),
        "unused": node("unused", {"x": "__input__"}),
    })
    storage = LocalModelStorage(ROOT / "var" / "tmp-fast-graph")
    return DaskGraphRunner(schema, storage, ExecutionContext(schema, "test"))


@pytest.fixture
def both():
    """Run the same call through Rasa's runner and ours; return both results and call logs."""
    def run(**kwargs):
        was = fast_graph.is_installed()
        results = []
        try:
            for install in (False, True):
                (fast_graph.install if install else fast_graph.uninstall)()
                CALLS.clear()
                try:
                    results.append((_runner().run(**kwargs), sorted(CALLS)))
                except Exception as error:  # noqa: BLE001 (the error is the result)
                    results.append((type(error).__name__, sorted(CALLS)))
        finally:
            (fast_graph.install if was else fast_graph.uninstall)()
        return results
    return run


def test_same_results_and_only_the_needed_nodes(both):
    rasa, ours = both(inputs={"__input__": 1}, targets=["c"])
    assert ours == rasa
    assert rasa[1] == ["a", "b", "c"]  # "a" once, "unused" never
    assert rasa[0]["c"]["c"]["second"]["b"]["first"]["a"]["x"] == 1


def test_an_input_replaces_the_node_of_that_name(both):
    rasa, ours = both(inputs={"__input__": 1, "a": "given"}, targets=["c"])
    assert ours == rasa
    assert "a" not in rasa[1]


def test_errors_are_the_same(both):
    rasa, ours = both(inputs={"__input__": "boom"}, targets=["c"])
    assert ours == rasa == ("GraphComponentException", ["a"])  # Rasa wraps what a node raises
    rasa, ours = both(inputs={"__input__": 1, "x": "c"}, targets=["c"])
    assert ours == rasa and rasa[0] == "GraphRunError"  # an input value naming a node
    rasa, ours = both(inputs={"__input__": 1}, targets=["d"])
    assert ours == rasa and rasa[0] == "GraphRunError"  # an input nobody gave


def test_install_patches_the_runner_once():
    from rasa.engine.runner.dask import DaskGraphRunner

    was_installed = fast_graph.is_installed()
    fast_graph.uninstall()
    rasa_run = DaskGraphRunner.run
    try:
        fast_graph.install()
        fast_graph.install()
        assert DaskGraphRunner.run is fast_graph.run is not rasa_run
        fast_graph.uninstall()
        assert DaskGraphRunner.run is rasa_run
    finally:
        if was_installed:
            fast_graph.install()
