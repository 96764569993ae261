"""What the inline suppressions of a document say about themselves, once its findings
are filtered: a rule code that names no rule (SUP001) and a code that suppressed nothing
(SUP002), like ruff's RUF100 for ``noqa``.

Codes that can match a cross-file rule (STR005, STR006, or a prefix of them) are never
called unused: those findings are placed after every file is linted, and a file linted
alone (an editor, pre-commit on one file) would see them unused when they are not.
"""

from __future__ import annotations

from collections.abc import Iterator

from profilesmith.base.findings import Hit
from profilesmith.lint import catalog
from profilesmith.lint.config import LintOptions
from profilesmith.plist.document import Document


def suppression_hits(doc: Document, options: LintOptions) -> Iterator[tuple[str, Hit, int | None]]:
    """(rule ID, hit, line) for every directive code that names no rule or suppressed
    nothing in this document."""
    suppressions = doc.suppressions
    for index, directive in enumerate(suppressions.directives):
        pointer = directive.pointer or ""
        for code in sorted(directive.rules):
            problem = catalog.code_problem(code)
            if problem is not None:
                yield "SUP001", Hit(pointer, f"suppression comment: {problem}"), directive.line
            elif (index, code) not in suppressions.used and _checkable(code, options):
                where = "this file" if directive.pointer == "" else "the key below it"
                yield "SUP002", Hit(pointer, f"'ignore {code}' suppresses nothing in {where} "
                                    "(remove it)"), directive.line


def _checkable(code: str, options: LintOptions) -> bool:
    """Whether a code names rules that ran on this document alone (so that finding
    nothing to suppress means the suppression is stale)."""
    matching = [rule for rule in catalog.all_rules().values()
                if code == "ALL" or rule.id.startswith(code)]
    if any(rule.scope == "corpus" or rule.family == "SUP" for rule in matching):
        return False
    return any(options.enabled(rule.id) for rule in matching)
