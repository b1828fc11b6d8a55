"""Currencies as ISO 4217 codes (from the pycountry package): what a deal's currency may
be, and the order forms offer them in (the most used first, then A to Z)."""

from __future__ import annotations

import pycountry

FIRST = ("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "CNY", "INR")
# X codes are gold, bond units and test codes, but for four currencies of real countries
_REAL_X = {"XAF", "XCD", "XOF", "XPF"}
CODES = frozenset(
    c.alpha_3 for c in pycountry.currencies if not c.alpha_3.startswith("X") or c.alpha_3 in _REAL_X
)
OFFERED = (*FIRST, *sorted(CODES - set(FIRST)))
