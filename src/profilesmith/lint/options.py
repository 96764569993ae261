"""Lint options from a config file and the caller's arguments (the public API and every
command that lints): one place that says how they combine.

- ``select`` replaces the config's ``select``; ``ignore`` adds to the config's ``ignore``
  (as ruff's ``--select`` and ``--extend-ignore`` do);
- ``platforms`` replaces the config's ``platforms`` (names as :func:`parse_platforms`
  reads them: ``ios``, ``macOS``, ...);
- ``strict`` turns strictness on, it never turns a config's off;
- ``now`` is the clock of certificate checks (default: the current time).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from profilesmith.lint.config import (
    ConfigError,
    LintOptions,
    load_config,
    parse_platforms,
    split_rules,
)


def rule_list(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"A,B"`` or ``["A", "B"]`` as upper-case rule IDs or prefixes."""
    if value is None:
        return ()
    if isinstance(value, str):
        return split_rules(value)
    return tuple(part for item in value for part in split_rules(str(item)))


def utc(moment: datetime) -> datetime:
    """A naive datetime is UTC; an aware one is converted to UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def resolve(
    config: str | None,
    *,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    platforms: str | Iterable[str] = (),
    strict: bool = False,
    now: datetime | None = None,
    where: str = "platforms",
) -> LintOptions:
    """The options of ``config`` (a file; None: the defaults) with the arguments laid
    over them. Raises ConfigError (a usage error; one line per problem) for a bad file, a
    rule code that names no rule (in the file: "FILE: setting: why"; in ``select`` or
    ``ignore``: "select: why") or a platform name it does not know."""
    from profilesmith.lint.catalog import code_problem, option_problems

    options = load_config(config)
    problems = [f"{config}: {problem}" for problem in option_problems(options)]
    changes: dict[str, Any] = {"strict": strict or options.strict}
    selected = rule_list(select)
    if selected:
        changes["select"] = selected
    ignored = rule_list(ignore)
    if ignored:
        changes["ignore"] = options.ignore + ignored
    problems += [f"{setting}: {problem}" for setting, codes in (("select", selected),
                                                                  ("ignore", ignored))
                 for code in codes if (problem := code_problem(code)) is not None]
    if problems:
        raise ConfigError("\n".join(problems))
    names = [platforms] if isinstance(platforms, str) else list(platforms)
    if names:
        changes["platforms"] = frozenset(parse_platforms(names, where=where))
    if now is not None:
        changes["now"] = utc(now)
    return options.with_changes(**changes)
