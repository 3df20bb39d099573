"""The derived views are cached by content hash and rebuilt when the data changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.model import shipped
from kg.model.errors import NotFoundError
from kg.store import knowledge, rdf


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


def test_second_load_uses_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    files = _copy(tmp_path)
    first = knowledge.load_knowledge(files)
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 1
    _forbid_parsing(monkeypatch)
    second = knowledge.load_knowledge(files)
    assert second.evidence == first.evidence
    assert sorted(second.mechanisms.edges(keys=True)) == sorted(first.mechanisms.edges(keys=True))


def test_changed_content_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    files = _copy(tmp_path)
    knowledge.load_knowledge(files)
    review = next(f for f in files if f.name == "review.ttl")
    review.write_text(review.read_text().replace('"PTEN"', '"PTEN (edited)"', 1))
    edited = knowledge.load_knowledge(files)
    assert edited.label("PTEN") == "PTEN (edited)"
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 2


def test_corrupt_cache_entry_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    files = _copy(tmp_path)
    knowledge.load_knowledge(files)
    (entry,) = (tmp_path / "cache").glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert knowledge.load_knowledge(files).references[20].year == 2018


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", "off")
    assert knowledge.cache_dir() is None
    knowledge.load_knowledge(_copy(tmp_path))
    assert not list(tmp_path.glob("**/*.pickle"))


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
