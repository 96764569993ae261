"""The rule registry: every rule's ID, default severity, scope and documentation.

Rules register themselves with :func:`rule` when their module is imported; the engine
imports ``profilesmith.rules`` once, which imports every family module.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal, NamedTuple

from profilesmith.findings import Severity

# "reader", "schema" and "diff" rules are documentation-only entries: the reader, the
# schema checker and ``profilesmith diff`` (which compares two files) emit their findings,
# so the lint engine has nothing to run for them.
Scope = Literal["document", "payload", "corpus", "reader", "schema", "diff"]
_DOCUMENTATION_ONLY = ("reader", "schema", "diff")


class Hit(NamedTuple):
    """What a rule reports: where (a JSON Pointer) and what.

    ``at="key"`` places the finding on the ``<key>`` element of the member instead of
    its value (used for duplicate keys); ``severity`` overrides the rule's default for
    rules whose documentation describes more than one level.
    """

    pointer: str
    message: str
    at: Literal["value", "key"] = "value"
    severity: Severity | None = None


class Rule(NamedTuple):
    id: str
    severity: Severity
    scope: Scope
    check: Callable[..., Iterable[Any]] | None
    raw_doc: str
    payload_types: frozenset[str] | None = None

    @property
    def doc(self) -> str:
        """The documentation, cleaned only when asked for (``explain``, SARIF): cleaning
        every rule's docstring at import would slow down every lint."""
        return inspect.cleandoc(self.raw_doc)

    @property
    def family(self) -> str:
        return self.id.rstrip("0123456789")

    @property
    def summary(self) -> str:
        return summary_line(self.doc)


def summary_line(doc: str) -> str:
    """The first line of a cleaned rule documentation ("" when there is none)."""
    text = doc.strip()
    return text.splitlines()[0] if text else ""


_RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    severity: Severity,
    *,
    scope: Scope = "document",
    payload_types: Iterable[str] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a rule; the decorated function's docstring is its documentation."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        if rule_id in _RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        check = None if scope in _DOCUMENTATION_ONLY else func
        _RULES[rule_id] = Rule(
            id=rule_id,
            severity=severity,
            scope=scope,
            check=check,
            raw_doc=func.__doc__ or "",
            payload_types=frozenset(payload_types) if payload_types is not None else None,
        )
        return func

    return decorate


def all_rules() -> dict[str, Rule]:
    """Every registered rule, importing the rule modules on first use."""
    import profilesmith.rules  # noqa: F401  (registers the rules)

    return _RULES


def get(rule_id: str) -> Rule:
    return all_rules()[rule_id]


def default_severity(rule_id: str) -> Severity:
    return all_rules()[rule_id].severity


def iter_sorted() -> Iterator[Rule]:
    rules = all_rules()
    for key in sorted(rules):
        yield rules[key]


Check = tuple[Rule, Callable[..., Iterable[Any]]]
_CHECKS: dict[Scope, list[Check]] = {}


def checks(scope: Scope) -> list[Check]:
    """(rule, check function) for the rules of one scope that have one, in ID order
    (cached: the engine asks for every document)."""
    if not _CHECKS:
        for rule_ in iter_sorted():
            if rule_.check is not None:
                _CHECKS.setdefault(rule_.scope, []).append((rule_, rule_.check))
    return _CHECKS.get(scope, [])
