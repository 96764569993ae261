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
from typing import Any, NoReturn

from profilesmith.base.resources import MissingData
from profilesmith.cli.common import Interrupted, raise_terminated


def main(argv: list[str] | None = None) -> Any:
    """The console script: exit codes as docs/architecture.md says, 130 after SIGINT and
    143 after SIGTERM (128 + the signal's number, as shells report), one line each."""
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:  # started with the descriptor closed (cmd >&-)
            import os

            # as /dev/null: an empty input (`lint -` says so), output that goes nowhere
            setattr(sys, name, open(os.devnull, mode))  # noqa: SIM115 (for the process)
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
    except MissingData as exc:  # a broken installation: say so, not "internal error"
        sys.stderr.write(f"profilesmith: {exc}\n")
        sys.exit(2)
    except Exception as exc:  # the promise: one line, never a traceback
        sys.stderr.write(f"profilesmith: internal error: {type(exc).__name__}: {exc}\n")
        sys.exit(2)
    finally:
        signal.signal(signal.SIGTERM, previous)


def entry() -> None:
    """The console script (and ``python -m profilesmith``): :func:`main`, then an exit
    that does not tear the interpreter down. Freeing every module and object one by one
    cost a lint of 1,700 files ~50 ms of CPU (7% of the run) and gives the user nothing.
    Output is flushed and atexit handlers run first, as at a normal exit; mypy exits the
    same way for the same reason. ``main`` stays the in-process entry (tests, callers)."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = _exit_status(exc.code)
    _hard_exit(code)


def _exit_status(code: object) -> int:
    """What Python makes of ``sys.exit(code)``: a message is printed and means 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def _hard_exit(code: int) -> NoReturn:
    import atexit
    import os
    import threading

    if threading.active_count() > 1:
        sys.exit(code)  # a thread still runs: the interpreter's exit waits for it
    atexit._run_exitfuncs()  # multiprocessing's and tempfile's clean-ups among them
    try:  # after them: they may write too (main gave a closed stream /dev/null)
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (profilesmith ... | head): as main says it, 1
        code = code or 1
    os._exit(code)


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
