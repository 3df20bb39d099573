"""The comparison key of a name: case, Greek letters, subscripts and punctuation ignored.

Shared by name resolution, validation (is the identifier's name one of the entity's names?),
coverage and the importers.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key"]

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "θ": "theta", "ω": "omega", "σ": "sigma", "τ": "tau",
}  # fmt: skip
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
#: One table for what follows lower-casing: subscript digits and spelled-out Greek letters.
_FOLD = str.maketrans({**{chr(k): chr(v) for k, v in _SUBSCRIPTS.items()}, **_GREEK})
_DROP = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """The comparison key of a name.

    >>> name_key("TNF-α") == name_key("tnf alpha") == name_key("TNF-alpha")
    True
    >>> name_key("NF-κB") == name_key("NF-kappaB")
    True
    >>> name_key("H ₂ O ₂")
    'h2o2'
    """
    text = unicodedata.normalize("NFC", name).lower().translate(_FOLD)
    return _DROP.sub("", text)
