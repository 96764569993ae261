"""Rule families, one module each. Importing this package registers every rule.

Rule modules import only the standard library and profilesmith at module level; anything
heavy (cryptography) is imported inside the rule that needs it, so that linting a plain
profile stays fast to start.
"""

from __future__ import annotations

import importlib
import pkgutil


def _load_all() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if not module.startswith("_"):
            importlib.import_module(f"{__name__}.{module}")


_load_all()
