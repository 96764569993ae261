"""The data that ships inside the package: ``schemas/`` and ``templates/``.

The one place that knows where they are. In the wheel they are ``profilesmith/_data/``
(hatch's force-include copies the repository's top-level directories there); in a source
checkout (an editable install, or ``src`` on the path) they are the repository's own
``schemas/`` and ``templates/`` beside ``src/`` — no symlinks, which break on Windows and
in some wheels.

Two ways in, both here: :func:`read_bytes` for the lint path, which reads one schema
at a time through the package's own loader (what importlib.resources uses underneath,
without its ~10 ms import, a tenth of a one-file lint's budget); and :func:`root`, an
importlib.resources Traversable for listing directories (``schema list``, templates).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

Area = Literal["schemas", "templates"]
_PACKAGE = "profilesmith"


class MissingData(Exception):
    """The package's schemas or templates are not where it looks (an incomplete
    installation, or ``src/`` copied without the repository's top-level directories)."""

    def __init__(self, area: Area) -> None:
        super().__init__(f"profilesmith's {area} are missing (neither in the package's "
                         f"_data/ nor beside src/ in a checkout): the installation is "
                         "incomplete; reinstall profilesmith")


def _package_dir() -> str | None:
    package = sys.modules[_PACKAGE]
    return os.path.dirname(package.__file__) if package.__file__ else None


def _checkout_dir(area: Area) -> str | None:
    """``<repository>/<area>`` when the package runs from a source checkout's src/."""
    here = _package_dir()
    if here is None:
        return None
    candidate = os.path.join(os.path.dirname(os.path.dirname(here)), area)
    if os.path.basename(os.path.dirname(here)) == "src" and os.path.isdir(candidate):
        return candidate
    return None


def read_bytes(area: Area, relative: str) -> bytes:
    """One file, ``relative`` (``payloads/x.schema.json``) to the area's directory;
    FileNotFoundError (an OSError) when there is none."""
    if ".." in relative.split("/"):
        raise FileNotFoundError(relative)
    here = _package_dir()
    installed = None if here is None else os.path.join(here, "_data", area)
    if installed is not None and os.path.isdir(installed):
        package = sys.modules[_PACKAGE]
        loader: Any = getattr(package.__spec__, "loader", None)
        if hasattr(loader, "get_data"):
            data: bytes = loader.get_data(os.path.join(installed, *relative.split("/")))
            return data
    checkout = _checkout_dir(area)
    if checkout is not None:
        with open(os.path.join(checkout, *relative.split("/")), "rb") as handle:
            return handle.read()
    return root(area).joinpath(*relative.split("/")).read_bytes()  # a zip import


def root(area: Area) -> Traversable:
    """The area's directory as a Traversable (listing, reading), wherever it is."""
    from importlib.resources import files

    installed = files(_PACKAGE).joinpath("_data", area)
    if installed.is_dir():
        return installed
    checkout = _checkout_dir(area)
    if checkout is not None:
        from pathlib import Path

        return Path(checkout)
    raise MissingData(area)
