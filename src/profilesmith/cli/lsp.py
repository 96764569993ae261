"""``profilesmith lsp``."""

from __future__ import annotations

import click

from profilesmith.cli.common import note


@click.command()
@click.option("--debounce-ms", type=click.IntRange(min=0), default=None,
              help="Wait this long after the last change before linting (default 300).")
def lsp(debounce_ms: int | None) -> int:
    """Serve diagnostics, hover, completion and fixes to an editor (the Language Server
    Protocol over standard input and output). Editor set-up: docs/editors.md."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        note("the lsp command needs pygls: pip install 'profilesmith[lsp]'")
        return 2
    from profilesmith.lsp.features import serve

    serve(debounce_ms)
    return 0
