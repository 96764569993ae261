"""The ``profilesmith`` command. Subcommands are imported only when invoked, so that a
one-file ``lint`` does not pay for jinja2 or cryptography; the common ``lint``
invocations are not even parsed by click (cli/fast.py), which costs more to import than
the lint of a file.

The top layer: may import every other package. Commands parse options, call the core
and map its results to output and exit codes; no checking, building or signing logic
lives here.
"""

from __future__ import annotations

import signal
import sys
from typing import Any

from profilesmith.cli.common import Interrupted, raise_terminated


def main(argv: list[str] | None = None) -> Any:
    """The console script: exit codes as docs/architecture.md says, 130 after SIGINT and
    143 after SIGTERM (128 + the signal's number, as shells report), one line each."""
    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        from profilesmith.cli.fast import run_fast

        if run_fast(sys.argv[1:] if argv is None else argv):
            return None  # run_fast exits; reached only if it had nothing to run
        from profilesmith.cli.group import click_main

        return click_main(argv)
    except KeyboardInterrupt:
        _interrupted(Interrupted("SIGINT", 130))
    except Interrupted as exc:
        _interrupted(exc)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # the promise: one line, never a traceback
        sys.stderr.write(f"profilesmith: internal error: {type(exc).__name__}: {exc}\n")
        sys.exit(2)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupted(exc: Interrupted) -> None:
    # a second signal while the message is written must not print a traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.stderr.write(f"profilesmith: {exc.line}\n")
    sys.exit(exc.code)


def __getattr__(name: str) -> Any:
    # the click group and its class, imported (with click) only when asked for
    if name in ("cli", "LazyGroup"):
        from profilesmith.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
