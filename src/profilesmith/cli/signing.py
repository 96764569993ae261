"""``sign``, ``verify``, ``unsign``, ``encrypt`` and ``decrypt``: options in, core out."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from profilesmith.cli.common import (
    fail,
    jobs_option,
    lint_options,
    note,
    read_document,
    read_input,
    read_stdin_if,
    write_output,
)
from profilesmith.cli.signing_options import load_signer, signing_options
from profilesmith.lint.run import auto_jobs

if TYPE_CHECKING:
    from profilesmith.plist.document import Document

_FILE = click.Path(dir_okay=False)


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="IN...")
@click.option("-o", "--output", type=_FILE, help="Output file (one input).")
@click.option("--output-dir", type=click.Path(file_okay=False),
              help="Directory for the signed files (same names as the inputs).")
@signing_options
@click.option("--no-lint", is_flag=True, help="Sign even when the input has lint errors.")
@click.option("--force", is_flag=True, help="Replace existing output files.")
@jobs_option("linting and signing")
def sign(inputs: tuple[str, ...], output: str | None, output_dir: str | None, key: str | None,
         cert: str | None, chain: tuple[str, ...], p12: str | None, password_env: str | None,
         no_lint: bool, force: bool, jobs: int) -> int:
    """Sign profiles (CMS SignedData, SHA-256, chain embedded); a signed input is re-signed."""
    from profilesmith.cms.batch import LINT_IGNORES, sign_paths
    from profilesmith.lint.engine import lint_findings

    if (output is None) == (output_dir is None):
        fail("give -o OUT (one input) or --output-dir DIR")
    if output is not None and len(inputs) > 1:
        fail("-o takes one input; use --output-dir DIR for several")
    if inputs.count("-") > 1:
        fail("- (stdin) can be given once")
    signer = load_signer(key=key, cert=cert, chain=chain, p12=p12, password_env=password_env)
    if signer is None:
        fail("sign needs --key and --cert, or --p12")
    lint = None if no_lint else lint_findings(lint_options(None), ignore=LINT_IGNORES)
    if output_dir is not None:
        try:
            os.makedirs(output_dir, exist_ok=True)
        except OSError as exc:
            fail(f"{output_dir}: cannot create the directory ({exc.strerror or exc})")
    stdin = read_stdin_if("-" in inputs)
    result = sign_paths(list(inputs), signer, output=output, output_dir=output_dir, lint=lint,
                        force=force, stdin=stdin, jobs=jobs or auto_jobs(len(inputs)))
    if result.lint_errors:
        from profilesmith.lint.reporters import Report, write

        failing = [p for p in result.prepared if p.errors]
        findings = sorted(f for p in failing for f in p.findings)
        files = [{"path": p.source} for p in failing]
        write("text", Report(findings, files), sys.stdout)
    for problem in result.problems:
        note(problem)
    if result.problems:
        return 2
    if result.lint_errors:
        note("lint errors: nothing was signed (fix them, or sign anyway with --no-lint)")
        return 1
    resigned = sum(1 for p in result.prepared if p.resigned)
    again = f" ({resigned} re-signed: old signature replaced)" if resigned else ""
    where = output if output is not None else output_dir
    note(f"signed {len(result.written)} profile(s) into {where}{again}")
    return 0


@click.command()
@click.argument("input_path", metavar="IN")
@click.option("--ca", "ca_files", multiple=True, type=_FILE,
              help="Trust anchor certificate(s) (PEM or DER; repeatable). Default: the "
                   "system CA bundle, which is not Apple's trust store.")
@click.option("--extract", type=_FILE,
              help="Write the signed profile to this file, only if it is Verified.")
@click.option("--force", is_flag=True, help="Replace an existing --extract file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--now", help="Check validity at this moment (ISO 8601; default: now).")
def verify(input_path: str, ca_files: tuple[str, ...], extract: str | None, force: bool,
           fmt: str, now: str | None) -> int:
    """Check a signed profile: Verified, Unverified (reason) or Unsigned; exit 0 only if
    Verified."""
    from profilesmith.cli.lint import parse_now
    from profilesmith.cms.chain import Anchors, load_anchors
    from profilesmith.cms.signer import SigningError
    from profilesmith.cms.verify import verify_document
    from profilesmith.cms.verify_report import to_json, to_text

    moment = parse_now(now) if now else datetime.now(UTC)
    doc = read_document(input_path)
    anchors = Anchors([], "none")
    if ca_files or doc.signature is not None:
        try:
            anchors = load_anchors(ca_files)
        except SigningError as exc:
            fail(str(exc))
    result = verify_document(doc, anchors, now=moment)
    extracted = None
    if extract is not None:
        if result.verified and result.content is not None:
            write_output(extract, result.content, force=force)
            extracted = extract
        else:
            refused = ("not written: the signature is not verified (`profilesmith unsign` "
                       "takes the content out without checking it)")
            result.warnings.append(f"--extract {extract}: {refused}")
    if fmt == "json":
        click.echo(json.dumps(to_json(result, now=moment, extracted=extracted), indent=2))
    else:
        click.echo(to_text(result, now=moment, extracted=extracted), nl=False)
    return 0 if result.verified else 1


@click.command()
@click.argument("input_path", metavar="IN")
@click.option("-o", "--output", required=True, type=_FILE, help="Where the content goes.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def unsign(input_path: str, output: str, force: bool) -> None:
    """Write the content of a signed profile, byte for byte (the signature is NOT checked)."""
    from profilesmith.plist.cmswrap import CMSError, unwrap

    data = read_input(input_path)
    if data[:1] != b"\x30":
        fail(f"{input_path}: not signed (not a CMS structure)")
    try:
        _facts, content = unwrap(data)
    except CMSError as exc:
        fail(f"{input_path}: {exc}")
    if content is None:
        fail(f"{input_path}: the signature is detached: there is no content inside")
    write_output(output, content, force=force)
    note(f"{input_path}: content written to {output} (the signature was not checked; "
          "`profilesmith verify` checks it)")


def _profile_root(doc: Document, path: str) -> Any:
    from profilesmith.base.findings import Severity

    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    if errors or not isinstance(doc.root, dict):
        reason = errors[0].message if errors else "the root is not a dictionary"
        fail(f"{path}: not a readable profile ({reason})")
    return doc.root


def _dump(root: Any, path: str) -> bytes:
    from profilesmith.plist.writer import dumps_xml

    try:
        return dumps_xml(root)
    except (TypeError, ValueError, OverflowError) as exc:
        fail(f"{path}: cannot be written as a property list ({exc})")


@click.command()
@click.argument("input_path", metavar="IN")
@click.option("-o", "--output", required=True, type=_FILE)
@click.option("--recipient", "recipients", required=True, multiple=True, type=_FILE,
              help="Device certificate (RSA; PEM or DER) to encrypt to (repeatable).")
@click.option("--cipher", type=click.Choice(["aes-256-cbc", "aes-128-cbc"]),
              default="aes-256-cbc", show_default=True)
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def encrypt(input_path: str, output: str, recipients: tuple[str, ...], cipher: str,
            force: bool) -> None:
    """Encrypt PayloadContent to device certificates (EncryptedPayloadContent, IsEncrypted)."""
    from profilesmith.cms.envelope import EnvelopeError, encrypt_root
    from profilesmith.cms.signer import SigningError, load_certificates

    doc = read_document(input_path)
    if doc.format == "cms":
        fail(f"{input_path}: is signed: encrypt the unsigned profile, then sign the result "
             "(`profilesmith unsign` takes the content out)")
    root = _profile_root(doc, input_path)
    try:
        certs = [load_certificates(path, what="recipient certificate")[0] for path in recipients]
        encrypted = encrypt_root(root, certs, cipher=cipher)
    except (SigningError, EnvelopeError) as exc:
        fail(str(exc))
    write_output(output, _dump(encrypted, output), force=force)


@click.command()
@click.argument("input_path", metavar="IN")
@click.option("-o", "--output", required=True, type=_FILE)
@click.option("--key", required=True, type=_FILE, help="The device's private key.")
@click.option("--cert", required=True, type=_FILE, help="The device's certificate.")
@click.option("--password-env", metavar="VAR",
              help="Environment variable holding the key's password.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def decrypt(input_path: str, output: str, key: str, cert: str, password_env: str | None,
            force: bool) -> None:
    """Restore PayloadContent from EncryptedPayloadContent with the device's key."""
    from profilesmith.cms.envelope import EnvelopeError, decrypt_root

    identity = load_signer(key=key, cert=cert, password_env=password_env)
    assert identity is not None
    doc = read_document(input_path)
    root = _profile_root(doc, input_path)
    try:
        decrypted = decrypt_root(root, identity.cert, identity.key)
    except EnvelopeError as exc:
        fail(f"{input_path}: {exc}")
    write_output(output, _dump(decrypted, output), force=force)
    if doc.format == "cms":
        note(f"{input_path} was signed; {output} is not (sign it again if it is to be "
              "installed)")
