"""kg: a knowledge graph of molecular mechanisms for cell-free regenerative therapy of the
intervertebral disc, curated from Bhujel et al. 2022 with per-assertion evidence."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
