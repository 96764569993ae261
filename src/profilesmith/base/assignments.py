"""``--set KEY=VALUE`` and ``--set-env KEY=VAR`` from the command line: one parser for
``build`` (template values) and ``command`` (Command keys), so both say the same."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import NamedTuple


class AssignmentError(ValueError):
    """A malformed assignment, or an environment variable that is not set."""


class Assignment(NamedTuple):
    key: str  # stripped; dotted names are the caller's to split
    text: str  # the value, never to be shown when ``variable`` is set (a secret)
    option: str  # "--set" or "--set-env"
    variable: str | None = None  # the environment variable of a --set-env


def parse(
    sets: Iterable[str], set_envs: Iterable[str], *, environ: Mapping[str, str] | None = None
) -> list[Assignment]:
    """Every ``--set`` in order, then every ``--set-env`` (read from ``environ``)."""
    env = os.environ if environ is None else environ
    result = []
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep:
            raise AssignmentError(f"--set {item!r}: expected KEY=VALUE")
        result.append(Assignment(key.strip(), value, "--set"))
    for item in set_envs:
        key, sep, variable = item.partition("=")
        variable = variable.strip()
        if not sep or not variable:
            raise AssignmentError(f"--set-env {item!r}: expected KEY=VAR")
        if variable not in env:
            raise AssignmentError(f"--set-env {key.strip()}: environment variable {variable} "
                                  "is not set")
        result.append(Assignment(key.strip(), env[variable], "--set-env", variable))
    return result
