"""Lint the text an editor holds and turn the findings into LSP diagnostics.

The findings are exactly ``profilesmith lint``'s for the file (the same reader, engine
and configuration, with the file's path so that per-file-ignores apply) except the
cross-file rules (STR005, STR006): they compare every file of a run, and an editor
holds one document. A finding's range starts at its line and column (the linter's are
1-based code points; LSP's 0-based, in the client's units) and spans the element there
when it ends on the same line (``<string>http://…</string>``), else its start tag; a
finding without a line sits on the first line, one without a column covers its line.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, NamedTuple

from lsprotocol import types

from profilesmith.base import files
from profilesmith.base.findings import Finding, Severity
from profilesmith.lint.engine import lint_document
from profilesmith.lsp.documents import Kind, reader_bytes
from profilesmith.lsp.text import LineIndex
from profilesmith.plist.document import Document
from profilesmith.plist.reader import read_bytes

if TYPE_CHECKING:
    from profilesmith.lsp.fixes import Fix
    from profilesmith.lsp.options import Configs, Resolved

SOURCE = "profilesmith"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}

_TAG = re.compile(r"<([A-Za-z_][\w.\-]*)[^<>]*?(/?)>")
_WORD = re.compile(r"</[^<>\s]*>?|[^\s<>\"]+")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"?')
_JSON_LITERAL = re.compile(r"-?[0-9][0-9.eE+\-]*|true|false|null")


class Published(NamedTuple):
    """One finding as the editor shows it: offsets into the linted text, and its fix."""

    finding: Finding
    start: int
    end: int
    fix: Fix | None = None


class Linted(NamedTuple):
    text: str
    lines: LineIndex
    items: list[Published]
    document: Document | None
    resolved: Resolved
    notes: list[str]  # for the client's log: internal errors, an unreadable file


def lint_text(text: str, path: str | None, kind: Kind, configs: Configs, *,
              fallback_directory: str, display: str) -> Linted:
    """Lint one editor document (a binary one from its file on disk)."""
    directory = os.path.dirname(path) if path else fallback_directory
    resolved = configs.resolve(directory)
    index = LineIndex(text)
    shown = path or display
    if kind == "binary":
        assert path is not None
        try:
            doc = read_bytes(files.read_limited(path), shown, tree=True)
        except files.TooLarge as exc:
            from profilesmith.plist.reader import too_large

            doc = too_large(shown, exc.size)
        except OSError as exc:
            return Linted(text, index, [], None, resolved,
                          [f"{shown}: cannot read ({exc.strerror or exc})"])
    else:
        doc = read_bytes(reader_bytes(text), shown, tree=True)  # fixes walk the lxml tree
    result = lint_document(doc, resolved.options)
    items = []
    for finding in result.findings:
        start, end = span(index, finding, binary=kind == "binary")
        items.append(Published(finding, start, end))
    if kind == "plist" and doc.format == "xml":
        from profilesmith.lsp.fixes import fix_for

        items = [item._replace(fix=fix_for(doc, index, item.finding, item.start))
                 for item in items]
    return Linted(text, index, items, doc, resolved, list(result.internal_errors))


def span(index: LineIndex, finding: Finding, *, binary: bool = False) -> tuple[int, int]:
    """The offsets a finding covers in the text."""
    if binary or finding.line is None:
        return 0, 0 if binary else len(index.line(0))
    line = finding.line - 1
    text = index.line(line)
    line_start = index.offset(line, 0)
    if finding.column is None:
        indent = len(text) - len(text.lstrip())
        return line_start + indent, line_start + len(text)
    column = finding.column - 1
    if line == 0 and index.text.startswith("\ufeff"):
        column += 1  # the reader counts columns after a byte order mark
    start = index.offset(line, column)
    return start, line_start + token_end(text, start - line_start)


def token_end(line: str, column: int) -> int:
    """Where the thing that starts at ``column`` of ``line`` ends on that line: an XML
    element (to its end tag when that is on the line, else the end of its start tag), a
    JSON string, number or literal, else the word there."""
    rest = line[column:]
    if not rest:
        return column
    tag = _TAG.match(rest)
    if tag is not None:
        name, closed = tag.group(1), tag.group(2)
        if closed:
            return column + tag.end()
        depth, position = 1, tag.end()
        for match in re.finditer(rf"<(/?){re.escape(name)}(?=[\s/>])[^<>]*?(/?)>",
                                 rest[position:]):
            if match.group(1):
                depth -= 1
            elif not match.group(2):
                depth += 1
            if depth == 0:
                return column + position + match.end()
        return column + tag.end()
    for pattern in (_JSON_STRING, _JSON_LITERAL, _WORD):
        token = pattern.match(rest)
        if token is not None and token.end():
            return column + token.end()
    return column + 1


def to_range(index: LineIndex, start: int, end: int, encoding: str) -> types.Range:
    first = index.client_position(start, encoding)
    last = index.client_position(end, encoding)
    return types.Range(start=types.Position(line=first[0], character=first[1]),
                       end=types.Position(line=last[0], character=last[1]))


def to_diagnostic(index: LineIndex, item: Published, encoding: str,
                  docs_url: str | None = None) -> types.Diagnostic:
    finding = item.finding
    description = None
    if docs_url:
        description = types.CodeDescription(href=docs_url.replace("{rule}", finding.rule))
    return types.Diagnostic(
        range=to_range(index, item.start, item.end, encoding),
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.rule,
        code_description=description,
        source=SOURCE,
        data={"pointer": finding.pointer},
    )


def diagnostics(linted: Linted, encoding: str, *, docs_url: str | None = None,
                limit: int = 1000) -> list[types.Diagnostic]:
    """The diagnostics to publish: at most ``limit``, then one saying how many more."""
    shown = [to_diagnostic(linted.lines, item, encoding, docs_url)
             for item in linted.items[:limit]]
    hidden = len(linted.items) - limit
    if hidden > 0:
        shown.append(types.Diagnostic(
            range=to_range(linted.lines, 0, 0, encoding),
            message=f"{hidden} more finding(s) not shown; run profilesmith lint on the file",
            severity=types.DiagnosticSeverity.Information,
            source=SOURCE,
        ))
    return shown
