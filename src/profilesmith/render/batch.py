"""One profile per row: ``build --rows FILE --output-dir DIR --name PATTERN``.

Everything is checked before anything is written: every row's values, every output
name (no ``..``, no absolute paths, no two rows with names that collide — also on
case-insensitive file systems —, no existing file unless ``force``), and every
rendered profile (reader + engine). Then the files are written, each atomically.

:func:`plan_batch` and :func:`write_batch` are the core a benchmark can call without
the CLI::

    builder = Builder(load_template("enrollment"), signer=signer)
    result = plan_batch(builder, load_all(["v.yaml"], [], []), read_rows("rows.csv"),
                        rows_path="rows.csv", name_pattern="{serial}.mobileconfig",
                        output_dir="out")
    write_batch(result, "out")
"""

from __future__ import annotations

import itertools
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from profilesmith.base.findings import Finding
from profilesmith.base.forked import inherited, worker_pool
from profilesmith.render.build import Builder, BuildFailed, Output
from profilesmith.render.rows import Row, name_fields, row_values
from profilesmith.render.values import ValuesError, ValueSet

_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class BatchFailed(BuildFailed):
    """Some rows cannot be built, or their outputs cannot be written; nothing was written.

    ``lines`` and ``lint_errors`` as for :class:`BuildFailed`.
    """


@dataclass
class BatchResult:
    outputs: list[Output]  # .name is relative to the output directory
    rows: int
    # (rule, pointer) -> (first finding, how many profiles had it): warnings and infos
    findings: dict[tuple[str, str], tuple[Finding, int]] = field(default_factory=dict)


def _field(match: re.Match[str]) -> str | None:
    """The field a ``{name}`` of the pattern names (None for a brace)."""
    name = match.group(1)
    return None if name is None else name.strip()


def _pattern_fields(pattern: str) -> set[str]:
    """The fields ``pattern`` uses."""
    return {name for match in _FIELD.finditer(pattern) if (name := _field(match)) is not None}


def format_name(pattern: str, fields: dict[str, str], *, where: str) -> str:
    """``{serial}.mobileconfig`` with the row's fields; ``{{``/``}}`` are braces."""

    def substitute(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = _field(match)
        if name is None:
            raise ValuesError([f"--name {pattern!r}: unmatched brace"])
        if name not in fields:
            raise ValuesError([f"{where}: --name uses {{{name}}}, which this row does not "
                               "have (a column or a value)"])
        text = fields[name]
        if not text or any(c in text for c in "/\\\0") or text in (".", ".."):
            raise ValuesError([f"{where}: {{{name}}} = {text!r} cannot be part of a file name"])
        return text

    return _FIELD.sub(substitute, pattern)


def check_name(name: str, *, where: str) -> str:
    """A safe relative path inside the output directory, with / separators."""
    if not name or name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        raise ValuesError([f"{where}: output name {name!r} must be a relative path"])
    parts = name.replace("\\", "/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ValuesError([f"{where}: output name {name!r} must stay inside --output-dir "
                           "(no '..', '.' or empty parts)"])
    if "\0" in name:
        raise ValuesError([f"{where}: output name {name!r} holds a NUL character"])
    return "/".join(parts)


def _flatten(value: Any, prefix: str, into: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), into)
    elif isinstance(value, bool):
        into[prefix] = "true" if value else "false"
    elif isinstance(value, str | int | float):
        into[prefix] = str(value)


def plan_batch(
    builder: Builder,
    base: ValueSet,
    rows: Sequence[Row],
    *,
    rows_path: str,
    name_pattern: str,
    output_dir: str,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> BatchResult:
    """Render and check every row; raise BatchFailed listing every failing row.

    With ``jobs`` > 1 the rows are rendered, linted (and signed) by forked workers that
    inherit the compiled template and the Signer.
    """
    schema = builder.spec.schema
    value_names = set(schema.get("properties", {})) if schema is not None else None
    failures: list[str] = []
    planned: list[tuple[Row, str, dict[str, Any]]] = []
    # the fields --name uses: when the row's columns hold them all (the usual {serial}),
    # flattening the row's values for the pattern (a tenth of planning a row) is skipped
    wanted = _pattern_fields(name_pattern)
    for row in rows:
        where = f"{rows_path}:{row.line} (row {row.number})"
        try:
            values = builder.prepare(base.merged(row_values(row, rows_path, value_names)))
            fields: dict[str, str] = {}
            columns = name_fields(row)
            if not wanted <= columns.keys():  # the columns win: the values go unread
                _flatten(values, "", fields)
                fields.setdefault("row", str(row.number))
            fields.update(columns)
            name = check_name(format_name(name_pattern, fields, where=where), where=where)
        except ValuesError as exc:
            failures.extend(exc.problems)
            continue
        planned.append((row, name, values))
    failures.extend(_name_problems(planned, rows_path, output_dir, force=force))
    if failures:
        raise BatchFailed(failures)
    result = BatchResult([], len(rows))
    lint_errors = False
    work = [(values, name) for _row, name, values in planned]
    # with workers, the first row is built here before they fork: what it compiles once
    # (the payloads' validators, the macros a template imports) they then inherit
    first = [_build_one(builder, work[0])] if jobs > 1 and len(work) > 2 else []
    rest = work[len(first):]
    with worker_pool(jobs, len(rest), builder=builder) as pool:
        built = itertools.chain(first, pool.map(_build_in_worker, rest, chunksize=16)
                                if pool is not None
                                else (_build_one(builder, item) for item in rest))
        for (row, name, _values), outcome in zip(planned, built, strict=True):
            if isinstance(outcome, Output):
                result.outputs.append(outcome)
                _count(result.findings, outcome.findings)
            else:
                lines, lint_failed = outcome
                lint_errors = lint_errors or lint_failed
                failures.extend(f"{rows_path}:{row.line} (row {row.number}, {name}): {line}"
                                for line in lines)
            if progress is not None:
                progress(1)
    if failures:
        raise BatchFailed(failures, lint_errors=lint_errors)
    return result


Built = Output | tuple[list[str], bool]


def _build_one(builder: Builder, item: tuple[dict[str, Any], str]) -> Built:
    """The row's Output, or (lines, lint errors?) saying why it failed (picklable, unlike
    the exception)."""
    try:
        return builder.build(*item)
    except BuildFailed as exc:
        return exc.lines, exc.lint_errors


def _build_in_worker(item: tuple[dict[str, Any], str]) -> Built:
    return _build_one(inherited("builder"), item)


def _name_problems(planned: Sequence[tuple[Row, str, Any]], rows_path: str, output_dir: str,
                   *, force: bool) -> list[str]:
    problems = []
    seen: dict[str, tuple[Row, str]] = {}
    for row, name, _ in planned:
        # APFS and NTFS compare names without case and (APFS) Unicode normalization
        folded = unicodedata.normalize("NFC", name).casefold()
        if folded in seen:
            first, first_name = seen[folded]
            same = "the same name" if first_name == name else f"a colliding name ({first_name})"
            problems.append(f"{rows_path}:{row.line} (row {row.number}): output {name} has "
                            f"{same} as row {first.number}")
            continue
        seen[folded] = (row, name)
        target = os.path.join(output_dir, *name.split("/"))
        if not force and os.path.lexists(target):
            problems.append(f"{target}: exists (use --force to replace it)")
    return problems


def _count(totals: dict[tuple[str, str], tuple[Finding, int]], findings: list[Finding]) -> None:
    for finding in findings:
        key = (finding.rule, finding.pointer)
        first, count = totals.get(key, (finding, 0))
        totals[key] = (first, count + 1)


def write_batch(result: BatchResult, output_dir: str, *, force: bool = False) -> list[str]:
    """Write every output atomically; the paths written, in row order."""
    from profilesmith.base.files import write_all

    items = []
    os.makedirs(output_dir, exist_ok=True)
    for output in result.outputs:
        target = os.path.join(output_dir, *output.name.split("/"))
        parent = os.path.dirname(target)
        if parent != output_dir:
            os.makedirs(parent, exist_ok=True)
        items.append((target, output.data))
    return write_all(items, force=force)
