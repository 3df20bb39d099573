"""kg's KGX export checked by ``kgx validate`` (kgx's own validator, the function its command
runs) against the Biolink Model 4.4.6 that the ``biolink-model`` wheel ships, offline.

kgx and its toolkit (bmt) fetch three files from the network at start-up: the model YAML,
the JSON-LD prefix context and bmt's predicate mapping. The test gives them the wheel's model
YAML and prefix map instead; the wheel has no predicate mapping (bmt uses it only to map
non-Biolink predicates, which validation never calls), so an empty one is served from
127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.model.vocab import ENTITY
from kg.store.knowledge import Knowledge, load_knowledge
from kg.views.formats.kgx import LOCAL_PREFIX, kgx_tables, node_ids
from tests.support import require

# bmt reads the predicate mapping with a bare requests.get() and never closes the connection.
pytestmark = [
    pytest.mark.filterwarnings("ignore:unclosed <socket:ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(scope="module")
def view() -> Knowledge:
    return load_knowledge()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def biolink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    try:
        import biolink_model
        import bmt.toolkit
    except ImportError:
        require("kgx and biolink-model are not installed (pip install -e '.[test]')")
    wheel = Path(next(iter(biolink_model.__path__)))
    served = tmp_path_factory.mktemp("biolink")
    (served / "predicate_mapping.yaml").write_text("predicate mappings: []\n", encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    defaults = bmt.toolkit.Toolkit.__init__.__defaults__
    predicates = f"http://127.0.0.1:{server.server_port}/predicate_mapping.yaml"
    bmt.toolkit.Toolkit.__init__.__defaults__ = (
        str(wheel / "schema" / "biolink_model.yaml"),
        predicates,
    )
    prefixes = json.loads((wheel / "prefixmaps" / "biolink-model-prefix-map.json").read_text())
    try:
        yield {"prefixes": prefixes}
    finally:
        bmt.toolkit.Toolkit.__init__.__defaults__ = defaults
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _validate(
    biolink: dict[str, Any], nodes: str, edges: str, tmp: Path, extra: dict[str, str]
) -> dict[str, Any]:
    import kgx.config
    from kgx.cli.cli_utils import validate

    kgx.config.jsonld_context_map["biolink"] = {**biolink["prefixes"], **extra}
    (tmp / "kg_nodes.tsv").write_text(nodes, encoding="utf-8")
    (tmp / "kg_edges.tsv").write_text(edges, encoding="utf-8")
    files = [str(tmp / "kg_nodes.tsv"), str(tmp / "kg_edges.tsv")]
    report = validate(files, "tsv", None, str(tmp / "report.json"))
    return dict(report)


def _kgx_camelcase_only(report: dict[str, Any]) -> None:
    """kgx's CamelCase regex rejects Biolink's own MicroRNA and SiRNA; the model has both."""
    from kgx.validator import Validator

    toolkit = Validator.get_toolkit()
    assert toolkit.get_model_version() == "4.4.6"
    assert set(report) <= {"ERROR"}
    assert set(report.get("ERROR", {})) <= {"INVALID_CATEGORY"}
    for message in report.get("ERROR", {}).get("INVALID_CATEGORY", {}):
        name = message.split("'")[1]
        assert message == f"Category '{name}' is not in CamelCase form"
        assert toolkit.is_category(name)


def test_kgx_validate_passes(view: Knowledge, biolink: dict[str, Any], tmp_path: Path) -> None:
    nodes, edges = kgx_tables(view)
    report = _validate(biolink, nodes, edges, tmp_path, {LOCAL_PREFIX: str(ENTITY)})
    _kgx_camelcase_only(report)


def test_without_kg_prefix_only_local_ids_are_reported(
    view: Knowledge, biolink: dict[str, Any], tmp_path: Path
) -> None:
    nodes, edges = kgx_tables(view)
    report = _validate(biolink, nodes, edges, tmp_path, {})
    bad = report["ERROR"].pop("INVALID_NODE_PROPERTY_VALUE")
    report["ERROR"].pop("INVALID_EDGE_PROPERTY_VALUE")
    local = {i for i in node_ids(view).values() if i.startswith(f"{LOCAL_PREFIX}:")}
    assert {m.split("'")[3] for m in bad} == local
    _kgx_camelcase_only(report)


def test_kgx_validate_reports_a_bad_predicate(
    view: Knowledge, biolink: dict[str, Any], tmp_path: Path
) -> None:
    nodes, edges = kgx_tables(view)
    broken = edges.replace("\tbiolink:affects\t", "\tbiolink:cures_everything\t", 1)
    report = _validate(biolink, nodes, broken, tmp_path, {LOCAL_PREFIX: str(ENTITY)})
    assert "Edge predicate 'cures_everything' is not in Biolink Model" in json.dumps(report)


def test_edges_carry_knowledge_source_and_publications(view: Knowledge) -> None:
    _, edges = kgx_tables(view)
    header, *rows = [line.split("\t") for line in edges.splitlines()]
    records = [dict(zip(header, row, strict=True)) for row in rows]
    assert len(records) == view.mechanisms.number_of_edges()
    assert all(r["primary_knowledge_source"] and r["publications"] for r in records)
    signed = [r for r in records if r["object_direction_qualifier"]]
    assert {r["object_direction_qualifier"] for r in signed} == {"increased", "decreased"}
