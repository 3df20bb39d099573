"""The derived views: the same through Oxigraph as through rdflib, cached by content hash,
rebuilt when the data changes, and a cache entry that cannot be trusted is never read."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from kg.model import shipped
from kg.model.errors import NotFoundError
from kg.model.records import Evidence
from kg.store import cache, knowledge, quads, rdf
from kg.store.knowledge import Knowledge


def _copy(tmp_path: Path) -> list[Path]:
    files = []
    for path in shipped.data_files():
        files.append(tmp_path / path.name)
        shutil.copy(path, files[-1])
    return files


def _forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("parsed although the cache is fresh")

    monkeypatch.setattr(rdf, "load", fail)
    monkeypatch.setattr(quads, "open_store", fail)


def _entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.sqlite"))


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The shipped files copied under ``tmp_path``, loaded once with the cache there (so a
    view file is written)."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    files = _copy(tmp_path)
    knowledge.load_knowledge(files)
    return files


def _leftovers(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.suffix != ".sqlite"] if directory.is_dir() else []


def assert_same_views(new: Knowledge, old: Knowledge) -> None:
    """Every view equal: nodes and edges with all their data, evidence, references."""
    for a, b in ((new.mechanisms, old.mechanisms), (new.entities, old.entities)):
        assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        edges_a = {(u, v, k): d for u, v, k, d in a.edges(keys=True, data=True)}
        edges_b = {(u, v, k): d for u, v, k, d in b.edges(keys=True, data=True)}
        assert edges_a == edges_b
    assert dict(new.evidence.items()) == dict(old.evidence.items())
    assert new.references == old.references
    assert knowledge.evidence_weights(new.evidence) == knowledge.evidence_weights(
        dict(old.evidence)
    )


def test_oxigraph_views_equal_the_rdflib_views_on_the_shipped_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    old = knowledge.derive(rdf.load(shipped.data_files()))
    assert len(old.evidence) > 500
    assert old.mechanisms.number_of_edges() > 400
    assert_same_views(knowledge.load_knowledge(cache=False), old)
    assert_same_views(knowledge.load_knowledge(), old)  # builds the cache entry
    assert_same_views(knowledge.load_knowledge(), old)  # reads it


def test_second_load_uses_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    files = _copy(tmp_path)
    first = knowledge.load_knowledge(files)
    assert len(_entries(tmp_path / "cache")) == 1
    _forbid_parsing(monkeypatch)
    second = knowledge.load_knowledge(files)
    assert dict(second.evidence) == dict(first.evidence)
    assert sorted(second.mechanisms.edges(keys=True)) == sorted(first.mechanisms.edges(keys=True))


def test_evidence_is_read_only_when_asked_for(
    monkeypatch: pytest.MonkeyPatch, cached: list[Path]
) -> None:
    files = cached
    built: list[str] = []
    record = quads.evidence_record

    def counting(eid: str, pairs: object) -> object:
        built.append(eid)
        return record(eid, pairs)  # type: ignore[arg-type]

    monkeypatch.setattr(quads, "evidence_record", counting)
    kg = knowledge.load_knowledge(files)
    weights = knowledge.evidence_weights(kg.evidence)
    assert len(weights) == len(kg.evidence) > 500
    assert "mir21-represses-pten-1" in kg.evidence
    assert built == []
    assert kg.evidence["mir21-represses-pten-1"].references == (20,)
    assert kg.evidence["mir21-represses-pten-1"].quote
    assert built == ["mir21-represses-pten-1"]
    with pytest.raises(KeyError):
        kg.evidence["no-such-evidence"]


def test_changed_content_is_parsed_again(tmp_path: Path, cached: list[Path]) -> None:
    files = cached
    review = next(f for f in files if f.name == "review.ttl")
    review.write_text(review.read_text().replace('"PTEN"', '"PTEN (edited)"', 1))
    edited = knowledge.load_knowledge(files)
    assert edited.label("PTEN") == "PTEN (edited)"
    assert len(_entries(tmp_path / "cache")) == 2


def _wrong_schema(entry: Path) -> None:
    entry.unlink()
    db = sqlite3.connect(entry)
    db.execute("CREATE TABLE meta (name TEXT, value TEXT)")
    db.execute("INSERT INTO meta VALUES ('format', ?)", (cache.FORMAT,))
    db.commit()
    db.close()


def _wrong_format(entry: Path) -> None:
    db = sqlite3.connect(entry)
    db.execute("UPDATE meta SET value = 'kg-views 0'")
    db.commit()
    db.close()


def _truncated(entry: Path) -> None:
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])


def _damaged_graph(entry: Path) -> None:
    db = sqlite3.connect(entry)
    (data,) = db.execute("SELECT data FROM graphs WHERE view = 0").fetchone()
    middle = len(data) // 2
    damaged = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]
    db.execute("UPDATE graphs SET data = ? WHERE view = 0", (damaged,))
    db.commit()
    db.close()


def _pickle(entry: Path) -> None:
    entry.write_bytes(b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00K\x01.")


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: e.write_bytes(b"not a database"),
        lambda e: e.write_bytes(b""),
        _truncated,
        _pickle,
        _wrong_schema,
        _wrong_format,
        _damaged_graph,
    ],
    ids=["garbage", "empty", "truncated", "pickle", "wrong-schema", "wrong-format", "graph"],
)
def test_cache_entry_of_the_wrong_shape_is_rebuilt(
    tmp_path: Path, damage: object, cached: list[Path]
) -> None:
    files = cached
    (entry,) = _entries(tmp_path / "cache")
    damage(entry)  # type: ignore[operator]
    kg = knowledge.load_knowledge(files)
    assert kg.references[20].year == 2018
    assert kg.evidence["mir21-represses-pten-1"].references == (20,)
    assert cache.open_entry(entry) is not None  # rebuilt in place
    assert _leftovers(tmp_path / "cache") == []


def test_cache_in_a_directory_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("KG_CACHE_DIR", str(shared))
    knowledge.load_knowledge(_copy(tmp_path))
    assert list(shared.iterdir()) == []  # nothing written, so nothing planted could be read
    assert not cache.private_directory(shared)


def test_new_cache_directory_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "a" / "cache"))
    knowledge.load_knowledge(_copy(tmp_path))
    assert (tmp_path / "a" / "cache").stat().st_mode & 0o777 == 0o700
    (entry,) = _entries(tmp_path / "a" / "cache")
    assert entry.stat().st_mode & 0o777 == 0o600


@pytest.mark.usefixtures("cached")
def test_entry_writable_by_others_or_a_symlink_is_not_read(tmp_path: Path) -> None:
    (entry,) = _entries(tmp_path / "cache")
    entry.chmod(0o666)
    assert cache.open_entry(entry) is None
    entry.chmod(0o600)
    moved = tmp_path / "elsewhere.sqlite"
    entry.rename(moved)
    entry.symlink_to(moved)
    assert cache.open_entry(entry) is None
    assert cache.open_entry(moved) is not None


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a file to another user")
@pytest.mark.usefixtures("cached")
def test_entry_owned_by_another_user_is_not_read(tmp_path: Path) -> None:
    (entry,) = _entries(tmp_path / "cache")
    os.chown(entry, 65534, 65534)
    assert cache.open_entry(entry) is None
    os.chown(tmp_path / "cache", 65534, 65534)
    assert not cache.private_directory(tmp_path / "cache")


def test_obstructed_entry_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(directory))
    files = _copy(tmp_path)
    directory.mkdir(mode=0o700)
    target = directory / f"{knowledge._key(files)}.sqlite"
    target.mkdir()  # a directory where the entry should go
    (target / "x").write_text("keep me")
    assert knowledge.load_knowledge(files).references[20].year == 2018
    assert sorted(p.name for p in directory.iterdir()) == [target.name]
    assert (target / "x").read_text() == "keep me"


def test_full_disk_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(directory))
    files = _copy(tmp_path)
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd: int, mode: str) -> None:
            self.handle = real_fdopen(fd, mode)

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *_exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[:10])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", Full)
    assert knowledge.load_knowledge(files).references[20].year == 2018
    assert list(directory.iterdir()) == []


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", "off")
    assert knowledge.cache_dir() is None
    knowledge.load_knowledge(_copy(tmp_path))
    assert not list(tmp_path.glob("**/*.sqlite"))


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such file"):
        knowledge.load_knowledge([tmp_path / "nope.ttl"])


def test_the_key_covers_the_code_that_derives_the_views(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _copy(tmp_path)
    before = knowledge._key(files)
    monkeypatch.setattr(knowledge, "_VIEW_CODE", (*knowledge._VIEW_CODE, "reasoning/paths.py"))
    assert knowledge._key(files) != before


def test_add_edges_builds_what_networkx_builds() -> None:
    import networkx as nx

    edges: list[tuple[str, str, str, dict[str, object]]] = [
        ("a", "b", "k1", {"sign": 1}),
        ("a", "b", "k2", {"sign": -1}),
        ("b", "a", "k3", {"sign": 1}),
        ("c", "c", "k4", {"sign": 0}),
        ("a", "b", "k1", {"extra": True}),
    ]
    ours, theirs = nx.MultiDiGraph(), nx.MultiDiGraph()
    ours.add_node("z", label="isolated")
    theirs.add_node("z", label="isolated")
    cache.add_edges(ours, edges)
    theirs.add_edges_from(edges)
    assert nx.utils.graphs_equal(ours, theirs)
    assert dict(ours.pred) == dict(theirs.pred)
    assert list(ours.in_edges("b", keys=True, data=True)) == list(
        theirs.in_edges("b", keys=True, data=True)
    )
    assert ours._succ["a"]["b"] is ours._pred["b"]["a"]
    ours.remove_edge("a", "b", "k1")
    assert not ours.has_edge("a", "b", "k1")
    assert ours.has_edge("a", "b", "k2")


_TEXT: dict[str, Any] = {
    "quote": "", "section": "", "citation_printed": None, "citation_note": None,
    "context": None, "inference_reason": None, "printed_as": None, "note": None,
    "source": None, "source_record": None, "support_type": None,
}  # fmt: skip


def test_the_searches_read_every_record_but_its_text(cached: list[Path]) -> None:
    # a light record is the whole record with its text left out, field for field
    files = cached
    kg = knowledge.load_knowledge(files)  # from the view file
    light = kg.search_evidence
    assert light is not kg.evidence
    assert len(light) == len(kg.evidence) > 500
    whole = {eid: kg.evidence[eid] for eid in kg.evidence}
    fresh = knowledge.load_knowledge(files)  # nothing decoded yet
    records = {eid: fresh.search_evidence[eid] for eid in whole}
    assert {eid: replace(r, **_TEXT) for eid, r in whole.items()} == records
    assert all(r.quote == "" for r in records.values())
    assert light.profiles() == kg.evidence.profiles()  # type: ignore[attr-defined]
    assert records["mir21-represses-pten-1"].references == (20,)
    # a record the index already decoded is given whole
    assert light["mir21-represses-pten-1"] is kg.evidence["mir21-represses-pten-1"]
    # what is left out is exactly the text fields the decoder knows
    assert set(quads._TEXT_FIELDS.values()) == set(_TEXT) < {f.name for f in fields(Evidence)}


def test_view_files_unused_for_a_month_are_deleted_when_a_new_one_is_written(
    tmp_path: Path, cached: list[Path]
) -> None:
    directory, files = tmp_path / "cache", cached
    (used,) = _entries(directory)
    old = time.time() - (knowledge.STALE_DAYS + 1) * 86400
    stale = directory / ("0" * 64 + ".sqlite")
    recent = directory / ("1" * 64 + ".sqlite")
    remote = directory / ("remote-" + "2" * 40 + ".sqlite")
    other = directory / "notes.sqlite"
    for path in (stale, recent, remote, other):
        path.write_bytes(b"x")
        os.utime(path, (old, old))
    os.utime(recent, None)
    os.utime(used, (old, old))
    knowledge.load_knowledge(files)  # a cache hit marks its file used, deletes nothing
    assert used.stat().st_mtime > old + 86400
    assert stale.exists()
    review = next(f for f in files if f.name == "review.ttl")
    review.write_text(review.read_text().replace('"PTEN"', '"PTEN (edited)"', 1))
    knowledge.load_knowledge(files)  # writes a new file, then prunes
    assert not stale.exists()
    assert [p.exists() for p in (recent, remote, other, used)] == [True] * 4
    views = [p for p in _entries(directory) if len(p.stem) == 64]
    assert len(views) == 3  # used, recent and the new one
