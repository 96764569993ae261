"""The ``profilesmith`` command. Subcommands are imported only when invoked, so that a
one-file ``lint`` does not pay for jinja2 or cryptography; the common ``lint``
invocations are not even parsed by click (cli/fast.py), which costs more to import than
the lint of a file.

The top layer: may import every other package. Commands parse options, call the core
and map its results to output and exit codes; no checking, building or signing logic
lives here.
"""

from __future__ import annotations

import sys
from typing import Any


def main(argv: list[str] | None = None) -> Any:
    try:
        from profilesmith.cli.fast import run_fast

        if run_fast(sys.argv[1:] if argv is None else argv):
            return None  # run_fast exits; reached only if it had nothing to run
        from profilesmith.cli.group import click_main

        return click_main(argv)
    except KeyboardInterrupt:
        sys.stderr.write("profilesmith: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # the promise: one line, never a traceback
        sys.stderr.write(f"profilesmith: internal error: {type(exc).__name__}: {exc}\n")
        sys.exit(2)


def __getattr__(name: str) -> Any:
    # the click group and its class, imported (with click) only when asked for
    if name in ("cli", "LazyGroup"):
        from profilesmith.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
