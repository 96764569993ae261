"""Every rule, looked up: importing this module imports every rule module (which
registers its rules with :mod:`profilesmith.lint.registry`)."""

from __future__ import annotations

from collections.abc import Iterator

import profilesmith.lint.rules  # noqa: F401  (registers the rules)
from profilesmith.base.findings import Severity
from profilesmith.lint.registry import RULES, Check, Rule, Scope


def all_rules() -> dict[str, Rule]:
    """Every rule, by ID."""
    return RULES


def get(rule_id: str) -> Rule:
    return all_rules()[rule_id]


def default_severity(rule_id: str) -> Severity:
    return all_rules()[rule_id].severity


def iter_sorted() -> Iterator[Rule]:
    rules = all_rules()
    for key in sorted(rules):
        yield rules[key]


Planned = tuple[Rule, Check]
_CHECKS: dict[Scope, list[Planned]] = {}


def checks(scope: Scope) -> list[Planned]:
    """(rule, check function) for the rules of one scope, in ID order (cached: the engine
    asks for every document)."""
    if not _CHECKS:
        for rule_ in iter_sorted():
            if rule_.check is not None and rule_.scope is not None:
                _CHECKS.setdefault(rule_.scope, []).append((rule_, rule_.check))
    return _CHECKS.get(scope, [])


def known(rule_id: str) -> bool:
    return rule_id in all_rules()
