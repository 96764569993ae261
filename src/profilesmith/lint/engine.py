"""Run schemas and rules over one Document; assign severities, apply configuration and
suppressions (:mod:`profilesmith.lint.run` lints many files)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from profilesmith.base.findings import Finding, Hit
from profilesmith.base.resources import MissingData
from profilesmith.lint import catalog
from profilesmith.lint.config import LintOptions
from profilesmith.lint.context import Context, Summary, summarize
from profilesmith.plist.document import Document

# NamedTuples rather than dataclasses: generating dataclass methods costs import time on
# every one-file lint.


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
    kind: str = "unknown"  # plist.kinds: profile, command, response, ...
    type: str | None = None  # PayloadType, RequestType, MessageType or declaration Type

    def entry(self) -> dict[str, Any]:
        """The report's files[] entry (the JSON contract's keys first)."""
        data: dict[str, Any] = {"path": self.path, "format": self.format, "signed": self.signed}
        if self.encrypted:
            data["encrypted"] = True
        data["kind"] = self.kind
        if self.type is not None:
            data["type"] = self.type
        return data


def lint_document(doc: Document, options: LintOptions) -> FileResult:
    """Every finding for one document, configured and suppressed."""
    ctx = Context(options)
    raw: list[Finding] = list(doc.findings)
    errors: list[str] = []
    if doc.root is not None or doc.signature is not None:
        for rule_id, hit in _hits(doc, ctx, errors):
            raw.append(make_finding(doc, rule_id, hit))
    kept = [f for f in raw if _keep(doc, f, options)]
    if doc.suppressions.directives:  # after _keep: it records which codes suppressed
        kept.extend(_suppression_findings(doc, options))
    findings = [
        f.replace(severity=options.severity_of(f.rule, f.severity)) if options.severity else f
        for f in kept
    ]
    findings.sort()
    return FileResult(
        path=doc.path,
        format=doc.format,
        signed=doc.is_signed,
        encrypted=doc.is_encrypted,
        findings=findings,
        summary=summarize(doc),
        internal_errors=errors or (),  # kept to the end of a run: no empty list a file
        kind=doc.kind,
        type=type_of(doc),
    )


def type_of(doc: Document) -> str | None:
    """What the report names the document's type: its own, or for a response the
    command it answers (when that can be told)."""
    if doc.kind == "response" and isinstance(doc.root, dict):
        from profilesmith.schema import messages

        return messages.answer(doc).request_type
    return doc.type


def lint_findings(
    options: LintOptions, *, ignore: Iterable[str] = ()
) -> Callable[[Document], list[Finding]]:
    """A linter for other layers (batch signing, which sits below this one): the findings
    of a document, with the rules ``ignore`` names left out too."""
    if ignore:
        options = options.with_changes(ignore=(*options.ignore, *ignore))

    def findings(doc: Document) -> list[Finding]:
        return lint_document(doc, options).findings

    return findings


def _hits(doc: Document, ctx: Context, errors: list[str]) -> Iterator[tuple[str, Hit]]:
    from profilesmith.schema import check as schema

    options = ctx.options
    if options.apple_data or options.schema_dirs or options.manifests or _bundle_active():
        from profilesmith.schema.sources import activate

        activate(options.apple_data, options.schema_dirs, options.manifests)
    document_rules, any_payload, by_type, validate = _plan(options)
    try:
        if validate:
            for rule_id, hit in schema.check(doc, options.platforms, minimums=options.minimums,
                                             deployment=options.deployment):
                if options.enabled(rule_id):
                    yield rule_id, hit
    except MissingData:
        raise  # no schemas at all: the run cannot check anything (cli says why)
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


def _bundle_active() -> bool:
    from profilesmith.schema.bundle import active

    return active()


# document rules, payload rules for every type, payload rules by type, schemas on?
Plan = tuple[
    list[catalog.Planned], list[catalog.Planned], dict[str, list[catalog.Planned]], bool
]
_PLANS: dict[int, tuple[LintOptions, Plan]] = {}
SCHEMA_LAYER = "profilesmith.schema"  # emits the SCH and AVL findings


def _plan(options: LintOptions) -> Plan:
    """The enabled rules, worked out once per options object: document rules, payload
    rules for every payload type, payload rules by type, and whether any schema rule
    (SCH, AVL) is on at all: validating only to drop every finding is wasted work."""
    cached = _PLANS.get(id(options))
    if cached is not None and cached[0] is options:
        return cached[1]
    any_payload: list[catalog.Planned] = []
    by_type: dict[str, list[catalog.Planned]] = {}
    for item in catalog.checks("payload"):
        if not options.enabled(item[0].id):
            continue
        if item[0].payload_types is None:
            any_payload.append(item)
        else:
            for kind in item[0].payload_types:
                by_type.setdefault(kind, []).append(item)
    validate = any(options.enabled(r.id) for r in catalog.all_rules().values()
                   if SCHEMA_LAYER in r.emitted_by)
    plan = ([c for c in catalog.checks("document") if options.enabled(c[0].id)],
            any_payload, by_type, validate)
    _PLANS.clear()
    _PLANS[id(options)] = (options, plan)
    return plan


def make_finding(doc: Document, rule_id: str, hit: Hit) -> Finding:
    line, column = doc.locate(hit.pointer, at=hit.at)
    return Finding(
        path=doc.path if hit.path is None else hit.path,
        line=line,
        column=column,
        pointer=hit.pointer,
        rule=rule_id,
        severity=hit.severity or catalog.get(rule_id).severity,
        message=hit.message,
    )


def _keep(doc: Document, finding: Finding, options: LintOptions) -> bool:
    if not options.enabled(finding.rule):
        return False
    # before per-file-ignores, so that a suppression they make redundant counts as used
    if doc.suppressions and doc.suppressions.covers(finding):
        return False
    if options.ignored_for(doc.path, finding.rule):
        return False
    if doc.unreadable and not finding.rule.startswith("PAR"):
        # the reader already reported the value; anything said about it would be noise
        pointer = finding.pointer
        return not any(pointer == bad or pointer.startswith(bad + "/") for bad in doc.unreadable)
    return True


def _suppression_findings(doc: Document, options: LintOptions) -> Iterator[Finding]:
    from profilesmith.lint.suppression import suppression_hits

    for rule_id, hit, line in suppression_hits(doc, options):
        if options.enabled(rule_id) and not options.ignored_for(doc.path, rule_id):
            yield Finding(doc.path, line, None, hit.pointer, rule_id,
                          catalog.get(rule_id).severity, hit.message)
