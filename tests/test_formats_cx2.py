"""kg's CX2 export read by the ``ndex2`` library's CX2 reader (``RawCX2NetworkFactory``).

indra pins ndex2 2.0.1, which predates CX2, so the test extras cannot also install ndex2 3.x.
The reader runs in a subprocess from the ndex2 wheel that ``KG_NDEX2_WHEEL`` names (a pure
Python wheel; .ci/run downloads it), or in this environment when its ndex2 has CX2.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from typing import Any

import pytest

from kg.store.knowledge import Knowledge, load_knowledge
from kg.views.formats.cx2 import ARROWS, NODE_SHAPES, cx2_json
from tests.support import require

# Runs with ndex2 3.x: reads the file with ndex2's CX2 reader, converts it to networkx with
# ndex2's factory, and prints what the test checks.
_READER = """
import json, sys
import ndex2
from ndex2.cx2 import CX2NetworkXFactory, RawCX2NetworkFactory
net = RawCX2NetworkFactory().get_cx2network(sys.argv[1])
graph = CX2NetworkXFactory().get_graph(net)
names = {n: d.get("name") for n, d in graph.nodes(data=True)}
print(json.dumps({
    "version": ndex2.__version__,
    "name": net.get_name(),
    "nodes": {str(i): n["v"] for i, n in net.get_nodes().items()},
    "edges": [
        [names[u], names[v], d["sign"], d["assertion"]] for u, v, d in graph.edges(data=True)
    ],
    "style": net.get_visual_properties(),
    "status": net.get_status(),
}))
"""


def _ndex2_environment() -> dict[str, str] | None:
    wheel = os.environ.get("KG_NDEX2_WHEEL")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if wheel:
        return {**env, "PYTHONPATH": wheel}
    if importlib.util.find_spec("ndex2.cx2") is not None:
        return env
    return None


@pytest.fixture(scope="module")
def view() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="module")
def read(view: Knowledge, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    env = _ndex2_environment()
    if env is None:
        require("no ndex2 with CX2: set KG_NDEX2_WHEEL to an ndex2>=3.6 wheel")
    path = tmp_path_factory.mktemp("cx2") / "kg.cx2"
    path.write_text(cx2_json(view), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", _READER, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_ndex2_reads_every_node_and_edge(view: Knowledge, read: dict[str, Any]) -> None:
    assert int(read["version"].split(".")[0]) >= 3
    assert read["status"] == {"error": "", "success": True}
    assert {n["kg_id"] for n in read["nodes"].values()} == set(view.mechanisms)
    expected = sorted(
        [view.label(u), view.label(v), d["sign"], key]
        for u, v, key, d in view.mechanisms.edges(keys=True, data=True)
    )
    assert sorted(read["edges"]) == expected


def test_style_maps_sign_to_arrow_and_type_to_shape(read: dict[str, Any]) -> None:
    style = read["style"]
    arrows = style["edgeMapping"]["EDGE_TARGET_ARROW_SHAPE"]["definition"]
    assert arrows["attribute"] == "sign"
    assert {m["v"]: m["vp"] for m in arrows["map"]} == {1: "triangle", -1: "tee", 0: "none"}
    colours = style["edgeMapping"]["EDGE_LINE_COLOR"]["definition"]["map"]
    assert {m["v"]: m["vp"] for m in colours} == {s: a[1] for s, a in ARROWS.items()}
    shapes = style["nodeMapping"]["NODE_SHAPE"]["definition"]
    assert shapes["attribute"] == "type"
    assert {m["v"]: m["vp"] for m in shapes["map"]} == {t: s for t, (s, _) in NODE_SHAPES.items()}


def test_edges_keep_their_evidence(view: Knowledge, read: dict[str, Any]) -> None:
    data = json.loads(cx2_json(view))
    edges = next(a["edges"] for a in data if "edges" in a)
    edge = next(e for e in edges if e["v"]["assertion"] == "mir21-represses-pten")
    assert edge["v"]["sign"] == -1
    assert edge["v"]["quotes"][0] == view.evidence["mir21-represses-pten-1"].quote
    assert edge["v"]["references"][0] == "[20] Cheng et al. 2018"
    assert read["name"].startswith("kg")
