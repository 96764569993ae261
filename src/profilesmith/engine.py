"""Run schemas and rules over Documents; apply configuration and suppressions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from profilesmith import registry
from profilesmith.config import LintOptions
from profilesmith.discover import Target, is_maybe
from profilesmith.document import Document, Suppressions
from profilesmith.findings import Finding
from profilesmith.reader import read_bytes, read_path
from profilesmith.registry import Hit

# Plain classes and NamedTuples rather than dataclasses: generating dataclass methods
# costs import time on every one-file lint.


class Context:
    """What rules may know besides the document: options, the clock, the platforms."""

    __slots__ = ("cache", "options")

    def __init__(self, options: LintOptions) -> None:
        self.options = options
        self.cache: dict[str, Any] = {}  # per document: rules share parsed data here

    def targets(self, platform: str) -> bool:
        return platform in self.options.platforms

    @property
    def now(self) -> Any:
        return self.options.now


class Summary(NamedTuple):
    """The facts cross-file rules compare, small enough to send between processes.

    No positions: working them out for every file costs more than the rules, and
    cross-file findings are rare, so the engine places them afterwards (see _place).
    """

    path: str
    identifier: str | None
    uuids: list[tuple[str, str]]  # (PayloadUUID, pointer)
    suppressions: Suppressions


class FileResult(NamedTuple):
    path: str
    format: str
    signed: bool
    encrypted: bool
    findings: list[Finding]
    summary: Summary | None = None
    internal_errors: Sequence[str] = ()
    # why the file could not be read at all (a usage error: exit 2)
    unreadable: str | None = None

    def entry(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "format": self.format, "signed": self.signed}
        if self.encrypted:
            data["encrypted"] = True
        return data


class LintRun(NamedTuple):
    files: list[FileResult]
    findings: list[Finding]
    usage_errors: list[str]
    internal_errors: list[str]


def lint_document(doc: Document, options: LintOptions) -> FileResult:
    """Every finding for one document, configured and suppressed."""
    ctx = Context(options)
    raw: list[Finding] = list(doc.findings)
    errors: list[str] = []
    if isinstance(doc.root, dict) or doc.signature is not None:
        for rule_id, hit in _hits(doc, ctx, errors):
            raw.append(make_finding(doc, rule_id, hit))
    findings = [
        f.replace(severity=options.severity_of(f.rule, f.severity)) if options.severity else f
        for f in raw
        if _keep(doc, f, options)
    ]
    findings.sort()
    return FileResult(
        path=doc.path,
        format=doc.format,
        signed=doc.is_signed,
        encrypted=doc.is_encrypted,
        findings=findings,
        summary=summarize(doc),
        internal_errors=errors,
    )


def _hits(doc: Document, ctx: Context, errors: list[str]) -> Iterator[tuple[str, Hit]]:
    from profilesmith import schemas

    options = ctx.options
    document_rules, any_payload, by_type, validate = _plan(options)
    try:
        if validate:
            for rule_id, hit in schemas.check(doc, ctx):
                if options.enabled(rule_id):
                    yield rule_id, hit
    except Exception as exc:  # a schema bug must not hide the other findings
        errors.append(f"{doc.path}: internal error in schema validation: {exc!r}")
    for rule, check in document_rules:
        try:
            for hit in check(doc, ctx):
                yield rule.id, hit
        except Exception as exc:
            errors.append(f"{doc.path}: internal error in rule {rule.id}: {exc!r}")
    for payload in doc.payloads():
        for rule, check in any_payload + by_type.get(payload.type or "", []):
            try:
                for hit in check(payload, ctx):
                    yield rule.id, hit
            except Exception as exc:
                errors.append(f"{doc.path}: internal error in rule {rule.id}: {exc!r}")


# document rules, payload rules for every type, payload rules by type, schemas on?
Plan = tuple[
    list[registry.Check], list[registry.Check], dict[str, list[registry.Check]], bool
]
_PLANS: dict[int, tuple[LintOptions, Plan]] = {}


def _plan(options: LintOptions) -> Plan:
    """The enabled rules, worked out once per options object: document rules, payload
    rules for every payload type, payload rules by type, and whether any schema rule
    (SCH, AVL) is on at all: validating only to drop every finding is wasted work."""
    cached = _PLANS.get(id(options))
    if cached is not None and cached[0] is options:
        return cached[1]
    any_payload: list[registry.Check] = []
    by_type: dict[str, list[registry.Check]] = {}
    for item in registry.checks("payload"):
        if not options.enabled(item[0].id):
            continue
        if item[0].payload_types is None:
            any_payload.append(item)
        else:
            for kind in item[0].payload_types:
                by_type.setdefault(kind, []).append(item)
    validate = any(options.enabled(r.id) for r in registry.all_rules().values()
                   if r.scope == "schema")
    plan = ([c for c in registry.checks("document") if options.enabled(c[0].id)],
            any_payload, by_type, validate)
    _PLANS.clear()
    _PLANS[id(options)] = (options, plan)
    return plan


def make_finding(doc: Document, rule_id: str, hit: Hit) -> Finding:
    line, column = doc.locate(hit.pointer, at=hit.at)
    return Finding(
        path=doc.path,
        line=line,
        column=column,
        pointer=hit.pointer,
        rule=rule_id,
        severity=hit.severity or registry.get(rule_id).severity,
        message=hit.message,
    )


def _keep(doc: Document, finding: Finding, options: LintOptions) -> bool:
    if not options.enabled(finding.rule) or options.ignored_for(doc.path, finding.rule):
        return False
    if doc.suppressions and doc.suppressions.covers(finding):
        return False
    if doc.unreadable and not finding.rule.startswith("PAR"):
        # the reader already reported the value; anything said about it would be noise
        pointer = finding.pointer
        return not any(pointer == bad or pointer.startswith(bad + "/") for bad in doc.unreadable)
    return True


def summarize(doc: Document) -> Summary | None:
    if doc.kind != "profile":
        return None
    identifier = doc.root.get("PayloadIdentifier")
    uuids = [(value, f"{pointer}/PayloadUUID") for pointer, holder in doc.holders()
             if isinstance(value := holder.get("PayloadUUID"), str)]
    ident = identifier if isinstance(identifier, str) else None
    return Summary(doc.path, ident, uuids, doc.suppressions)


# -- runs over many files ---------------------------------------------------------------


def lint_target(
    target: Target, options: LintOptions, stdin: bytes | None = None
) -> FileResult | None:
    """The file's FileResult, or None to skip it (a .plist that is not a profile)."""
    if target.path == "-":
        doc = read_bytes(stdin or b"", "-")
    else:
        try:
            doc = read_path(target.path)
        except OSError as exc:
            why = f"{target.path}: cannot read ({exc.strerror or exc})"
            return FileResult(target.path, "unknown", False, False, [], unreadable=why)
    if is_maybe(target) and doc.kind not in ("profile", "service"):
        return None
    return lint_document(doc, options)


def _lint_chunk(args: tuple[Sequence[Target], LintOptions]) -> list[FileResult | None]:
    targets, options = args
    return [lint_target(t, options) for t in targets]


def lint_targets(
    targets: Iterable[Target],
    options: LintOptions,
    *,
    jobs: int = 1,
    stdin: bytes | None = None,
) -> LintRun:
    items = list(targets)
    if jobs == 0:
        jobs = auto_jobs(len(items))
    if jobs > 1 and len(items) > 1 and all(t.path != "-" for t in items):
        outcomes = _parallel(items, options, jobs)
    else:
        outcomes = [lint_target(t, options, stdin) for t in items]
    files: list[FileResult] = []
    usage: list[str] = []
    internal: list[str] = []
    for outcome in outcomes:
        if outcome is not None:
            files.append(outcome)
            internal.extend(outcome.internal_errors)
            if outcome.unreadable:
                usage.append(outcome.unreadable)
    findings = [f for result in files for f in result.findings]
    findings.extend(_place(list(_corpus_findings(files, options, internal)), stdin))
    findings.sort()
    return LintRun(files, findings, usage, internal)


# Starting a worker process and importing the linter into it costs about as much as
# linting a hundred files; below that, one process is faster.
FILES_PER_WORKER = 100


def auto_jobs(files: int) -> int:
    """Worker processes for ``--jobs 0``: one per CPU, but only as many as the files
    repay."""
    import os

    return max(1, min(os.cpu_count() or 1, files // FILES_PER_WORKER))


def _parallel(
    items: list[Target], options: LintOptions, jobs: int
) -> list[FileResult | None]:
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, min(64, len(items) // (jobs * 4) or 1))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = pool.map(_lint_chunk, [(chunk, options) for chunk in chunks])
        return [outcome for chunk in results for outcome in chunk]


def _corpus_findings(
    files: list[FileResult], options: LintOptions, errors: list[str]
) -> Iterator[Finding]:
    summaries = [f.summary for f in files if f.summary is not None]
    if len(summaries) < 2:
        return
    by_path = {s.path: s for s in summaries}
    for rule, check in registry.checks("corpus"):
        if not options.enabled(rule.id):
            continue
        try:
            for finding in check(summaries, rule.id):
                finding = finding.replace(severity=options.severity_of(rule.id, finding.severity))
                summary = by_path[finding.path]
                if options.ignored_for(finding.path, rule.id):
                    continue
                if summary.suppressions.covers(finding):
                    continue
                yield finding
        except Exception as exc:
            errors.append(f"internal error in rule {rule.id}: {exc!r}")


def _place(findings: list[Finding], stdin: bytes | None) -> Iterator[Finding]:
    """Give cross-file findings their lines and columns, reading each file again (rare)."""
    documents: dict[str, Document] = {}
    for finding in findings:
        doc = documents.get(finding.path)
        if doc is None:
            try:
                doc = read_bytes(stdin or b"", "-") if finding.path == "-" else read_path(
                    finding.path)
            except OSError:
                yield finding
                continue
            documents[finding.path] = doc
        line, column = doc.locate(finding.pointer)
        yield finding.replace(line=line, column=column)
