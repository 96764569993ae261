"""The project's lint configuration for an editor document, as ``profilesmith lint`` finds
it: the nearest ``.profilesmith.toml`` or ``pyproject.toml`` with ``[tool.profilesmith]``
upwards from the document's directory.

Which file applies to a directory is remembered until :meth:`Configs.forget` (the server
calls it when the client reports a config file created, changed or deleted, or one is
saved in the editor); the file's contents are loaded again whenever its modification time
or size changes, so an edited config applies at the next lint even without those
notifications. The clock (``now``, for certificate expiry) is the time of each lint.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from typing import NamedTuple

from profilesmith.lint.config import (
    CONFIG_NAMES,
    ConfigError,
    LintOptions,
    find_config,
    load_config,
)


class Resolved(NamedTuple):
    options: LintOptions
    config: str | None  # the file the options come from
    error: str | None  # why that file could not be used (the defaults apply instead)


def is_config_file(path: str) -> bool:
    return os.path.basename(path) in CONFIG_NAMES


class Configs:
    """Thread-safe: the server lints in a worker thread."""

    def __init__(self, base: LintOptions | None = None) -> None:
        self.base = base or LintOptions()
        self._lock = threading.Lock()
        self._found: dict[str, str | None] = {}  # directory -> config file
        # config file -> ((mtime_ns, size), options or the error message)
        self._loaded: dict[str, tuple[tuple[int, int], LintOptions | str]] = {}

    def forget(self) -> None:
        with self._lock:
            self._found.clear()
            self._loaded.clear()

    def resolve(self, directory: str) -> Resolved:
        """The options for documents in ``directory``."""
        with self._lock:
            if directory not in self._found:
                self._found[directory] = find_config(directory)
            path = self._found[directory]
            now = datetime.now(UTC)
            if path is None:
                return Resolved(self.base.with_changes(now=now), None, None)
            try:
                status = os.stat(path)
                stamp = (status.st_mtime_ns, status.st_size)
            except OSError:  # deleted since: look again next time
                del self._found[directory]
                return Resolved(self.base.with_changes(now=now), None, None)
            cached = self._loaded.get(path)
            if cached is None or cached[0] != stamp:
                try:
                    loaded: LintOptions | str = load_config(path, self.base)
                except ConfigError as exc:
                    loaded = str(exc)
                cached = (stamp, loaded)
                self._loaded[path] = cached
            if isinstance(cached[1], str):
                return Resolved(self.base.with_changes(now=now), path, cached[1])
            return Resolved(cached[1].with_changes(now=now), path, None)
