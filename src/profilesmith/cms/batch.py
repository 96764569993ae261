"""Batch signing: lint every input, then sign and write them all with one loaded Signer.

Nothing is written unless every input is readable, lints without errors (unless lint is
off) and has a free output path: a batch is all or nothing, like ``build --rows``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from profilesmith.base import files
from profilesmith.base.findings import Finding, Severity
from profilesmith.base.forked import inherited, worker_pool
from profilesmith.cms.signer import Signer, SigningError
from profilesmith.plist.document import Document

# How a batch lints what it signs: the caller's linter (this package sits below the lint
# engine), which should leave out these rules: findings about a signature being replaced
# say nothing about the new one.
Lint = Callable[[Document], list[Finding]]
LINT_IGNORES = ("SIG",)


@dataclass
class Prepared:
    source: str
    output: str
    content: bytes  # the bytes to sign: the file, or the content of a signed file
    resigned: bool = False
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


@dataclass
class BatchResult:
    prepared: list[Prepared]
    problems: list[str]  # unreadable inputs, taken outputs: exit 2
    written: list[str] = field(default_factory=list)
    strict: bool = False  # warnings stop the batch too

    def failing(self, item: Prepared) -> list[Finding]:
        """The findings of ``item`` that stop the batch."""
        if not self.strict:
            return item.errors
        return [f for f in item.findings if f.severity in (Severity.ERROR, Severity.WARNING)]

    @property
    def lint_errors(self) -> int:
        return sum(len(self.failing(p)) for p in self.prepared)


def sign_many(contents: Iterable[bytes], signer: Signer) -> Iterator[bytes]:
    """Sign each content with the same Signer (the benchmark's core loop)."""
    for content in contents:
        yield signer.sign(content)


def prepare(source: str, data: bytes, output: str, lint: Lint | None) -> Prepared | str:
    """The content to sign and its lint findings, or why the file cannot be signed."""
    if lint is None and data[:1] != b"\x30":
        return Prepared(source, output, data)  # --no-lint: the bytes, untouched and unparsed
    from profilesmith.plist.reader import read_bytes

    # lxml: it decodes twice as fast as expat, and signing imports more than it anyway
    doc = read_bytes(data, source, tree=True)
    if doc.format == "json":  # a device installs property lists only
        return (f"{source}: a JSON document, not a property list: convert it first "
                "(`profilesmith convert --to xml`)")
    if doc.format == "cms":
        if doc.signature is None:
            reason = next((f.message for f in doc.findings if f.severity is Severity.ERROR),
                          "unreadable CMS structure")
            return f"{source}: cannot re-sign: {reason}"
        if doc.signature.detached:
            return f"{source}: cannot re-sign: the signature is detached (no content inside)"
        if doc.signature.content_type != "data":
            return f"{source}: cannot re-sign: the signed content is {doc.signature.content_type}"
    prepared = Prepared(source, output, doc.content if doc.format == "cms" else data,
                        resigned=doc.format == "cms")
    if lint is not None:
        prepared.findings = lint(doc)
    return prepared


def output_for(source: str, *, output: str | None, output_dir: str | None) -> str:
    if output is not None:
        return output
    assert output_dir is not None
    name = "stdin.mobileconfig" if source == "-" else os.path.basename(source.rstrip("/\\"))
    return os.path.join(output_dir, name)


def sign_paths(
    sources: Sequence[str],
    signer: Signer,
    *,
    output: str | None = None,
    output_dir: str | None = None,
    lint: Lint | None,
    force: bool = False,
    stdin: bytes | None = None,
    jobs: int = 1,
    strict: bool = False,
) -> BatchResult:
    """Read, lint, sign and atomically write; stops before writing on any problem.

    With ``jobs`` > 1 the reading, linting and signing run in that many forked worker
    processes (they inherit the loaded Signer: no key material is sent anywhere); the
    files are still written by this process, all or nothing.
    """
    problems: list[str] = []
    targets: list[tuple[str, str]] = []
    claimed: dict[str, str] = {}
    for source in sources:
        target = output_for(source, output=output, output_dir=output_dir)
        key = os.path.normcase(os.path.abspath(target))
        if key in claimed:
            problems.append(f"{source}: output {target} is also the output of {claimed[key]}")
            continue
        claimed[key] = source
        if not force and os.path.lexists(target):
            problems.append(f"{target}: exists (use --force to replace it)")
            continue
        targets.append((source, target))
    if "-" in sources:
        jobs = 1  # standard input was read by this process
    # with workers, the first input is linted here before they fork: what that compiles
    # once (the payloads' validators) they then inherit instead of compiling it each
    first = [_prepare_one(*targets[0], lint, stdin)] if jobs > 1 and len(targets) > 2 else []
    rest = targets[len(first):]
    with worker_pool(jobs, len(rest), signer=signer, lint=lint) as pool:
        outcomes = itertools.chain(first, (
            _prepare_one(source, target, lint, stdin) for source, target in rest
        ) if pool is None else pool.map(_prepare_in_worker, rest, chunksize=32))
        prepared: list[Prepared] = []
        for item in outcomes:
            if isinstance(item, str):
                problems.append(item)
            else:
                prepared.append(item)
        result = BatchResult(prepared, problems, strict=strict)
        if problems or result.lint_errors:
            return result
        for begin in range(0, len(prepared), _CHUNK):
            chunk = prepared[begin:begin + _CHUNK]
            contents = [item.content for item in chunk]
            try:
                signed = list(pool.map(_sign_in_worker, contents, chunksize=16)) if pool \
                    else list(sign_many(contents, signer))
            except SigningError as exc:
                result.problems.append(str(exc))
                break
            pairs = [(item.output, data) for item, data in zip(chunk, signed, strict=True)]
            failure = write_many(pairs, force=force, written=result.written)
            if failure:
                result.problems.append(failure)
                break
        return result


def _prepare_one(source: str, target: str, lint: Lint | None,
                 stdin: bytes | None) -> Prepared | str:
    try:
        data = stdin if source == "-" and stdin is not None else files.read_limited(source)
    except OSError as exc:
        return f"{source}: cannot read ({exc.strerror or exc})"
    return prepare(source, data, target, lint)


def _prepare_in_worker(pair: tuple[str, str]) -> Prepared | str:
    return _prepare_one(pair[0], pair[1], inherited("lint"), None)


def _sign_in_worker(content: bytes) -> bytes:
    signed: bytes = inherited("signer").sign(content)
    return signed


_CHUNK = 256  # profiles signed, then written together


def write_many(items: Sequence[tuple[str, bytes]], *, force: bool, written: list[str]) -> str:
    """files.write_all, with its failure as a message ('' when every file was written)."""
    try:
        files.write_all(items, force=force, written=written)
    except files.OutputExists as exc:
        return str(exc)
    except OSError as exc:
        return f"{exc.filename or 'output'}: cannot write ({exc.strerror or exc})"
    return ""
