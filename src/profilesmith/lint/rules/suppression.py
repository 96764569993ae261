"""SUP: the inline suppression comments themselves (profilesmith.lint.suppression
reports these once a document's findings are filtered)."""

from __future__ import annotations

from profilesmith.base.findings import Severity
from profilesmith.lint.registry import emitted

SUPPRESSION = "profilesmith.lint.suppression"


@emitted("SUP001", Severity.WARNING, by=SUPPRESSION)
def unknown_code() -> None:
    """A suppression comment names a rule code that is no rule.

    Usually a typo (the letter O for a zero) or a rule that was renamed: the comment
    suppresses nothing, and the finding it was meant for is reported (or, worse, was
    never going to be). The message proposes the closest real code.

    Fails:   <!-- profilesmith: ignore MDM1O1 -->
    Passes:  <!-- profilesmith: ignore MDM101 -->
    """


@emitted("SUP002", Severity.WARNING, by=SUPPRESSION)
def unused_suppression() -> None:
    """A suppression comment suppresses nothing.

    The finding it was written for is gone (the profile was fixed, or the key moved), so
    the comment only hides a future finding of the same rule. Remove it. Codes that may
    cover a cross-file rule (STR005, STR006, or a prefix such as STR) are not reported:
    one file linted alone cannot tell whether they are used. Codes of rules not enabled
    by --select / the configuration are not reported either.

    Fails:   <!-- profilesmith: ignore STR003 --> before a PayloadUUID that is a UUID
    Passes:  <!-- profilesmith: ignore STR003 --> before <string>not-a-uuid</string>
    """
