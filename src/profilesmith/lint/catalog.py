"""Every rule, looked up: importing this module imports every rule module (which
registers its rules with :mod:`profilesmith.lint.registry`)."""

from __future__ import annotations

from collections.abc import Iterator

import profilesmith.lint.rules  # noqa: F401  (registers the rules)
from profilesmith.base.findings import Severity
from profilesmith.base.text import did_you_mean
from profilesmith.lint.config import LintOptions
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


def code_problem(code: str) -> str | None:
    """Why ``code`` names no rule (None when it names one: an ID, a prefix of IDs such
    as ``SCH`` or ``MDM1``, or ALL)."""
    rules = all_rules()
    if code == "ALL" or any(rule_id.startswith(code) for rule_id in rules):
        return None
    family, number = code[:3], code[3:]
    # the letter O for a zero, I or L for a one: typed from a printout
    digits = number.translate(str.maketrans("OIL", "011"))
    if digits != number and any(rule_id.startswith(family + digits) for rule_id in rules):
        return f"unknown rule code {code!r} (did you mean {family + digits}?)"
    families = sorted({rule.family for rule in rules.values()})
    return f"unknown rule code {code!r}{did_you_mean(code, [*rules, *families])}"


def option_problems(options: LintOptions) -> list[str]:
    """Every rule code in ``options`` (select, ignore, per-file-ignores, severity) that
    names no rule, as "setting: why" (a gate that selects nothing must not pass)."""
    named = [("select", code) for code in options.select]
    named += [("ignore", code) for code in options.ignore]
    named += [(f"per-file-ignores.{glob}", code)
              for glob, codes in options.per_file_ignores for code in codes]
    named += [("severity", code) for code in options.severity]
    return [f"{setting}: {problem}" for setting, code in named
            if (problem := code_problem(code)) is not None]
