"""Exchange formats the field's own tools read: INDRA Statements JSON (:mod:`.indra`), BEL
(:mod:`.bel`), Biolink KGX TSV (:mod:`.kgx`) and CX2 for NDEx and Cytoscape (:mod:`.cx2`).

Each module turns :class:`~kg.store.knowledge.Knowledge` into text and needs no peer library;
the tests read every output with the peer's own library.
"""
