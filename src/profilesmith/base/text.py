"""Small helpers for messages in the project's own words."""

from __future__ import annotations

from collections.abc import Iterable


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type's name when it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def close_names(name: str, names: Iterable[str], *, cutoff: float = 0.6,
                spread: float | None = None) -> list[str]:
    """Up to three of ``names`` that look like ``name`` (for "did you mean"), closest
    first; ``cutoff`` is difflib's similarity ratio a name must reach. ``spread``: keep
    only those nearly as close as the closest (names sharing a long prefix, like
    ``com.apple.*``, all look alike to difflib)."""
    import difflib  # only on this error path: not worth its import on every lint

    by_fold = {n.casefold(): n for n in names}
    folded = name.casefold()
    matches = difflib.get_close_matches(folded, list(by_fold), n=3, cutoff=cutoff)
    if spread is not None and matches:
        def ratio(other: str) -> float:
            return difflib.SequenceMatcher(None, folded, other).ratio()

        best = ratio(matches[0])
        matches = [m for m in matches if ratio(m) >= best - spread]
    return [by_fold[m] for m in matches]


def did_you_mean(name: str, names: Iterable[str], *, spread: float | None = None) -> str:
    """The hint `` (did you mean A or B?)`` from the :func:`close_names` of ``name``
    (empty when none is close), to append to a message."""
    close = close_names(name, names, spread=spread)
    return f" (did you mean {' or '.join(close)}?)" if close else ""
