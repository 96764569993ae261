"""The public Python API: lint, build, sign, verify, encrypt and decrypt without the CLI
(docs/api.md documents every argument; ``profilesmith`` re-exports these names).

The layer between ``cli`` (its client) and ``render | diff``: it may import every package
but ``cli``. Everything heavy is imported inside the functions, so that importing it costs
a one-file ``profilesmith lint`` nothing. Internal objects stay out of the signatures:
results are this module's :class:`Report`, :class:`Verification` and :class:`Built`, and
:class:`~profilesmith.base.findings.Finding` (the contract's frozen finding).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from profilesmith.api_types import (
    Built,
    Certificate,
    CertificateError,
    CertificateWarning,
    LintFailed,
    PasswordRequired,
    ProfilesmithError,
    Report,
    Verification,
)
from profilesmith.base.findings import Finding, Severity

if TYPE_CHECKING:
    from profilesmith.cms.chain import Anchors
    from profilesmith.cms.signer import Signer
    from profilesmith.lint.config import LintOptions
    from profilesmith.lint.engine import FileResult
    from profilesmith.plist.document import Document

__all__ = [
    "Built", "Certificate", "CertificateError", "CertificateWarning", "Finding", "LintFailed",
    "PasswordRequired", "ProfilesmithError", "Report", "Severity", "Verification",
    "build", "build_profile", "check_recipient", "check_signer", "decrypt", "encrypt", "lint",
    "lint_bytes", "sign", "verify",
]

Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
Rules = str | Iterable[str] | None


def _options(config: str | os.PathLike[str] | None, select: Rules, ignore: Rules,
             platforms: str | Iterable[str], strict: bool, now: datetime | None,
             **targets: Any) -> LintOptions:
    from profilesmith.lint.config import ConfigError
    from profilesmith.lint.options import resolve

    try:
        return resolve(None if config is None else os.fspath(config), select=select,
                       ignore=ignore, platforms=platforms, strict=strict, now=now, **targets)
    except ConfigError as exc:
        raise ProfilesmithError(str(exc).splitlines()) from None


# -- lint -----------------------------------------------------------------------------------


def lint(paths: Paths, *, select: Rules = None, ignore: Rules = None,
         platforms: str | Iterable[str] = (), config: str | os.PathLike[str] | None = None,
         strict: bool = False, now: datetime | None = None, jobs: int = 1,
         stdin: bytes | None = None, skip_unrecognised: bool = False,
         supervised: bool | None = None, enrollment: str | None = None,
         shared_ipad: bool | None = None, apple_data: str | os.PathLike[str] | None = None,
         schemas: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] = (),
         manifests: str | os.PathLike[str] | None = None) -> Report:
    """Lint files and directories as ``profilesmith lint PATH...`` does."""
    from profilesmith.lint.discover import PathError, expand
    from profilesmith.lint.run import lint_targets
    from profilesmith.schema.bundle import data_info

    options = _options(config, select, ignore, platforms, strict, now, supervised=supervised,
                       enrollment=enrollment, shared_ipad=shared_ipad, apple_data=apple_data,
                       schemas=schemas, manifests=manifests)
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    if not items:
        raise ProfilesmithError("no paths to lint")
    try:
        targets = list(expand([os.fspath(p) for p in items]))
    except PathError as exc:
        raise ProfilesmithError(str(exc)) from None
    if stdin is None and any(t.path == "-" for t in targets):
        raise ProfilesmithError("-: give the bytes of standard input as stdin=")
    if skip_unrecognised:  # files named explicitly, treated as a directory walk does
        targets = [t._replace(explicit=t.path == "-") for t in targets]
    run = lint_targets(targets, options, jobs=jobs, stdin=stdin)
    del targets  # (and each FileResult below once its entry is made: memory stays flat)
    return Report(run.findings, _entries(run.files),
                  errors=[*run.usage_errors, *run.internal_errors], strict=options.strict,
                  skipped=run.skipped, data=data_info())


def _entries(files: list[FileResult]) -> list[dict[str, Any]]:
    """The files' report entries; each FileResult (its findings, its Summary) is let go
    once its entry is made, rather than all of both kept at once."""
    files.reverse()
    return [files.pop().entry() for _ in range(len(files))]


def lint_bytes(data: bytes, *, path: str = "-", select: Rules = None, ignore: Rules = None,
               platforms: str | Iterable[str] = (),
               config: str | os.PathLike[str] | None = None, strict: bool = False,
               now: datetime | None = None, supervised: bool | None = None,
               enrollment: str | None = None, shared_ipad: bool | None = None,
               apple_data: str | os.PathLike[str] | None = None,
               schemas: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] = (),
               manifests: str | os.PathLike[str] | None = None) -> Report:
    """Lint one file's bytes; ``path`` is how findings name it."""
    from profilesmith.lint.engine import lint_document
    from profilesmith.plist.reader import read_bytes
    from profilesmith.schema.bundle import data_info

    options = _options(config, select, ignore, platforms, strict, now, supervised=supervised,
                       enrollment=enrollment, shared_ipad=shared_ipad, apple_data=apple_data,
                       schemas=schemas, manifests=manifests)
    result = lint_document(read_bytes(bytes(data), path), options)
    return Report(result.findings, [result.entry()], errors=result.internal_errors,
                  strict=options.strict, data=data_info())


# -- keys, certificates, anchors ------------------------------------------------------------


def _password(password: bytes | str | None) -> bytes | None:
    return password.encode("utf-8") if isinstance(password, str) else password


def _signer(key: Any, cert: Any, chain: Any, password: bytes | str | None) -> Signer:
    from profilesmith.cms import material
    from profilesmith.cms import signer as cms_signer

    try:
        private_key = material.private_key(key, password=_password(password))
        certs = material.certificates(cert, what="certificate")
        extra = certs[1:] + material.certificate_list(chain, what="chain certificate")
        return cms_signer.Signer.from_objects(private_key, certs[0], extra,
                                              where="the signing key")
    except cms_signer.PasswordRequired as exc:
        raise PasswordRequired(str(exc)) from None
    except cms_signer.SigningError as exc:
        raise ProfilesmithError(str(exc)) from None


def _anchors(ca: Any, *, system: bool) -> Anchors | None:
    """The anchors ``ca`` gives; none given: the system bundle (``system``) or None."""
    from profilesmith.cms import material
    from profilesmith.cms.chain import Anchors, load_anchors
    from profilesmith.cms.signer import SigningError

    given = material.items(ca)
    try:
        if not given:
            return load_anchors(()) if system else None
        certs = material.certificate_list(given, what="CA certificate")
    except SigningError as exc:
        raise ProfilesmithError(str(exc)) from None
    return Anchors(certs, "ca-files", [material.name_of(item) for item in given])


def _certificate_problems(problems: Sequence[str], strict: bool) -> None:
    """Refuse (``strict``) or warn (CertificateWarning) about a signer or recipient."""
    if not problems:
        return
    if strict:
        raise CertificateError(list(problems))
    for problem in problems:
        warnings.warn(problem, CertificateWarning, stacklevel=3)


def check_signer(cert: Any, *, chain: Any = (), ca: Any = (),
                 now: datetime | None = None) -> tuple[str, ...]:
    """Why a signature by ``cert`` (with ``chain`` embedded) would not verify: expired,
    not yet valid, its issuer missing from ``chain``, or (``ca`` given) a chain that does
    not reach those anchors. Empty when nothing is wrong."""
    from profilesmith.cms import material
    from profilesmith.cms.signer import SigningError
    from profilesmith.cms.validity import signer_problems
    from profilesmith.lint.options import utc

    try:
        certs = material.certificates(cert, what="certificate")
        extra = certs[1:] + material.certificate_list(chain, what="chain certificate")
    except SigningError as exc:
        raise ProfilesmithError(str(exc)) from None
    moment = utc(now) if now is not None else datetime.now(UTC)
    return tuple(signer_problems(certs[0], extra, now=moment,
                                 anchors=_anchors(ca, system=False)))


def check_recipient(cert: Any, *, now: datetime | None = None) -> tuple[str, ...]:
    """Why encrypting to ``cert`` is likely wrong (expired or not yet valid)."""
    from profilesmith.cms import material
    from profilesmith.cms.signer import SigningError
    from profilesmith.cms.validity import recipient_problems
    from profilesmith.lint.options import utc

    try:
        certificate = material.certificates(cert, what="recipient certificate")[0]
    except SigningError as exc:
        raise ProfilesmithError(str(exc)) from None
    moment = utc(now) if now is not None else datetime.now(UTC)
    return tuple(recipient_problems(certificate, now=moment))


def _check_signer(signer: Signer, ca: Any, now: datetime, strict: bool) -> None:
    _certificate_problems(check_signer(signer.cert, chain=signer.chain, ca=ca, now=now),
                          strict)


# -- build, sign ----------------------------------------------------------------------------


def build_profile(
    template: str | os.PathLike[str],
    values: Any = None,
    *,
    sets: Sequence[str] = (),
    set_envs: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
    output_name: str = "-",
    random_uuids: bool = False,
    key: Any = None,
    cert: Any = None,
    chain: Any = (),
    password: bytes | str | None = None,
    ca: Any = (),
    config: str | os.PathLike[str] | None = None,
    select: Rules = None,
    ignore: Rules = None,
    platforms: str | Iterable[str] = (),
    strict: bool = False,
    now: datetime | None = None,
) -> Built:
    """Render a template with values, lint the result, sign it if a key is given."""
    from profilesmith.render.build import Builder, BuildFailed
    from profilesmith.render.templates import TemplateError, load_template
    from profilesmith.render.values import ValuesError

    options = _options(config, select, ignore, platforms, strict, now)
    signer = None
    if key is not None or cert is not None:
        if key is None or cert is None:
            raise ProfilesmithError("signing needs a key and a certificate together")
        signer = _signer(key, cert, chain, password)
        _check_signer(signer, ca, options.now, strict)
    try:
        builder = Builder(load_template(os.fspath(template)), lint_options=options,
                          random_uuids=random_uuids, signer=signer)
        prepared = builder.prepare(_values(values, sets, set_envs, environ))
        result = builder.build(prepared, output_name)
    except TemplateError as exc:
        raise ProfilesmithError(str(exc).splitlines()) from None
    except ValuesError as exc:
        raise ProfilesmithError(exc.problems) from None
    except BuildFailed as exc:
        if exc.lint_errors:
            raise LintFailed(Report(exc.findings, strict=options.strict), exc.lines) from None
        raise ProfilesmithError(exc.lines) from None
    messages = [builder.describe(f) for f in result.findings]
    failing = [f for f in result.findings if strict and f.severity is Severity.WARNING]
    if failing:
        raise LintFailed(Report(result.findings, strict=True),
                         [builder.describe(f) for f in failing])
    return Built(result.data, result.findings, messages)


def build(template: str | os.PathLike[str], values: Any = None, **options: Any) -> bytes:
    """The bytes of :func:`build_profile` (same arguments)."""
    return build_profile(template, values, **options).data


def _values(values: Any, sets: Sequence[str], set_envs: Sequence[str],
            environ: Mapping[str, str] | None) -> Any:
    from profilesmith.render.values import Origin, ValueSet, from_mapping, from_options, load_file

    result = ValueSet(default_origin=Origin("values", None, os.getcwd()))
    single = values is None or isinstance(values, str | os.PathLike | Mapping)
    for item in ([] if values is None else [values] if single else list(values)):
        layer = from_mapping(item) if isinstance(item, Mapping) else load_file(os.fspath(item))
        result = result.merged(layer)
    return result.merged(from_options(sets, set_envs, environ=environ))


def sign(data: bytes, *, key: Any, cert: Any, chain: Any = (),
         password: bytes | str | None = None, ca: Any = (), check: bool = True,
         config: str | os.PathLike[str] | None = None, select: Rules = None,
         ignore: Rules = None, platforms: str | Iterable[str] = (), strict: bool = False,
         now: datetime | None = None, path: str = "-") -> bytes:
    """CMS SignedData over a profile (a signed one is re-signed), linted first."""
    from profilesmith.cms.batch import LINT_IGNORES, prepare
    from profilesmith.cms.signer import SigningError
    from profilesmith.lint.engine import lint_findings

    signer = _signer(key, cert, chain, password)
    options = _options(config, select, ignore, platforms, strict, now)
    _check_signer(signer, ca, options.now, strict)
    linter = lint_findings(options, ignore=LINT_IGNORES) if check else None
    prepared = prepare(path, bytes(data), path, linter)
    if isinstance(prepared, str):
        raise ProfilesmithError(prepared)
    report = Report(prepared.findings, [{"path": path}], strict=options.strict)
    if report.exit_code:
        raise LintFailed(report, ["lint errors: nothing was signed (fix them, or sign "
                                  "anyway with check=False)"])
    try:
        return signer.sign(prepared.content)
    except SigningError as exc:
        raise ProfilesmithError(str(exc)) from None


# -- verify, encrypt, decrypt ---------------------------------------------------------------


def verify(data: bytes, *, ca: Any = (), now: datetime | None = None,
           path: str = "-") -> Verification:
    """Verified only when signature, digest, chain to an anchor and validity check out."""
    from profilesmith.cms.chain import Anchors
    from profilesmith.cms.verify import verify_document
    from profilesmith.lint.options import utc
    from profilesmith.plist.reader import read_bytes

    moment = utc(now) if now is not None else datetime.now(UTC)
    doc = read_bytes(bytes(data), path)
    anchors = Anchors([], "none")
    if ca or doc.signature is not None:
        anchors = _anchors(ca, system=True) or anchors
    return Verification(verify_document(doc, anchors, now=moment), moment)


def _profile_root(doc: Document) -> dict[str, Any]:
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    if errors or not isinstance(doc.root, dict):
        reason = errors[0].message if errors else "the root is not a dictionary"
        raise ProfilesmithError(f"{doc.path}: not a readable profile ({reason})")
    return doc.root


def _dump(root: Any, path: str) -> bytes:
    from profilesmith.plist.writer import dumps_xml

    try:
        return dumps_xml(root)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ProfilesmithError(f"{path}: cannot be written as a property list ({exc})") from None


def encrypt(data: bytes, *, recipients: Any, cipher: str = "aes-256-cbc",
            strict: bool = False, now: datetime | None = None, path: str = "-") -> bytes:
    """PayloadContent encrypted to device certificates (EncryptedPayloadContent)."""
    from profilesmith.cms import material
    from profilesmith.cms.envelope import EnvelopeError, encrypt_root
    from profilesmith.cms.signer import SigningError
    from profilesmith.plist.reader import read_bytes

    doc = read_bytes(bytes(data), path)
    if doc.format == "cms":
        raise ProfilesmithError(f"{path}: is signed: encrypt the unsigned profile, then sign "
                                "the result (`profilesmith unsign` takes the content out)")
    root = _profile_root(doc)
    try:
        certs = [material.certificates(item, what="recipient certificate")[0]
                 for item in material.items(recipients)]
    except SigningError as exc:
        raise ProfilesmithError(str(exc)) from None
    _certificate_problems([p for c in certs for p in check_recipient(c, now=now)], strict)
    try:
        return _dump(encrypt_root(root, certs, cipher=cipher), path)
    except EnvelopeError as exc:
        raise ProfilesmithError(str(exc)) from None


def decrypt(data: bytes, *, key: Any, cert: Any, password: bytes | str | None = None,
            path: str = "-") -> bytes:
    """PayloadContent restored from EncryptedPayloadContent with the device's key."""
    from profilesmith.cms import material
    from profilesmith.cms.envelope import EnvelopeError, decrypt_root
    from profilesmith.cms.signer import PasswordRequired as KeyLocked
    from profilesmith.cms.signer import SigningError
    from profilesmith.plist.reader import read_bytes

    try:
        private_key = material.private_key(key, password=_password(password))
        certificate = material.certificates(cert, what="certificate")[0]
    except KeyLocked as exc:
        raise PasswordRequired(str(exc)) from None
    except SigningError as exc:
        raise ProfilesmithError(str(exc)) from None
    root = _profile_root(read_bytes(bytes(data), path))
    try:
        return _dump(decrypt_root(root, certificate, private_key), path)
    except EnvelopeError as exc:
        raise ProfilesmithError(f"{path}: {exc}") from None
