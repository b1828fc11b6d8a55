"""People's pictures, as their identity provider gives them (the OpenID Connect `picture`
claim): which of them a browser may be given (engine/people.py reads them for cards)."""

from __future__ import annotations

MAX_LENGTH = 8192  # a provider's address, or a small inline image
_SHOWN_SCHEMES = ("https://", "data:image/png;base64,", "data:image/jpeg;base64,")


def shown(url: object) -> str | None:
    """The claim if a browser may load it as an image: https, or an inline PNG or JPEG
    (never javascript:, plain http or an SVG that could carry script)."""
    if not isinstance(url, str) or len(url) > MAX_LENGTH:
        return None
    if any(c in url for c in "\"'()\\ \t\n<>"):  # it goes into a CSS url(): nothing else
        return None
    return url if url.startswith(_SHOWN_SCHEMES) else None
