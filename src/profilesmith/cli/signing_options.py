"""The signing options shared by ``sign`` and ``build``: --key/--cert/--chain/--p12/--password-env.

Usage in a command::

    @click.command()
    @signing_options
    def build(..., key, cert, chain, p12, password_env):
        signer = load_signer(key=key, cert=cert, chain=chain, p12=p12,
                             password_env=password_env)   # None when no option was given

Passwords never come from argv: ``--password-env VAR`` names an environment variable;
without it an encrypted key or PKCS#12 file is unlocked through a hidden prompt when
stdin is a terminal, and is otherwise a usage error (exit 2).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from profilesmith.cli.common import fail, is_terminal

if TYPE_CHECKING:
    from profilesmith.cms.signer import Signer

F = TypeVar("F", bound=Callable[..., Any])

_PATH = click.Path(dir_okay=False)


def signing_options(func: F) -> F:
    """Add --key, --cert, --chain (repeatable), --p12 and --password-env to a command."""
    options = [
        click.option("--key", type=_PATH, help="Private key of the signer (PEM or DER)."),
        click.option("--cert", type=_PATH,
                     help="Signer certificate (PEM or DER; further PEM certificates in the "
                          "file are embedded as its chain)."),
        click.option("--chain", type=_PATH, multiple=True,
                     help="Intermediate certificate(s) to embed (repeatable)."),
        click.option("--p12", type=_PATH,
                     help="PKCS#12 (.p12/.pfx) with the key, certificate and chain."),
        click.option("--password-env", metavar="VAR",
                     help="Environment variable holding the key or PKCS#12 password "
                          "(else a prompt when needed; never a command-line argument)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def wants_signing(*, key: str | None, cert: str | None, chain: Sequence[str],
                  p12: str | None) -> bool:
    return bool(key or cert or p12 or chain)


def load_signer(
    *,
    key: str | None,
    cert: str | None,
    chain: Sequence[str] = (),
    p12: str | None = None,
    password_env: str | None = None,
) -> Signer | None:
    """The Signer the options describe, None when none was given; errors exit 2."""
    from profilesmith.cms.signer import PasswordRequired, Signer, SigningError

    if not wants_signing(key=key, cert=cert, chain=chain, p12=p12):
        if password_env:
            fail("--password-env needs --key/--cert or --p12")
        return None
    if p12 and (key or cert):
        fail("give either --p12 or --key with --cert, not both")
    if not p12 and not (key and cert):
        fail("signing needs --key and --cert together, or --p12")
    password = _password_from_env(password_env)
    try:
        try:
            return Signer.load(key=key, cert=cert, chain=chain, p12=p12, password=password)
        except PasswordRequired as exc:
            if password_env is not None or not _interactive():
                fail(f"{exc} (use --password-env VAR)")
            prompted = click.prompt(
                f"Password for {p12 or key}", hide_input=True, show_default=False,
                err=True,
            )
            return Signer.load(
                key=key, cert=cert, chain=chain, p12=p12, password=prompted.encode("utf-8")
            )
    except SigningError as exc:
        fail(str(exc))


def _password_from_env(name: str | None) -> bytes | None:
    if name is None:
        return None
    value = os.environ.get(name)
    if value is None:
        fail(f"--password-env {name}: the environment variable is not set")
    return value.encode("utf-8")


def _interactive() -> bool:
    return is_terminal(sys.stdin)
