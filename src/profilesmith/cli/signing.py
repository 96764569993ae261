"""``sign``, ``unsign``, ``encrypt`` and ``decrypt``: options in, the API (or, for a batch,
cms.batch) out. Every output may be ``-`` (standard output) and is confirmed on stderr."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click

from profilesmith.cli.common import (
    api_failure,
    certificate_warnings,
    check_options,
    checked_options,
    config_file,
    fail,
    fail_lines,
    jobs_option,
    note,
    now_option,
    read_input,
    read_stdin_if,
    refuse_existing,
    write_result,
    wrote,
)
from profilesmith.cli.signing_options import load_signer, signing_options

if TYPE_CHECKING:
    from profilesmith.api_types import Report
    from profilesmith.cms.signer import Signer
    from profilesmith.lint.config import LintOptions

_FILE = click.Path(dir_okay=False)
F = TypeVar("F", bound=Callable[..., Any])
RESIGNED = "re-signed: the old signature was replaced"


def ca_option(what: str) -> Callable[[F], F]:
    option: Callable[[F], F] = click.option(
        "--ca", "ca_files", multiple=True, type=_FILE,
        help=f"Trust anchor certificate(s) {what} (PEM or DER; repeatable).")
    return option


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="IN...")
@click.option("-o", "--output", type=_FILE, help="Output file, '-' for standard output "
                                                  "(one input).")
@click.option("--output-dir", type=click.Path(file_okay=False),
              help="Directory for the signed files (same names as the inputs).")
@signing_options
@ca_option("the signer's chain must reach (else a warning; --strict: an error)")
@click.option("--no-lint", is_flag=True, help="Sign even when the input has lint errors.")
@click.option("--force", is_flag=True, help="Replace existing output files.")
@check_options()
@jobs_option("linting and signing")
def sign(inputs: tuple[str, ...], output: str | None, output_dir: str | None, key: str | None,
         cert: str | None, chain: tuple[str, ...], p12: str | None, password_env: str | None,
         ca_files: tuple[str, ...], no_lint: bool, force: bool, config_path: str | None,
         select: str | None, ignore: str | None, strict: bool, platforms: tuple[str, ...],
         now: datetime | None, jobs: int) -> int:
    """Sign profiles (CMS SignedData, SHA-256, chain embedded); a signed input is re-signed.

    Each input is linted first (as `profilesmith lint` would, signature rules aside): an
    error finding (--strict: a warning too) stops everything. A signer that is expired,
    not yet valid, or whose chain misses its issuer (or, with --ca, does not reach those
    anchors) gets a warning; --strict refuses it.
    """
    if (output is None) == (output_dir is None):
        fail("give -o OUT (one input) or --output-dir DIR")
    if output is not None and len(inputs) > 1:
        fail("-o takes one input; use --output-dir DIR for several")
    if inputs.count("-") > 1:
        fail("- (stdin) can be given once")
    if output is not None:
        refuse_existing(output, force=force)
    signer = load_signer(key=key, cert=cert, chain=chain, p12=p12, password_env=password_env)
    if signer is None:
        fail("sign needs --key and --cert, or --p12")
    if output is not None:
        return _sign_one(inputs[0], output, signer, ca_files=ca_files, lint=not no_lint,
                         force=force, config=config_file(config_path), select=select,
                         ignore=ignore, strict=strict, platforms=platforms, now=now)
    assert output_dir is not None
    options = checked_options(config_path, select=select, ignore=ignore, strict=strict,
                              platforms=platforms, now=now)
    signer_problems(signer, ca_files, now=options.now, strict=strict)
    return _sign_batch(list(inputs), output_dir, signer, lint=not no_lint, options=options,
                       force=force, jobs=jobs)


def signer_problems(signer: Signer, ca_files: tuple[str, ...], *, now: datetime,
                    strict: bool, what: str = "signed") -> None:
    """The API's signer check, said once for a whole batch."""
    from profilesmith.api import check_signer
    from profilesmith.api_types import ProfilesmithError

    try:
        problems = check_signer(signer.cert, chain=signer.chain, ca=ca_files, now=now)
    except ProfilesmithError as exc:
        api_failure(exc)
    if problems and strict:
        fail_lines([*problems, f"nothing was {what} (--strict)"], code=1)
    for problem in problems:
        note(f"warning: {problem}")


def _lint_failed(report: Report) -> int:
    from profilesmith.lint.reporters import write

    write("text", report.reporter_input(), sys.stdout)
    if any(f.severity.value == "error" for f in report.findings if report.failing(f)):
        note("lint errors: nothing was signed (fix them, or sign anyway with --no-lint)")
    else:
        note("lint warnings (--strict): nothing was signed (fix them, or sign anyway "
             "with --no-lint)")
    return 1


def _sign_one(source: str, output: str, signer: Signer, *, ca_files: tuple[str, ...],
              lint: bool, force: bool, config: str | None, select: str | None,
              ignore: str | None, strict: bool, platforms: tuple[str, ...],
              now: datetime | None) -> int:
    from profilesmith.api import sign as sign_bytes
    from profilesmith.api_types import LintFailed, ProfilesmithError

    data = read_input(source)
    try:
        with certificate_warnings():
            signed = sign_bytes(data, key=signer.key, cert=signer.cert, chain=signer.chain,
                                ca=ca_files, check=lint, config=config, select=select,
                                ignore=ignore, platforms=platforms, strict=strict, now=now,
                                path=source)
    except LintFailed as exc:
        return _lint_failed(exc.report)
    except ProfilesmithError as exc:
        if exc.exit_code == 1:
            fail_lines([*exc.lines, "nothing was signed (--strict)"], code=1)
        api_failure(exc)
    write_result(output, signed, force=force, detail=RESIGNED if data[:1] == b"\x30" else "")
    return 0


def _sign_batch(inputs: list[str], output_dir: str, signer: Signer, *, lint: bool,
                options: LintOptions, force: bool, jobs: int) -> int:
    from profilesmith.api_types import Report
    from profilesmith.cms.batch import LINT_IGNORES, sign_paths
    from profilesmith.lint.engine import lint_findings
    from profilesmith.lint.run import auto_jobs

    linter = lint_findings(options, ignore=LINT_IGNORES) if lint else None
    created = not os.path.isdir(output_dir)
    try:
        os.makedirs(output_dir, exist_ok=True)
    except OSError as exc:
        fail(f"{output_dir}: cannot create the directory ({exc.strerror or exc})")
    stdin = read_stdin_if("-" in inputs)
    result = sign_paths(inputs, signer, output_dir=output_dir, lint=linter, force=force,
                        stdin=stdin, jobs=jobs or auto_jobs(len(inputs)), strict=options.strict)
    if created and not result.written:
        with contextlib.suppress(OSError):  # nothing signed: leave no empty directory
            os.rmdir(output_dir)
    if result.lint_errors:
        failing = [p for p in result.prepared if result.failing(p)]
        return _lint_failed(Report([f for p in failing for f in p.findings],
                                   [{"path": p.source} for p in failing],
                                   strict=options.strict))
    for problem in result.problems:
        note(problem)
    if result.problems:
        return 2
    resigned = sum(1 for p in result.prepared if p.resigned)
    wrote(f"{len(result.written)} signed profile(s) into {output_dir}",
          f"{resigned} {RESIGNED}" if resigned else "")
    return 0


@click.command()
@click.argument("input_path", metavar="IN")
@click.option("-o", "--output", required=True, type=_FILE,
              help="Where the content goes ('-': standard output).")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def unsign(input_path: str, output: str, force: bool) -> None:
    """Write the content of a signed profile, byte for byte (the signature is NOT checked)."""
    from profilesmith.plist.cmswrap import CMSError, unwrap

    refuse_existing(output, force=force)
    data = read_input(input_path)
    if data[:1] != b"\x30":
        fail(f"{input_path}: not signed (not a CMS structure)")
    try:
        _facts, content = unwrap(data)
    except CMSError as exc:
        fail(f"{input_path}: {exc}")
    if content is None:
        fail(f"{input_path}: the signature is detached: there is no content inside")
    write_result(output, content, force=force,
                 detail="the signature was not checked; `profilesmith verify` checks it")


@click.command()
@click.argument("input_path", metavar="IN")
@click.option("-o", "--output", required=True, type=_FILE,
              help="Output file ('-': standard output).")
@click.option("--recipient", "recipients", required=True, multiple=True, type=_FILE,
              help="Device certificate (RSA; PEM or DER) to encrypt to (repeatable).")
@click.option("--cipher", type=click.Choice(["aes-256-cbc", "aes-128-cbc"]),
              default="aes-256-cbc", show_default=True)
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@click.option("--strict", is_flag=True,
              help="Refuse a recipient certificate that is expired or not yet valid "
                   "(else a warning).")
@now_option("recipient certificates are checked against")
def encrypt(input_path: str, output: str, recipients: tuple[str, ...], cipher: str,
            force: bool, strict: bool, now: datetime | None) -> None:
    """Encrypt PayloadContent to device certificates (EncryptedPayloadContent, IsEncrypted)."""
    from profilesmith.api import encrypt as encrypt_bytes
    from profilesmith.api_types import ProfilesmithError

    refuse_existing(output, force=force)
    data = read_input(input_path)
    try:
        with certificate_warnings():
            encrypted = encrypt_bytes(data, recipients=list(recipients), cipher=cipher,
                                      strict=strict, now=now, path=input_path)
    except ProfilesmithError as exc:
        if exc.exit_code == 1:
            fail_lines([*exc.lines, "nothing was encrypted (--strict)"], code=1)
        api_failure(exc)
    write_result(output, encrypted, force=force)


@click.command()
@click.argument("input_path", metavar="IN")
@click.option("-o", "--output", required=True, type=_FILE,
              help="Output file ('-': standard output).")
@click.option("--key", required=True, type=_FILE, help="The device's private key.")
@click.option("--cert", required=True, type=_FILE, help="The device's certificate.")
@click.option("--password-env", metavar="VAR",
              help="Environment variable holding the key's password.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def decrypt(input_path: str, output: str, key: str, cert: str, password_env: str | None,
            force: bool) -> None:
    """Restore PayloadContent from EncryptedPayloadContent with the device's key."""
    from profilesmith.api import decrypt as decrypt_bytes
    from profilesmith.api_types import ProfilesmithError

    refuse_existing(output, force=force)
    identity = load_signer(key=key, cert=cert, password_env=password_env)
    assert identity is not None
    data = read_input(input_path)
    try:
        decrypted = decrypt_bytes(data, key=identity.key, cert=identity.cert, path=input_path)
    except ProfilesmithError as exc:
        api_failure(exc)
    signed = data[:1] == b"\x30"
    write_result(output, decrypted, force=force,
                 detail="the input was signed; this is not: sign it again to install it"
                 if signed else "")
