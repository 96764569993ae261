"""The ``profilesmith`` command. Subcommands are imported only when invoked, so that a
one-file ``lint`` does not pay for jinja2 or cryptography.

The top layer: may import every other package. Commands parse options, call the core
and map its results to output and exit codes; no checking, building or signing logic
lives here.
"""

from __future__ import annotations

import importlib
import signal
import sys
from typing import Any

import click

from profilesmith.base.version import __version__
from profilesmith.cli.common import Failure, Interrupted, raise_terminated

# command name -> "module:attribute" under profilesmith.cli
_COMMANDS = {
    "lint": "lint:lint",
    "rules": "rules:rules",
    "explain": "rules:explain",
    "schema": "schema:schema",
    "build": "build:build",
    "new": "templates:new",
    "templates": "templates:templates",
    "convert": "convert:convert",
    "format": "formatting:format_command",
    "sign": "signing:sign",
    "verify": "verify:verify",
    "unsign": "signing:unsign",
    "encrypt": "signing:encrypt",
    "decrypt": "signing:decrypt",
    "diff": "diff:diff",
    "rights": "rights:rights",
    "command": "command:command",
    "lsp": "lsp:lsp",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in _COMMANDS if self.get_command(ctx, name) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(f"profilesmith.cli.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"profilesmith.cli.{module_name}":
                return None
            raise
        command: click.Command = getattr(module, attribute)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; its return value is the exit code (None: 0), and a
        Failure it raises is printed and gives the code."""
        try:
            code = super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted("SIGINT", 130) from None  # click would print "Aborted!", exit 1
        except Failure as failure:
            failure.show()
            code = failure.code
        if isinstance(code, int) and not isinstance(code, bool):
            ctx.exit(code)
        return code


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="profilesmith")
def cli() -> None:
    """Author, lint, sign and verify Apple configuration profiles."""


def main(argv: list[str] | None = None) -> Any:
    """The console script: exit codes as docs/architecture.md says, 130 after SIGINT and
    143 after SIGTERM (128 + the signal's number, as shells report), one line each."""
    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        return cli.main(args=argv, prog_name="profilesmith", standalone_mode=True)
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
