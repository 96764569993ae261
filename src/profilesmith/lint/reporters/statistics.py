"""``lint --statistics``: how many findings each rule has, the most frequent first, then
the summary line (as ruff's ``--statistics``)::

        12  SCH005  warning  A key the payload's schema does not know.
         1  MDM101  error    AccessRights is missing a right another one needs.
    2 files checked: 1 error(s), 12 warning(s), 0 info
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from profilesmith.base.findings import Severity
from profilesmith.lint.reporters import Report
from profilesmith.lint.reporters.text_format import summary_line


def counts(report: Report) -> list[tuple[int, str, Severity]]:
    """(count, rule, severity), the largest count first, then by rule; a rule whose
    findings have two severities (a configured or per-finding one) has two rows."""
    found = Counter((f.rule, f.severity) for f in report.findings)
    return sorted(((n, rule, level) for (rule, level), n in found.items()),
                  key=lambda row: (-row[0], row[1], -row[2].rank))


def write(report: Report, stream: TextIO) -> None:
    from profilesmith.lint.catalog import all_rules

    known = all_rules()
    rows = counts(report)
    width = max((len(str(n)) for n, _, _ in rows), default=1)
    for number, rule, level in rows:
        entry = known.get(rule)
        summary = entry.summary if entry is not None else ""
        stream.write(f"{number:>{width}}  {rule:<7} {level.value:<8} {summary}".rstrip() + "\n")
    stream.write(summary_line(report) + "\n")
