"""The review's text, and checking that quotes occur in it.

Quotes are compared after collapsing every run of whitespace to one space, so a quote may
span a line break of the text but must otherwise be verbatim.
"""

from __future__ import annotations

import re

__all__ = ["find_quote", "normalise"]

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse whitespace runs to one space and strip the ends.

    >>> normalise("TNF-  α\\n mediated ")
    'TNF- α mediated'
    """
    return _SPACE.sub(" ", text).strip()


def find_quote(review: str, quote: str) -> bool:
    """Whether ``quote`` occurs in ``review`` (both whitespace-normalised).

    ``review`` should already be normalised (normalise it once, check many quotes).

    >>> find_quote(normalise("miR-21 inhibits\\nPTEN"), "inhibits PTEN")
    True
    """
    needle = normalise(quote)
    return bool(needle) and needle in review
