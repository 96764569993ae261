"""A small URL check shared by the MDM and SCEP rules (stdlib only)."""

from __future__ import annotations

from collections.abc import Container
from functools import lru_cache
from typing import NamedTuple

from profilesmith.base.lazyre import lazy

# A scheme counts only when followed by "://": "mdm.example.com:2001/mdm" has none,
# although urllib would read "mdm.example.com" as its scheme.
_SCHEME = lazy(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_SPACE = lazy(r"\s")


class Url(NamedTuple):
    scheme: str  # lower case; "" when there is none
    host: str | None
    error: str | None  # why the text is not a usable URL at all


@lru_cache(maxsize=1024)  # a batch of per-device profiles repeats the same few URLs
def parse(text: str) -> Url:
    from urllib.parse import urlsplit

    text = text.strip()
    match = _SCHEME.match(text)
    if match is None:
        return Url("", None, None)
    if _SPACE.search(text):
        return Url(match.group(1).lower(), None, "contains whitespace")
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return Url(match.group(1).lower(), None, "is not a valid URL (check the host and port)")
    return Url(match.group(1).lower(), parts.hostname, None)


def problem(text: str, schemes: Container[str], *, no_scheme: str,
            wrong_scheme: str) -> str | None:
    """Why ``text`` is not a URL with one of ``schemes`` and a host, or None when it is.

    The answer completes a message that names the URL first: parse's error, ``no_scheme``,
    ``wrong_scheme`` with ``{scheme}`` replaced by the URL's scheme, or "has no host".
    """
    url = parse(text)
    if url.error:
        return url.error
    if not url.scheme:
        return no_scheme
    if url.scheme not in schemes:
        return wrong_scheme.replace("{scheme}", url.scheme)
    if not url.host:
        return "has no host"
    return None
