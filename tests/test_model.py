from __future__ import annotations

import pytest

from kg.model.records import Assertion, Evidence, Relation


def _evidence(**kwargs: object) -> Evidence:
    base: dict[str, object] = {"id": "e1", "quote": "q", "section": "8.2", "references": (20,)}
    base.update(kwargs)
    return Evidence(**base)  # type: ignore[arg-type]


def test_assertion_without_evidence_is_refused() -> None:
    with pytest.raises(ValueError, match="no evidence"):
        Assertion("a", "miR-21", Relation.REPRESSES_TARGET, "PTEN", evidence=())


@pytest.mark.parametrize(
    ("relation", "sign"),
    [("increases", 1), ("decreases", -1), ("repressesTarget", -1), ("delivers", 1), ("partOf", 0)],
)
def test_relation_signs(relation: str, sign: int) -> None:
    assert Relation(relation).sign == sign


def test_citation_mismatch_is_derived_from_printed_and_real_references() -> None:
    assert not _evidence(cited=(20,), references=(20,)).citation_mismatch
    assert _evidence(cited=(130,), references=(126,)).citation_mismatch
    assert not _evidence(cited=(), references=(20,)).citation_mismatch
