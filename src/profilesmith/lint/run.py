"""Lint many files: read each, lint it (in worker processes for large runs), then run
the cross-file rules over the Summaries and place their findings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from profilesmith.base.findings import Finding
from profilesmith.lint import catalog
from profilesmith.lint.config import LintOptions
from profilesmith.lint.context import Context
from profilesmith.lint.discover import Target, is_maybe
from profilesmith.lint.engine import FileResult, lint_document
from profilesmith.plist.reader import locator_for, read_bytes, read_path


class LintRun(NamedTuple):
    files: list[FileResult]
    findings: list[Finding]
    usage_errors: list[str]
    internal_errors: list[str]
    # files a directory walk met that are no Apple device-management document
    skipped: int = 0



# From this many files on, XML is decoded by lxml, else by expat (plist.expatplist): lxml
# decodes a file in half the time (~100 µs against ~200 µs for the real-world corpus)
# but importing it costs ~15 ms of CPU, the time of ~150 files. Both give the same
# Documents (tests/plist/test_expat.py).
LXML_FROM = 150


def lint_target(
    target: Target, options: LintOptions, stdin: bytes | None = None, *, tree: bool = False
) -> FileResult | None:
    """The file's FileResult, or None to skip it (a .plist, .xml or .json file of a
    directory walk that is no Apple device-management document). ``tree``: decode XML
    with lxml (see LXML_FROM)."""
    if target.path == "-":
        doc = read_bytes(stdin or b"", "-", tree=tree)
    else:
        try:
            doc = read_path(target.path, tree=tree)
        except OSError as exc:
            why = f"{target.path}: cannot read ({exc.strerror or exc})"
            return FileResult(target.path, "unknown", False, False, [], unreadable=why)
    if is_maybe(target) and doc.kind == "unknown":
        return None
    result = lint_document(doc, options)
    if target.walked and result.summary is not None:
        result = result._replace(summary=result.summary._replace(walked=True))
    return result


def _lint_chunk(args: tuple[Sequence[Target], LintOptions]) -> list[FileResult | None]:
    targets, options = args
    return [lint_target(t, options, tree=True) for t in targets]  # workers: big runs


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
    tree = len(items) >= LXML_FROM
    with _batch_gc():
        if jobs > 1 and len(items) > 1 and all(t.path != "-" for t in items):
            outcomes = _parallel(items, options, jobs)
        else:
            outcomes = [lint_target(t, options, stdin, tree=tree) for t in items]
    files: list[FileResult] = []
    usage: list[str] = []
    internal: list[str] = []
    skipped = 0
    for outcome in outcomes:
        if outcome is None:
            skipped += 1
        else:
            files.append(outcome)
            internal.extend(outcome.internal_errors)
            if outcome.unreadable:
                usage.append(outcome.unreadable)
    findings = [f for result in files for f in result.findings]
    findings.extend(_place(list(_corpus_findings(files, options, internal)), stdin, tree))
    findings.sort()
    return LintRun(files, findings, usage, internal, skipped)


@contextmanager
def _batch_gc() -> Iterator[None]:
    """Collect cycles rarely while linting: a file's tree and findings are acyclic
    garbage freed by reference counting, yet every few hundred allocations the collector
    walked everything alive (the imported modules, the compiled validators) again. The
    objects alive beforehand are frozen out of its sight (and stay shared, unwritten, in
    forked workers). The caller's settings come back afterwards."""
    import gc

    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 10_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


# A worker's start (the fork, the rule modules and validators it loads on first use,
# sending its results back) cost ~120 ms of CPU in measurements on the 1,715-file corpus,
# about as much as linting 300 files; on two free CPUs two workers only caught up with
# one process near a thousand files.
FILES_PER_WORKER = 1000


def auto_jobs(files: int) -> int:
    """Worker processes for ``--jobs 0``: no more than the files repay, nor than the
    CPUs that other processes leave free (the load average says how busy they are: on a
    busy machine workers only add their start to the run), and at least one."""
    import os

    cpus = _cpus()
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average here (Windows)
        busy = 0.0
    free = int(cpus - busy + 0.5)
    return max(1, min(cpus, free, files // FILES_PER_WORKER))


def _cpus() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may run on
    except (AttributeError, OSError):
        return os.cpu_count() or 1


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
    ctx = Context(options)
    for rule, check in catalog.checks("corpus"):
        if not options.enabled(rule.id):
            continue
        try:
            for hit in check(summaries, ctx):
                assert hit.path is not None  # a cross-file rule names the file
                if options.ignored_for(hit.path, rule.id):
                    continue
                severity = options.severity_of(rule.id, hit.severity or rule.severity)
                finding = Finding(hit.path, None, None, hit.pointer, rule.id, severity,
                                  hit.message)
                if by_path[hit.path].suppressions.covers(finding):
                    continue
                yield finding
        except Exception as exc:
            errors.append(f"internal error in rule {rule.id}: {exc!r}")


def _place(findings: list[Finding], stdin: bytes | None, tree: bool) -> Iterator[Finding]:
    """Give cross-file findings their lines and columns, parsing each file that has one
    again (an XML plist is parsed, not decoded), once, and letting it go before the
    next: memory stays flat however many files share an identifier. Locating every
    identifier and UUID of every file while it is read costs more: ~70 µs a file, against
    ~45 µs for parsing again one of the files that have a cross-file finding (a third of
    them in the real-world corpus, more in none)."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    for path, group in by_path.items():
        try:
            locate = (read_bytes(stdin or b"", "-").locate if path == "-"
                      else locator_for(path, tree=tree))
        except OSError:
            yield from group
            continue
        for finding in group:
            line, column = locate(finding.pointer)
            yield finding.replace(line=line, column=column)
        del locate
