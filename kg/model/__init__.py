"""The bottom layer: vocabulary, records, errors, the review text and its references, names,
the identifier tables and where the shipped files live. No RDF I/O here."""

__version__ = "0.1.0"
"""kg's version (the same as in ``pyproject.toml``); it is part of the view cache's key."""
